// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `evaluate --models contentknn` on the committed film-series fixture, with hidden items; the
/// refusal without `--metadata`; `models` and `tune` list and search it.
struct ContentKNNCLITests {
    let cli = CLITests()

    /// A committed fixture of the core tests (`Tests/RecVecCoreTests/Fixtures`).
    func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("RecVecCoreTests/Fixtures/" + name).path
    }

    @Test func evaluatesColdItemsFromTheirMetadata() throws {
        let r = try cli.run([
            "evaluate", "--input", fixture("contentknn-events.tsv"), "--format", "events", "--protocol",
            "leave-last-out", "--models", "popularity,contentknn", "--metadata", fixture("contentknn-metadata.tsv"),
            "--metadata-fields", "title,genre", "--hide-items", "0.2", "--cold-start", "0", "--top", "1,5",
            "--json", cli.file("e.json"), "--quiet",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| contentknn |"), "\(r.stdout)")
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file("e.json"))))
            as! [String: Any]
        func hr(_ results: Any?, _ k: String) -> [String: Double] {
            Dictionary(
                uniqueKeysWithValues: (results as! [[String: Any]]).map {
                    ($0["model"] as! String, ($0["metrics"] as! [String: Double])[k]!)
                }
            )
        }
        let cold = json["cold_start"] as! [String: Any]
        #expect(cold["test_cases"] as? Int == 3)
        // Every last film is the one its series still lacks: content kNN ranks it first, hidden
        // (no events) or not; popularity never reaches a hidden film.
        #expect(hr(cold["results"], "hr@1")["contentknn"] == 1)
        #expect(hr(cold["results"], "hr@5")["popularity"] == 0)
        #expect(hr(json["results"], "hr@1")["contentknn"] == 1)
        let config = ((json["results"] as! [[String: Any]])[1]["config"] as! [String: String])
        #expect(config["contentknn_tf"] == "binary" && config["contentknn_idf"] == "true")
    }

    @Test func refusesWithoutMetadataAndTunes() throws {
        let events = fixture("contentknn-events.tsv")
        cli.expectFailure(
            try cli.run([
                "evaluate", "--input", events, "--protocol", "leave-last-out", "--models", "contentknn", "--quiet",
            ]),
            "--metadata: contentknn needs item side information"
        )
        let bad = try cli.run([
            "evaluate", "--input", events, "--protocol", "leave-last-out", "--models", "contentknn",
            "--contentknn-tf", "square",
        ])
        #expect(bad.status != 0 && bad.stderr.contains("'binary', 'count' or 'log'"), "\(bad.stderr)")
        // Without --models and without --metadata, evaluate still runs (contentknn is not a default).
        let plain = try cli.run([
            "evaluate", "--input", events, "--protocol", "leave-last-out", "--min-count", "1", "--epochs", "1",
            "--quiet",
        ])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("| contentknn |") && plain.stdout.contains("| item2vec |"), "\(plain.stdout)")

        let models = try cli.run(["models"])
        #expect(models.stdout.contains("contentknn"), "\(models.stdout)")
        let tune = try cli.run([
            "tune", "--input", events, "--protocol", "leave-last-out", "--models", "contentknn", "--metadata",
            fixture("contentknn-metadata.tsv"), "--trials", "3", "--bootstrap", "0", "--quiet",
        ])
        #expect(tune.status == 0, "\(tune.stderr)")
        #expect(tune.stdout.contains("contentknn-tuned"), "\(tune.stdout)")
    }
}
