// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `index`, then `similar` / `recommend` through MODEL.hnsw, `--exact`, and stale or corrupt indexes.
struct IndexCLITests {
    let cli = CLITests()

    func train(_ model: String, seed: String = "1") throws {
        let r = try cli.run([
            "train", "--input", cli.plantedCorpus(), "--output", model, "--dim", "16", "--epochs", "3", "--min-count",
            "1",
            "--sample", "0", "--threads", "1", "--seed", seed, "--quiet",
        ])
        #expect(r.status == 0, "\(r.stderr)")
    }

    func neighbours(_ r: CLITests.Result) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return (json["neighbors"] as! [[String: Any]]).map { $0["token"] as! String }
    }

    @Test func indexThenSimilarAndRecommendUseIt() throws {
        let model = cli.file("m.rvmodel")
        try train(model)
        let built = try cli.run(["index", model, "--m", "4", "--ef-construction", "20", "--threads", "1", "--json"])
        #expect(built.status == 0, "\(built.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(built.stdout.utf8)) as! [String: Any]
        #expect(json["items"] as? Int == 20)
        #expect(json["index"] as? String == model + ".hnsw")
        let measurement = json["measurement"] as! [String: Any]
        #expect(measurement["recall"] as? Double == 1)  // 20 items, ef 100: every item is seen
        #expect(cli.exists("m.rvmodel.hnsw"))
        let text = try cli.run(["index", model, "--threads", "2", "--output", cli.file("other.hnsw")])
        #expect(text.status == 0 && text.stdout.contains("recall@10 vs exact"), "\(text.stdout)\(text.stderr)")

        let viaIndex = try cli.run(["similar", model, "g1_0", "--top", "4", "--json", "--ef", "8"])
        let exact = try cli.run(["similar", model, "g1_0", "--top", "4", "--json", "--exact"])
        #expect(viaIndex.status == 0 && exact.status == 0)
        #expect(viaIndex.stderr.isEmpty, "\(viaIndex.stderr)")
        #expect(try neighbours(viaIndex) == neighbours(exact))
        #expect(try neighbours(viaIndex).allSatisfy { $0.hasPrefix("g1_") })
        let recommended = try cli.run(["recommend", model, "--history", "g2_0 g2_1", "--top", "3", "--exclude-history"])
        let recommendedExact = try cli.run([
            "recommend", model, "--history", "g2_0 g2_1", "--top", "3", "--exclude-history", "--exact",
        ])
        #expect(recommended.status == 0 && recommended.stdout == recommendedExact.stdout && recommended.stderr.isEmpty)
        #expect(try cli.run(["recommend", model, "--history", "g2_0", "--scoring", "dual", "--top", "3"]).status == 0)

        // A corrupt index: one warning line, exact answers, success.
        var bytes = Array(FileManager.default.contents(atPath: model + ".hnsw")!)
        bytes[bytes.count / 2] ^= 1
        _ = FileManager.default.createFile(atPath: model + ".hnsw", contents: Data(bytes))
        let corrupt = try cli.run(["similar", model, "g1_0", "--top", "4", "--json"])
        #expect(corrupt.status == 0)
        #expect(
            corrupt.stderr.split(separator: "\n").count == 1 && corrupt.stderr.contains("checksum mismatch"),
            "\(corrupt.stderr)"
        )
        #expect(try neighbours(corrupt) == neighbours(exact))

        // A retrained model makes the index stale.
        #expect(try cli.run(["index", model, "--threads", "1"]).status == 0)
        try train(model, seed: "2")
        let stale = try cli.run(["similar", model, "g1_0", "--top", "4"])
        #expect(stale.status == 0)
        #expect(
            stale.stderr.split(separator: "\n").count == 1 && stale.stderr.contains("stale index"),
            "\(stale.stderr)"
        )
        let staleRecommend = try cli.run(["recommend", model, "--history", "g2_0", "--top", "3"])
        #expect(staleRecommend.status == 0 && staleRecommend.stderr.contains("stale index"))
    }

    @Test func benchSearchPrintsMeasurements() throws {
        let model = cli.file("b.rvmodel")
        try train(model)
        cli.expectFailure(try cli.run(["bench-search", model]), "no such file")
        #expect(try cli.run(["index", model, "--threads", "1", "--recall-queries", "0"]).status == 0)
        let r = try cli.run(["bench-search", model, "--sample", "10", "--ef", "4", "16", "--exact-queries", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["queries"] as? Int == 10)
        #expect((json["hnsw"] as! [[String: Any]]).map { $0["ef"] as! Int } == [4, 16])
        #expect((json["exact"] as! [String: Any])["recall"] as? Double == 1)
    }

    @Test func rejectsBadOptions() throws {
        let model = cli.file("e.rvmodel")
        try train(model)
        cli.expectFailure(try cli.run(["index", model, "--m", "1"]), "--m: must be in 2...256")
        cli.expectFailure(
            try cli.run(["index", model, "--ef-construction", "0"]),
            "--ef-construction: must be at least 1"
        )
        cli.expectFailure(try cli.run(["index", model, "--output", cli.file("missing/x.hnsw")]), "does not exist")
        cli.expectFailure(try cli.run(["index", cli.file("nothing.rvmodel")]), "no such file")
        cli.expectFailure(try cli.run(["similar", model, "g1_0", "--ef", "0"]), "--ef: must be at least 1")
        #expect(!cli.exists("e.rvmodel.hnsw"))
    }
}
