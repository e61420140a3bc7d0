// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// The 2vec family end to end: paragraph vectors with recvec infer, bagged-prod2vec and the event
/// options from an event log, and their errors.
extension CLITests {
    /// Users u0…u59, each with 8 events from one of 3 groups; two events per timestamp (a basket),
    /// every fourth user's last event a purchase.
    func familyEvents() -> String {
        var rows = ["user_id\titem_id\ttimestamp\tevent_type\tweight"]
        for u in 0..<60 {
            let g = u % 3
            for e in 0..<8 {
                let type = (u % 4 == 0 && e == 7) ? "purchase" : "view"
                rows.append("u\(u)\tg\(g)_\((u + e * 7) % 5)\t\(1000 + e / 2 * 60)\t\(type)\t\(1 + e % 2)")
            }
        }
        return write("events.tsv", rows.joined(separator: "\n") + "\n")
    }

    @Test func paragraphVectorsTrainInferAndRecommend() throws {
        let events = familyEvents()
        let model = file("pv.rvmodel")
        let train = try run([
            "train", "--input", events, "--format", "events", "--model", "pv-dbow", "--output", model, "--dim", "16",
            "--epochs", "5", "--min-count", "1", "--sample", "0", "--threads", "1", "--quiet",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let info = try run(["info", model])
        #expect(info.stdout.contains("pv-dbow") || info.status == 0)
        let infer = try run(["infer", model, "--sequence", "g1_0 g1_2 unknown", "--recommend", "3", "--json"])
        #expect(infer.status == 0, "\(infer.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(infer.stdout.utf8)) as! [String: Any]
        #expect((json["vector"] as? [Double])?.count == 16)
        #expect((json["unknown"] as? [String]) == ["unknown"])
        #expect((json["recommendations"] as? [[String: Any]])?.count == 3)
        // Document vectors are queries like any token; answers are items only.
        let similar = try run(["similar", model, "doc:u1", "--top", "3"])
        #expect(similar.status == 0, "\(similar.stderr)")
        #expect(!similar.stdout.contains("doc:"))
        expectFailure(try run(["infer", model, "--sequence", "nothing known"]), "no known item")
        let plain = file("plain.rvmodel")
        _ = try run([
            "train", "--input", events, "--format", "events", "--output", plain, "--dim", "8", "--epochs", "1",
            "--min-count", "1", "--quiet",
        ])
        expectFailure(try run(["infer", plain, "--sequence", "g1_0"]), "not trained as paragraph vectors")
    }

    @Test func baggedProd2vecAndEventOptionsFromAnEventLog() throws {
        let events = familyEvents()
        let model = file("bag.rvmodel")
        let bagged = try run([
            "train", "--input", events, "--format", "events", "--model", "bagged-prod2vec", "--baskets-by-time",
            "--weight-column", "weight", "--context-event", "event_type=purchase", "--max-gap", "2m",
            "--output", model, "--dim", "8", "--epochs", "2", "--min-count", "1", "--sample", "0", "--quiet",
        ])
        #expect(bagged.status == 0, "\(bagged.stderr)")
        #expect(exists("bag.rvmodel"))
        expectFailure(
            try run([
                "train", "--input", events, "--format", "events", "--model", "bagged-prod2vec", "--output",
                file("x.rvmodel"), "--min-count", "1", "--quiet",
            ]),
            "bagged-prod2vec needs baskets"
        )
        expectFailure(
            try run([
                "train", "--input", events, "--format", "events", "--context-event", "event_type", "--output",
                file("x.rvmodel"),
            ]),
            "COLUMN=VALUE"
        )
        expectFailure(
            try run([
                "train", "--input", events, "--format", "events", "--weight-column", "nope", "--output",
                file("x.rvmodel"),
            ]),
            "missing column 'nope'"
        )
        #expect(!exists("x.rvmodel"))
    }
}
