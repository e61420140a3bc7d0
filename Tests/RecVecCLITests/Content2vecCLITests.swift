// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `train --model content2vec`, `similar` on a cold item, `evaluate` with hidden items, bad content files.
struct Content2vecCLITests {
    let cli = CLITests()

    /// The planted corpus (4 groups "g<k>_<i>") and metadata: each item's genre is its group, plus a
    /// cold item per group ("new<k>": a title and the genre, no events).
    func fixture() -> (corpus: String, metadata: String) {
        let corpus = cli.plantedCorpus()
        var lines = ["item_id\tfield\tvalue"]
        for g in 0..<4 {
            for i in 0..<5 { lines.append("g\(g)_\(i)\tgenre\tGenre\(g)") }
            lines.append("new\(g)\ttitle\tA New Film (2024)")
            lines.append("new\(g)\tgenre\tGenre\(g)")
        }
        return (corpus, cli.write("metadata.tsv", lines.joined(separator: "\n") + "\n"))
    }

    @Test func trainsAndAnswersForAColdItem() throws {
        let (corpus, metadata) = fixture()
        let model = cli.file("c.rvmodel")
        let train = try cli.run([
            "train", "--input", corpus, "--output", model, "--model", "content2vec", "--metadata", metadata,
            "--metadata-fields", "title,genre", "--dim", "16", "--epochs", "5", "--min-count", "1", "--threads", "1",
            "--sample", "0",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(
            train.stderr.contains("content2vec: 24 items (20 with events, 4 cold: content only)"),
            "\(train.stderr)"
        )
        let similar = try cli.run(["similar", model, "new2", "--top", "4", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as! [String: Any]
        let neighbours = (json["neighbors"] as! [[String: Any]]).map { $0["token"] as! String }
        #expect(neighbours.count == 4 && neighbours.allSatisfy { $0.hasPrefix("g2_") }, "\(neighbours)")
        let info = try cli.run(["info", model])
        #expect(info.status == 0, "\(info.stderr)")
    }

    @Test func trainsWithDenseFeaturesAndPretrainedWordVectors() throws {
        let (corpus, metadata) = fixture()
        var features: [String] = []
        for g in 0..<4 {
            for i in 0..<5 {
                features.append("g\(g)_\(i) " + (0..<4).map { $0 == g ? "1" : "0.1" }.joined(separator: " "))
            }
            features.append("new\(g) " + (0..<4).map { $0 == g ? "1" : "0.1" }.joined(separator: " "))
        }
        features.append("unknown 1 1 1 1")
        let vectors = cli.write("features.txt", features.joined(separator: "\n") + "\n")
        let words = cli.write("words.txt", "3 3\ngenre0 0.1 0.2 0.3\ngenre1 0.3 0.1 0\ngenre2 1 0 0\n")
        let model = cli.file("f.rvmodel")
        let train = try cli.run([
            "train", "--input", corpus, "--output", model, "--model", "content2vec", "--metadata", metadata,
            "--content-vectors", vectors, "--word-vectors", words, "--dim", "16", "--epochs", "5", "--min-count", "1",
            "--threads", "1", "--sample", "0", "--content-centre", "--quiet",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("4 feature values per item for 25 items"), "\(train.stderr)")
        #expect(train.stderr.contains("pretrained vectors for 3 of 4 tokens"), "\(train.stderr)")
        #expect(train.stderr.contains("1 content-vector rows name items in neither the events nor the metadata"))
        let similar = try cli.run(["similar", model, "new3", "--top", "4"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let tokens = similar.stdout.split(separator: "\n").map { $0.split(separator: "\t")[1] }
        #expect(tokens.count == 4 && tokens.allSatisfy { $0.hasPrefix("g3_") }, "\(similar.stdout)")
    }

    @Test func evaluatesWithHiddenItems() throws {
        let (corpus, metadata) = fixture()
        // The sequences file as an events log: one user per line.
        let text = try String(contentsOfFile: corpus, encoding: .utf8)
        var lines = ["user_id\titem_id\ttimestamp"]
        for (u, line) in text.split(separator: "\n").enumerated() {
            for (t, item) in line.split(separator: " ").enumerated() { lines.append("u\(u)\t\(item)\t\(t)") }
        }
        let events = cli.write("events.tsv", lines.joined(separator: "\n") + "\n")
        let r = try cli.run([
            "evaluate", "--input", events, "--protocol", "leave-last-out", "--models",
            "popularity,item2vec,content2vec",
            "--metadata", metadata, "--metadata-fields", "genre", "--hide-items", "0.2", "--cold-start", "0",
            "--min-count", "1", "--dim", "8", "--epochs", "2", "--threads", "1", "--top", "5", "--json",
            cli.file("e.json"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| content2vec |"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file("e.json"))))
            as! [String: Any]
        let cold = json["cold_start"] as! [String: Any]
        let results = cold["results"] as! [[String: Any]]
        let hr = Dictionary(
            uniqueKeysWithValues: results.map {
                ($0["model"] as! String, ($0["metrics"] as! [String: Double])["hr@5"]!)
            }
        )
        // Hidden items: no behaviour model can rank them; content2vec places them by genre.
        #expect(hr["popularity"] == 0 && hr["item2vec"] == 0)
        #expect(hr["content2vec"]! > 0, "\(r.stdout)")

        // dual scoring: cold items have no output vector and stay unscored, so they are never hit.
        let dual = try cli.run([
            "evaluate", "--input", events, "--protocol", "leave-last-out", "--models", "content2vec", "--metadata",
            metadata,
            "--metadata-fields", "genre", "--hide-items", "0.2", "--cold-start", "0", "--min-count", "1", "--dim", "8",
            "--epochs", "2", "--threads", "1", "--top", "5", "--scoring", "dual", "--json", cli.file("d.json"),
        ])
        #expect(dual.status == 0, "\(dual.stderr)")
        let d =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file("d.json"))))
            as! [String: Any]
        let dualCold =
            ((d["cold_start"] as! [String: Any])["results"] as! [[String: Any]])[0]["metrics"] as! [String: Double]
        #expect(dualCold["hr@5"] == 0)
    }

    @Test func cnnEncoderTrainsScoresColdItemsUnderDualAndRefusesBadOptions() throws {
        let (corpus, metadata) = fixture()
        let model = cli.file("cnn.rvmodel")
        let common = [
            "--metadata", metadata, "--metadata-fields", "title,genre", "--content-encoder", "cnn", "--cnn-filters",
            "8", "--cnn-word-dim", "8", "--cnn-epochs", "8", "--dim", "16", "--min-count", "1", "--threads", "1",
            "--sample", "0",
        ]
        let train = try cli.run(["train", "--input", corpus, "--output", model, "--model", "content2vec"] + common)
        #expect(train.status == 0, "\(train.stderr)")
        let similar = try cli.run(["similar", model, "new1", "--top", "4", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as! [String: Any]
        let neighbours = (json["neighbors"] as! [[String: Any]]).map { $0["token"] as! String }
        #expect(neighbours.count == 4 && neighbours.allSatisfy { $0.hasPrefix("g1_") }, "\(neighbours)")

        let text = try String(contentsOfFile: corpus, encoding: .utf8)
        var lines = ["user_id\titem_id\ttimestamp"]
        for (u, line) in text.split(separator: "\n").enumerated() {
            for (t, item) in line.split(separator: " ").enumerated() { lines.append("u\(u)\t\(item)\t\(t)") }
        }
        let events = cli.write("events-cnn.tsv", lines.joined(separator: "\n") + "\n")
        let r = try cli.run(
            [
                "evaluate", "--input", events, "--protocol", "leave-last-out", "--models", "content2vec",
                "--hide-items",
                "0.2", "--cold-start", "0", "--top", "5", "--scoring", "dual", "--json", cli.file("cnn.json"),
            ] + common
        )
        #expect(r.status == 0, "\(r.stderr)")
        let d =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file("cnn.json"))))
            as! [String: Any]
        let cold =
            ((d["cold_start"] as! [String: Any])["results"] as! [[String: Any]])[0]["metrics"] as! [String: Double]
        // Unlike the mean encoder's, the cnn encoder's cold items have output vectors: dual reaches them.
        #expect(cold["hr@5"]! > 0, "\(r.stdout)")

        let bad = try cli.run(
            ["train", "--input", corpus, "--output", cli.file("never.rvmodel"), "--model", "content2vec"] + common
                + ["--cnn-widths", "1,x"]
        )
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--cnn-widths"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.file("never.rvmodel")))
    }

    @Test func badContentFailsWithOneLine() throws {
        let (corpus, metadata) = fixture()
        func train(_ extra: [String]) throws -> CLITests.Result {
            try cli.run(
                [
                    "train", "--input", corpus, "--output", cli.file("never.rvmodel"), "--model", "content2vec",
                    "--min-count", "1", "--epochs", "1", "--quiet",
                ] + extra
            )
        }
        cli.expectFailure(try train(["--content-vectors", cli.write("empty.txt", "")]), "empty.txt: file is empty")
        cli.expectFailure(
            try train(["--content-vectors", cli.write("ragged.txt", "g0_0 1 2\ng0_1 1\n")]),
            "ragged.txt:2: 1 values, but line 1 has 2"
        )
        cli.expectFailure(
            try train(["--content-vectors", cli.write("text.txt", "g0_0 1 2\ng0_1 1 two\n")]),
            "text.txt:2: field 3 'two' is not a number"
        )
        cli.expectFailure(try train([]), "content2vec needs content")
        cli.expectFailure(
            try train(["--metadata", metadata, "--content-dropout", "1"]),
            "--content-dropout: must be in [0, 1)"
        )
        cli.expectFailure(try train(["--metadata", metadata, "--metadata-fields", "year"]), "no field 'year'")
        #expect(!cli.exists("never.rvmodel"))
    }
}
