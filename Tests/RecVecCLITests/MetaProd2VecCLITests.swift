// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// Meta-Prod2Vec and group negatives end to end: train with --metadata, query a metadata value,
/// evaluate, and every error path of the side information.
extension CLITests {
    /// Users whose events are one pair of items c<genre>_<i>, c<genre>_<i+1> (items of one genre
    /// never meet outside their pair), and a metadata file with their genres, a tag, and a row
    /// for an item no sequence has.
    func metaFixture() -> (events: String, metadata: String) {
        var rows = ["user_id\titem_id\ttimestamp"]
        for u in 0..<240 {
            let pair = (u * 7) % 20
            let genre = pair % 4
            let first = 2 * (pair / 4)
            let items = u % 2 == 0 ? [first, first + 1, first, first + 1] : [first + 1, first, first + 1, first]
            for (t, i) in items.enumerated() { rows.append("u\(u)\tc\(genre)_\(i)\t\(1000 + t)") }
        }
        var meta = ["item_id\tfield\tvalue"]
        for g in 0..<4 {
            for i in 0..<10 { meta.append("c\(g)_\(i)\tgenre\tG\(g)") }
        }
        meta.append("c0_0\ttag\tclassic")
        meta.append("ghost\tgenre\tG1")
        return (
            write("meta-events.tsv", rows.joined(separator: "\n") + "\n"),
            write("meta.tsv", meta.joined(separator: "\n") + "\n")
        )
    }

    @Test func metaProd2vecTrainsAndAnswersAMetadataValue() throws {
        let (events, metadata) = metaFixture()
        let model = file("mp.rvmodel")
        let train = try run([
            "train", "--input", events, "--format", "events", "--model", "meta-prod2vec", "--metadata", metadata,
            "--metadata-fields", "genre", "--meta-lambda", "1", "--output", model, "--dim", "16", "--epochs", "10",
            "--min-count", "1", "--sample", "0", "--threads", "1",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("1 rows for items not in the vocabulary ignored"), "\(train.stderr)")
        #expect(train.stderr.contains("metadata: 4 values kept"))
        let similar = try run(["similar", model, "genre=G2", "--top", "4", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as! [String: Any]
        let tokens = (json["neighbors"] as! [[String: Any]]).map { $0["token"] as! String }
        #expect(tokens.count == 4 && tokens.allSatisfy { $0.hasPrefix("c2_") }, "\(tokens)")

        let grouped = try run([
            "train", "--input", events, "--format", "events", "--model", "prod2vec", "--metadata", metadata,
            "--group-negatives", "genre:2", "--output", file("gn.rvmodel"), "--dim", "8", "--epochs", "2",
            "--min-count", "1", "--threads", "1", "--quiet",
        ])
        #expect(grouped.status == 0, "\(grouped.stderr)")

        let evaluate = try run([
            "evaluate", "--input", events, "--protocol", "leave-last-out", "--models", "item2vec,meta-prod2vec",
            "--metadata", metadata, "--metadata-fields", "genre", "--meta-lambda", "0.5", "--min-count", "1",
            "--dim", "8", "--epochs", "2", "--threads", "1", "--top", "1,5", "--quiet",
        ])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.contains("| meta-prod2vec |"))
    }

    @Test func metadataErrorsAreOneLine() throws {
        let (events, metadata) = metaFixture()
        let out = file("never.rvmodel")
        func train(_ extra: [String]) throws -> Result {
            try run(
                [
                    "train", "--input", events, "--format", "events", "--output", out, "--min-count", "1", "--epochs",
                    "1",
                ] + extra
            )
        }
        expectFailure(
            try train(["--model", "meta-prod2vec", "--metadata", metadata, "--metadata-fields", "genre,mood"]),
            "meta.tsv: no field 'mood' (fields: genre, tag)"
        )
        expectFailure(
            try train(["--model", "meta-prod2vec", "--metadata", write("empty.tsv", "")]),
            "empty.tsv: file is empty"
        )
        expectFailure(
            try train(["--model", "meta-prod2vec", "--metadata", write("header.tsv", "item_id\tfield\tvalue\n")]),
            "header.tsv: no metadata rows"
        )
        expectFailure(
            try train(["--quiet", "--model", "meta-prod2vec"]),
            "--metadata: meta-prod2vec needs item side information"
        )
        expectFailure(
            try train([
                "--quiet", "--model", "meta-prod2vec", "--metadata",
                write("strangers.tsv", "item_id\tfield\tvalue\nx\tgenre\tG\n"),
            ]),
            "none of the 1 items in the metadata is in the vocabulary"
        )
        expectFailure(
            try train(["--model", "prod2vec", "--metadata", metadata, "--group-negatives", "genre"]),
            "--group-negatives: 'genre' is not FIELD:K"
        )
        expectFailure(
            try train(["--quiet", "--model", "prod2vec", "--metadata", metadata, "--group-negatives", "shelf:2"]),
            "--group-negatives: no field 'shelf'"
        )
        expectFailure(
            try train(["--model", "meta-prod2vec", "--metadata", metadata, "--meta-lambda=-1"]),
            "--meta-lambda: must be between 0 and 100"
        )
        expectFailure(
            try run([
                "evaluate", "--input", events, "--protocol", "leave-last-out", "--models", "meta-prod2vec", "--quiet",
            ]),
            "--metadata: meta-prod2vec needs item side information"
        )
        #expect(!exists("never.rvmodel"))
    }
}
