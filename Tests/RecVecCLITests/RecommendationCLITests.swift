// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `recommend`, `evaluate` and `tune` end to end.
struct RecommendationCLITests {
    let cli = CLITests()

    /// Users whose time-ordered events follow one of three planted item groups.
    func events() -> String {
        var lines = ["user_id\titem_id\ttimestamp"]
        var random = SplitMix(seed: 7)
        func next(_ n: Int) -> Int { random.next(n) }
        for u in 0..<150 {
            let g = next(3)
            for t in 0..<6 { lines.append("u\(u)\tg\(g)_\(next(6))\t\(1_700_000_000 + u * 86_400 + t * 60)") }
        }
        return cli.write("events.tsv", lines.joined(separator: "\n") + "\n")
    }

    @Test func recommendFromAHistoryWithFallback() throws {
        let corpus = cli.plantedCorpus()
        let model = cli.file("r.rvmodel")
        #expect(
            try cli.run([
                "train", "--input", corpus, "--output", model, "--dim", "16", "--epochs", "3", "--min-count", "1",
                "--sample", "0", "--threads", "1", "--quiet",
            ]).status == 0
        )
        for scoring in ["cosine", "dual"] {
            let r = try cli.run([
                "recommend", model, "--history", "g2_0 g2_1", "--top", "3", "--exclude-history", "--scoring", scoring,
                "--json",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let tokens = (json["recommendations"] as! [[String: Any]]).map { $0["token"] as! String }
            #expect(
                tokens.count == 3 && tokens.allSatisfy { $0.hasPrefix("g2_") && $0 != "g2_0" && $0 != "g2_1" },
                "\(scoring): \(tokens)"
            )
        }
        let unknown = try cli.run(["recommend", model, "--history", "nothing known", "--top", "2"])
        #expect(unknown.status == 0)
        #expect(unknown.stdout.contains("popularity"))
        #expect(unknown.stderr.contains("unknown items ignored"))
        cli.expectFailure(
            try cli.run(["recommend", model, "--history", "g1_0", "--decay", "1.5"]),
            "--decay: must be in [0, 1)"
        )
    }

    @Test func evaluateWritesTableJSONAndReport() throws {
        let data = events()
        let r = try cli.run([
            "evaluate", "--input", data, "--protocol", "leave-last-out", "--models",
            "popularity,cooccurrence,sknn,markov,item2vec,mix", "--min-count", "1", "--sample", "0",
            "--dim", "8", "--epochs", "2", "--threads", "1", "--top", "1,5",
            "--json", cli.file("e.json"), "--report", cli.file("e.html"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| cooccurrence |"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file("e.json"))))
            as! [String: Any]
        #expect(json["protocol"] as? String == "leave-last-out")
        let results = json["results"] as! [[String: Any]]
        #expect(
            results.map { $0["model"] as! String } == [
                "popularity", "cooccurrence", "sknn", "markov", "item2vec", "mix",
            ]
        )
        for row in results {
            let metrics = row["metrics"] as! [String: Double]
            for key in ["hr@5", "mrr@5", "ndcg@5", "coverage@5", "popularity@1"] {
                #expect(metrics[key] != nil, "\(key)")
            }
        }
        // Planted groups: co-occurrence must beat popularity clearly.
        let hr = results.map { ($0["metrics"] as! [String: Double])["hr@5"]! }
        #expect(hr[1] > hr[0] + 0.1, "\(hr)")
        let html = try String(contentsOfFile: cli.file("e.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("cooccurrence"))
    }

    /// `--test-cases N` scores a sample of N cases and says how many it left out.
    @Test func evaluateScoresASampleOfTestCases() throws {
        let args = [
            "evaluate", "--input", events(), "--protocol", "leave-last-out", "--models", "popularity,markov",
            "--bootstrap", "0",
        ]
        let all = try cli.run(args + ["--json", cli.file("all.json"), "--quiet"])
        #expect(all.status == 0, "\(all.stderr)")
        let some = try cli.run(args + ["--json", cli.file("some.json"), "--test-cases", "7"])
        #expect(some.status == 0, "\(some.stderr)")
        func json(_ name: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file(name))))
                as! [String: Any]
        }
        let full = try json("all.json")
        let sample = try json("some.json")
        let total = try #require(full["test_cases"] as? Int)
        #expect(sample["test_cases"] as? Int == 7)
        #expect((sample["skipped"] as? [String: Int])?["outside the sample of test cases"] == total - 7)
        #expect(some.stdout.contains("\(total - 7) outside the sample of test cases"))
        cli.expectFailure(try cli.run(args + ["--test-cases", "0"]), "--test-cases: must be at least 1")
    }

    /// `--search hnsw`: item2vec's cases are ranked through an index (recorded in its config), with
    /// an exhaustive candidate list the same metrics as exact scoring; the others score exactly.
    @Test func evaluateThroughAnHNSWIndex() throws {
        let data = events()
        func evaluate(_ extra: [String], _ name: String) throws -> [[String: Any]] {
            let r = try cli.run(
                [
                    "evaluate", "--input", data, "--protocol", "leave-last-out", "--models", "popularity,item2vec",
                    "--min-count", "1", "--sample", "0", "--dim", "8", "--epochs", "2", "--threads", "1",
                    "--bootstrap", "0", "--json", cli.file(name), "--quiet",
                ] + extra
            )
            #expect(r.status == 0, "\(r.stderr)")
            let json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file(name))))
                as! [String: Any]
            return json["results"] as! [[String: Any]]
        }
        let exact = try evaluate([], "exact.json")
        let hnsw = try evaluate(["--search", "hnsw", "--hnsw-m", "4", "--ef-search", "1000"], "hnsw.json")
        let config = hnsw[1]["config"] as! [String: String]
        #expect(config["search"] == "hnsw m=4 ef_construction=200 ef_search=1000")
        #expect((exact[1]["config"] as! [String: String])["search"] == nil)
        #expect((hnsw[0]["config"] as! [String: String])["search"] == nil)  // popularity: exact
        for (a, b) in zip(exact, hnsw) {
            #expect(a["metrics"] as! [String: Double] == b["metrics"] as! [String: Double])
            #expect((b["score_seconds"] as? Double ?? -1) >= 0)
        }
        cli.expectFailure(
            try cli.run([
                "evaluate", "--input", data, "--protocol", "leave-last-out", "--models", "item2vec", "--search", "hnsw",
                "--scoring", "dual",
            ]),
            "--search: an HNSW index answers cosine queries only"
        )
        cli.expectFailure(
            try cli.run([
                "evaluate", "--input", data, "--protocol", "leave-last-out", "--models", "item2vec", "--search", "hnsw",
                "--hnsw-m", "1",
            ]),
            "--hnsw-m: must be in 2...256"
        )
    }

    @Test func evaluateReportsIntervalsAndPairedTests() throws {
        let data = events()
        let args = [
            "evaluate", "--input", data, "--protocol", "leave-last-out", "--models", "popularity,cooccurrence,markov",
            "--top", "1,5", "--bootstrap", "300", "--seed", "3", "--quiet",
        ]
        let r = try cli.run(args + ["--json", cli.file("b.json"), "--report", cli.file("b.html")])
        #expect(r.status == 0, "\(r.stderr)")
        // "0.1234 ± 0.0456" in the table, the column of the paired verdict, and the paired table.
        #expect(r.stdout.range(of: #"\| popularity \| [0-9.]+ ± [0-9.]+ \|"#, options: .regularExpression) != nil)
        #expect(r.stdout.contains("vs best hr@5") && r.stdout.contains("300 resamples"))
        #expect(r.stdout.contains("| sign test p |"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file("b.json"))))
            as! [String: Any]
        #expect(json["bootstrap_replicates"] as? Int == 300)
        for row in json["results"] as! [[String: Any]] {
            let metrics = row["metrics"] as! [String: Double]
            let intervals = row["intervals"] as! [String: [String: Double]]
            for key in ["hr@1", "hr@5", "mrr@5", "ndcg@5", "popularity@5"] {
                let i = try #require(intervals[key], "\(key)")
                #expect(i["lower"]! <= metrics[key]! && metrics[key]! <= i["upper"]!, "\(key)")
            }
            #expect(intervals["coverage@5"] == nil)
        }
        let comparisons = json["comparisons"] as! [[String: Any]]
        #expect(comparisons.count == 2)
        for c in comparisons {
            #expect(c["metric"] as? String == "hr@5")
            #expect(c["sign_test_p"] is Double && c["bootstrap_p"] is Double && c["significant"] is Bool)
            #expect((c["interval"] as? [String: Double])?["lower"] != nil)
        }
        // popularity cannot find the planted groups: cooccurrence or markov is better, and it says so.
        let popularity = try #require(comparisons.first { $0["model"] as? String == "popularity" })
        #expect(popularity["significant"] as? Bool == true)
        let html = try String(contentsOfFile: cli.file("b.html"), encoding: .utf8)
        #expect(html.contains("Paired tests against the best") && html.contains("bootstrap interval"))
        // The same seed gives the same table; --bootstrap 0 drops the intervals but keeps the sign test.
        // (The "train s" column is wall-clock time, which a loaded machine changes: left out.)
        func withoutTimes(_ text: String) -> String {
            text.replacingOccurrences(of: #"\| [0-9]+\.[0-9] \|\n"#, with: "|\n", options: .regularExpression)
        }
        #expect(withoutTimes(try cli.run(args).stdout) == withoutTimes(r.stdout))
        let off = try cli.run(args.map { $0 == "300" ? "0" : $0 })
        #expect(off.status == 0, "\(off.stderr)")
        #expect(!off.stdout.contains(" ± ") && off.stdout.contains("| sign test p |"))
        cli.expectFailure(
            try cli.run(args.filter { $0 != "--bootstrap" && $0 != "300" } + ["--bootstrap=-1"]),
            "--bootstrap: must be 0 (off) or more"
        )
    }

    @Test func tuneImprovesOnValidationAndSavesTheModel() throws {
        let data = events()
        let r = try cli.run([
            "tune", "--input", data, "--protocol", "leave-last-out", "--models", "item2vec",
            "--trials", "4", "--min-count", "1", "--dim", "8", "--epochs", "2", "--threads", "1",
            "--top", "5", "--json", cli.file("t.json"), "--trials-csv", cli.file("t.csv"),
            "--output", cli.file("best.rvmodel"), "--bootstrap", "200", "--quiet",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        // The test table has evaluate's intervals (200 resamples) and paired tests.
        #expect(r.stdout.contains("200 resamples") && r.stdout.contains(" ± ") && r.stdout.contains("vs best hr@5"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.file("t.json"))))
            as! [String: Any]
        let best = json["best"] as! [String: Any]
        let defaults = json["defaults"] as! [String: Any]
        for part in [best, defaults] {
            #expect((part["validation"] as! [String: Double])["hr@5"] != nil)
            #expect((part["test"] as! [String: Double])["hr@5"] != nil)
        }
        #expect(
            ((best["validation"] as! [String: Double])["hr@5"]!)
                >= ((defaults["validation"] as! [String: Double])["hr@5"]!)
        )
        #expect((json["trials"] as! [Any]).count == 4)
        #expect(try String(contentsOfFile: cli.file("t.csv"), encoding: .utf8).split(separator: "\n").count == 5)
        #expect(cli.exists("best.rvmodel"))
        #expect((json["report"] as? [String: Any])?["bootstrap_replicates"] as? Int == 200)
    }

    @Test func cutoffsLargerThanTheCatalogAreFine() throws {
        let r = try cli.run([
            "evaluate", "--input", events(), "--protocol", "leave-last-out", "--models", "popularity,markov",
            "--top", "5,100000", "--quiet",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("hr@100000"))
    }

    @Test func evaluationErrorsAreOneLine() throws {
        let data = events()
        cli.expectFailure(
            try cli.run(["evaluate", "--input", data, "--protocol", "leave-last-out", "--models", "magic"]),
            "--models: unknown model 'magic'"
        )
        cli.expectFailure(
            try cli.run(["evaluate", "--input", data, "--protocol", "leave-last-out", "--top", "0,5"]),
            "--top"
        )
        let noTime = cli.write("seq.txt", "a b c\nb c d\n")
        cli.expectFailure(
            try cli.run(["evaluate", "--input", noTime, "--format", "sequences", "--protocol", "session", "--quiet"]),
            "session needs event times"
        )
        let tiny = cli.write("tiny.tsv", "user_id\titem_id\ttimestamp\nu\ta\t1\n")
        cli.expectFailure(
            try cli.run(["evaluate", "--input", tiny, "--protocol", "leave-last-out", "--quiet"]),
            "left no test case"
        )
        cli.expectFailure(
            try cli.run(["evaluate", "--protocol", "basket"]),
            "give either --input, or --train and --test"
        )
        cli.expectFailure(
            try cli.run([
                "tune", "--input", data, "--protocol", "leave-last-out", "--models", "popularity", "--trials", "2",
            ]),
            "'popularity' has nothing to tune"
        )
        cli.expectFailure(
            try cli.run(["tune", "--input", data, "--protocol", "leave-last-out", "--models", "item2vec"]),
            "give --budget, --trials or both"
        )
        cli.expectFailure(
            try cli.run(["evaluate", "--input", cli.file("missing.tsv"), "--protocol", "basket"]),
            "no such file"
        )
        #expect(
            try cli.run([
                "evaluate", "--input", data, "--protocol", "leave-last-out", "--models",
                "vectors:" + cli.file("none.txt"),
            ]).status != 0
        )
    }
}
