// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// One `--format` for train, evaluate and tune: the same values (auto, sequences, events,
/// baskets) and the same default, `auto`.
struct InputFormatCLITests {
    let cli = CLITests()

    /// Users u0…u39 with 6 time-ordered events from one of 3 item groups.
    func events() -> String {
        var rows = ["user_id\titem_id\ttimestamp"]
        for u in 0..<40 {
            for e in 0..<6 { rows.append("u\(u)\tg\(u % 3)_\((u + e * 7) % 5)\t\(1000 + e * 60)") }
        }
        return cli.write("events.tsv", rows.joined(separator: "\n") + "\n")
    }

    /// 240 baskets of 4 items from one of 3 item groups, under `column`.
    func baskets(column: String = "basket_id") -> String {
        var rows = ["\(column)\titem_id"]
        var random = SplitMix(seed: 3)
        for b in 0..<240 {
            let g = random.next(3)
            for _ in 0..<4 { rows.append("b\(b)\tg\(g)_\(random.next(6))") }
        }
        return cli.write("baskets-\(column).tsv", rows.joined(separator: "\n") + "\n")
    }

    /// The figures of train's "read FILE: …" line, without its time.
    func readLine(_ arguments: [String]) throws -> String {
        let r = try cli.run(
            [
                "train", "--output", cli.file("m.rvmodel"), "--dim", "4", "--epochs", "1", "--min-count", "1",
                "--threads", "1",
            ] + arguments
        )
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        let line = r.stderr.split(separator: "\n").first { $0.hasPrefix("read ") }.map(String.init) ?? r.stderr
        return line.components(separatedBy: " (").first!
    }

    @Test func trainReadsEveryFormatAndAutoPicksEventsForAHeader() throws {
        let events = events()
        let corpus = cli.plantedCorpus()
        // auto: a header naming the item column is an event log, anything else a sequences file.
        #expect(try readLine(["--input", events]) == readLine(["--input", events, "--format", "events"]))
        #expect(
            try readLine(["--input", events]).hasSuffix(
                ": 240 tokens, 40 sequences, vocabulary 15 of 15 distinct tokens"
            )
        )
        #expect(try readLine(["--input", corpus]) == readLine(["--input", corpus, "--format", "sequences"]))
        #expect(
            try readLine(["--input", corpus]).hasSuffix(
                ": 3200 tokens, 400 sequences, vocabulary 20 of 20 distinct tokens"
            )
        )
        // An explicit format wins: the header line is then a sequence like any other.
        #expect(try readLine(["--input", events, "--format", "sequences"]).contains(" 241 sequences"))
        // baskets: each basket a sequence; the basket column is --session-column (default basket_id).
        #expect(try readLine(["--input", baskets(), "--format", "baskets"]).contains(": 960 tokens, 240 sequences"))
        #expect(
            try readLine(["--input", baskets(column: "order"), "--format", "baskets", "--session-column", "order"])
                .contains(": 960 tokens, 240 sequences")
        )
        // The same values for every command.
        for command in [
            ["train", "--output", cli.file("x.rvmodel")], ["evaluate", "--protocol", "basket"],
            ["tune", "--protocol", "basket", "--trials", "2"],
        ] {
            let r = try cli.run(command + ["--input", events, "--format", "parquet"])
            #expect(r.status != 0)
            #expect(
                r.stderr.contains("Please provide one of 'auto', 'sequences', 'events' or 'baskets'"),
                "\(r.stderr)"
            )
        }
    }

    /// Evaluate's table without its "train s" column.
    func table(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map {
            $0.replacingOccurrences(of: #"\| [0-9.]+ \|$"#, with: "|", options: .regularExpression)
        }
    }

    @Test func evaluateAndTuneReadSequencesAndBaskets() throws {
        let corpus = cli.plantedCorpus()
        let common = ["--models", "popularity,cooccurrence", "--top", "5"]
        let sequences = try cli.run(
            ["evaluate", "--input", corpus, "--format", "sequences", "--protocol", "leave-last-out"] + common
        )
        #expect(sequences.status == 0, "\(sequences.stderr)")
        #expect(sequences.stderr.contains("data: 3200 events, 400 sequences, 20 items"))
        #expect(sequences.stdout.contains("| cooccurrence |"))
        // auto picks sequences for a file without a header: the same table.
        let auto = try cli.run(["evaluate", "--input", corpus, "--protocol", "leave-last-out"] + common)
        #expect(auto.status == 0, "\(auto.stderr)")
        #expect(table(auto.stdout) == table(sequences.stdout))

        let baskets = baskets()
        let b = try cli.run(["evaluate", "--input", baskets, "--format", "baskets", "--protocol", "basket"] + common)
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stderr.contains("data: 960 events, 240 sequences, 18 items"))
        #expect(b.stdout.contains("| cooccurrence |"))
        let tune = try cli.run([
            "tune", "--input", baskets, "--format", "baskets", "--protocol", "basket",
            "--models", "cooccurrence", "--trials", "2", "--top", "5", "--quiet",
        ])
        #expect(tune.status == 0, "\(tune.stderr)")
        #expect(tune.stdout.contains("best: cooccurrence"))
    }
}
