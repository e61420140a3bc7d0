// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `train --model gru4rec` → `info`, `recommend` (the network's forward pass) and `similar`.
struct GRU4RecCLITests {
    let cli = CLITests()

    /// Sessions around a ring of 12 items with a constant step d ∈ {±1, ±2, ±3}: the next item is
    /// 2·last − previous (mod 12), a rule of the last two items (as in the core's GRU4RecTests).
    func ringSessions() -> String {
        var random = SplitMix(seed: 11)
        let steps = [-3, -2, -1, 1, 2, 3]
        var lines: [String] = []
        for _ in 0..<240 {
            let d = steps[random.next(steps.count)]
            var x = random.next(12)
            var s: [String] = []
            for _ in 0..<(4 + random.next(3)) {
                s.append("i\(x)")
                x = ((x + d) % 12 + 12) % 12
            }
            lines.append(s.joined(separator: " "))
        }
        return cli.write("ring.txt", lines.joined(separator: "\n") + "\n")
    }

    @Test func trainInfoAndRecommendThroughTheNetwork() throws {
        let model = cli.file("gru.rvmodel")
        let train = try cli.run([
            "train", "--model", "gru4rec", "--input", ringSessions(), "--output", model, "--gru-layers", "24",
            "--gru-batch", "16", "--gru-samples", "8", "--alpha", "0.1", "--epochs", "12", "--min-count", "1",
            "--threads", "1", "--seed", "7", "--quiet",
        ])
        #expect(train.status == 0, "\(train.stderr)")

        let info = try cli.run(["info", model])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("model gru4rec, layers 24"), "\(info.stdout)")
        #expect(info.stdout.contains("network: GRU layers 24"), "\(info.stdout)")

        // The rule's next item comes first: i3 i5 → i7, i10 i9 → i8, i1 i10 → i7 (step −3 across 0).
        for (history, next) in [("i3 i5", "i7"), ("i10 i9", "i8"), ("i1 i10", "i7")] {
            let r = try cli.run(["recommend", model, "--history", history, "--top", "3", "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let recommendations = json["recommendations"] as! [[String: Any]]
            #expect(recommendations.first?["token"] as? String == next, "\(history): \(recommendations)")
            #expect(recommendations.first?["source"] as? String == "network")
        }
        // The vectors still answer similarity and the other scorings.
        #expect(try cli.run(["similar", model, "i3", "--top", "2"]).status == 0)
        let cosine = try cli.run(["recommend", model, "--history", "i3 i5", "--scoring", "cosine"])
        #expect(cosine.status == 0 && cosine.stdout.contains("embedding"), "\(cosine.stderr)")
    }

    @Test func sequenceScoringNeedsANetwork() throws {
        let model = cli.file("sg.rvmodel")
        #expect(
            try cli.run([
                "train", "--input", ringSessions(), "--output", model, "--dim", "8", "--epochs", "1",
                "--min-count", "1", "--threads", "1", "--quiet",
            ]).status == 0
        )
        cli.expectFailure(
            try cli.run(["recommend", model, "--history", "i3 i5", "--scoring", "sequence"]),
            "needs a model with a network"
        )
    }
}
