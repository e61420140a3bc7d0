// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `recvec prepare` and `.rvcorpus` inputs: train, evaluate and tune read the prepared corpus as
/// they read its text, `info` describes it, and bad or stale files are refused.
struct PrepareCLITests {
    let cli = CLITests()
    let formats = InputFormatCLITests()
    let stdin = StandardInputCLITests()

    func prepare(_ arguments: [String]) throws -> CLITests.Result {
        try cli.run(["prepare"] + arguments)
    }

    @Test func trainFromAPreparedCorpusEqualsTrainFromItsText() throws {
        let events = formats.events()
        let corpus = cli.file("events.rvcorpus")
        let p = try prepare(["--input", events, "--output", corpus, "--min-count", "1"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stderr.contains("wrote \(corpus)"))
        #expect(try stdin.train(events, output: cli.file("text.rvmodel")).status == 0)
        let mapped = try stdin.train(corpus, output: cli.file("mapped.rvmodel"))
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(mapped.stderr.contains("read \(corpus): 240 tokens, 40 sequences"))
        let expected = try stdin.vectors(cli.file("text.rvmodel"))
        #expect(!expected.isEmpty)
        #expect(try stdin.vectors(cli.file("mapped.rvmodel")) == expected)

        // info describes it, in text and JSON.
        let info = try cli.run(["info", corpus])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("tokens: 240 kept of 240; sequences: 40"))
        #expect(info.stdout.contains("side data: times"))
        #expect(info.stdout.contains("sequence ids: 40"), "\(info.stdout)")  // the 40 users, from the header
        #expect(info.stdout.contains("prepared from \(events) (events): --min-count 1"))
        let json = try cli.run(["info", corpus, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["sequences"] as? Int == 40)

        // Options a prepared corpus fixes are named when given.
        let noted = try cli.run([
            "train", "--input", corpus, "--output", cli.file("n.rvmodel"), "--min-count", "1", "--epochs", "1",
            "--session-gap", "1h", "--dim", "4",
        ])
        #expect(noted.status == 0, "\(noted.stderr)")
        #expect(noted.stderr.contains("--session-gap were fixed by recvec prepare and are ignored"))
    }

    /// An event log's parse goes to temporary files in $TMPDIR by default; `--in-memory` keeps it in
    /// memory. Both write the same file; a $TMPDIR that cannot take the files is named, and nothing
    /// is written.
    @Test func anEventLogIsPreparedTheSameOnDiskAndInMemory() throws {
        let events = formats.events()
        let spilled = cli.file("spilled.rvcorpus")
        let memory = cli.file("memory.rvcorpus")
        let common = ["--input", events, "--format", "events", "--min-count", "1"]
        let scratch = cli.file("scratch")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let a = try cli.run(["prepare", "--output", spilled] + common, environment: ["TMPDIR": scratch])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try prepare(["--output", memory, "--in-memory"] + common)
        #expect(b.status == 0, "\(b.stderr)")
        let bytes = FileManager.default.contents(atPath: spilled)
        #expect(bytes != nil && bytes == FileManager.default.contents(atPath: memory))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)  // unlinked at once

        let missing = cli.file("no-such-folder")
        let refused = cli.file("refused.rvcorpus")
        let c = try cli.run(["prepare", "--output", refused] + common, environment: ["TMPDIR": missing])
        #expect(c.status != 0)
        #expect(c.stderr.contains(missing) && c.stderr.contains("TMPDIR"), "\(c.stderr)")
        #expect(!FileManager.default.fileExists(atPath: refused))
        // --in-memory needs no temporary folder.
        let d = try cli.run(["prepare", "--output", refused, "--in-memory"] + common, environment: ["TMPDIR": missing])
        #expect(d.status == 0, "\(d.stderr)")
    }

    /// `--on-disk`: train, evaluate and tune parse a text input into temporary files and read it
    /// mapped; the model and the metrics are those of the in-memory read, nothing is left in
    /// $TMPDIR, and a $TMPDIR that cannot take the files is named with nothing written.
    @Test func trainEvaluateAndTuneReadTextOnDisk() throws {
        let events = formats.events()
        let scratch = cli.file("scratch-on-disk")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let train = [
            "train", "--input", events, "--dim", "8", "--epochs", "2", "--min-count", "1", "--threads", "1", "--seed",
            "5",
        ]
        #expect(try cli.run(train + ["--output", cli.file("memory.rvmodel")]).status == 0)
        let onDisk = try cli.run(
            train + ["--output", cli.file("disk.rvmodel"), "--on-disk"],
            environment: ["TMPDIR": scratch]
        )
        #expect(onDisk.status == 0, "\(onDisk.stderr)")
        let expected = try stdin.vectors(cli.file("memory.rvmodel"))
        let got = try stdin.vectors(cli.file("disk.rvmodel"))
        #expect(!expected.isEmpty && got == expected)

        let corpus = cli.plantedCorpus()
        let evaluate = [
            "evaluate", "--input", corpus, "--protocol", "leave-last-out", "--models", "popularity,item2vec", "--top",
            "5", "--threads", "1", "--epochs", "1", "--bootstrap", "0",
        ]
        let memory = try cli.run(evaluate)
        let disk = try cli.run(evaluate + ["--on-disk"], environment: ["TMPDIR": scratch])
        #expect(disk.status == 0, "\(disk.stderr)")
        #expect(formats.table(disk.stdout) == formats.table(memory.stdout) && !formats.table(memory.stdout).isEmpty)
        // A given test file, put into the training file's item index (an item only it has appended) while mapped.
        let lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map(String.init)
        let trainFile = cli.file("on-disk-train.txt")
        let testFile = cli.file("on-disk-test.txt")
        try lines.dropLast(60).joined(separator: "\n").write(toFile: trainFile, atomically: true, encoding: .utf8)
        try (lines.suffix(60) + ["only_in_test " + lines[0]]).joined(separator: "\n")
            .write(toFile: testFile, atomically: true, encoding: .utf8)
        let given = [
            "evaluate", "--train", trainFile, "--test", testFile, "--protocol", "session", "--models",
            "popularity,item2vec", "--top", "5", "--threads", "1", "--epochs", "1", "--bootstrap", "0", "--test-cases",
            "200",
        ]
        let givenInMemory = try cli.run(given)
        let givenOnDisk = try cli.run(given + ["--on-disk"], environment: ["TMPDIR": scratch])
        #expect(givenOnDisk.status == 0, "\(givenOnDisk.stderr)")
        #expect(formats.table(givenOnDisk.stdout) == formats.table(givenInMemory.stdout))
        #expect(formats.table(givenInMemory.stdout).count > 2, "\(givenInMemory.stdout) \(givenInMemory.stderr)")
        let tune = [
            "tune", "--input", corpus, "--protocol", "leave-last-out", "--models", "cooccurrence", "--trials", "2",
            "--top", "5", "--quiet",
        ]
        let tuned = try cli.run(tune + ["--on-disk"], environment: ["TMPDIR": scratch])
        #expect(tuned.status == 0, "\(tuned.stderr)")
        let tunedInMemory = try cli.run(tune)
        #expect(formats.table(tuned.stdout) == formats.table(tunedInMemory.stdout))  // the train-seconds column aside
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)  // unlinked at once

        let missing = cli.file("no-such-folder-on-disk")
        let refused = cli.file("refused-on-disk.rvmodel")
        let r = try cli.run(train + ["--output", refused, "--on-disk"], environment: ["TMPDIR": missing])
        #expect(r.status != 0)
        #expect(r.stderr.contains(missing) && r.stderr.contains("TMPDIR"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: refused))
        let e = try cli.run(evaluate + ["--on-disk"], environment: ["TMPDIR": missing])
        #expect(e.status != 0 && e.stderr.contains("TMPDIR"), "\(e.stderr)")
    }

    @Test func evaluateAndTuneReadThePreparedCorpus() throws {
        let corpus = cli.plantedCorpus()
        let prepared = cli.file("planted.rvcorpus")
        #expect(try prepare(["--input", corpus, "--output", prepared, "--min-count", "1"]).status == 0)
        let common = ["--protocol", "leave-last-out", "--models", "popularity,cooccurrence", "--top", "5"]
        let text = try cli.run(["evaluate", "--input", corpus] + common)
        let mapped = try cli.run(["evaluate", "--input", prepared] + common)
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(mapped.stderr.contains("data: 3200 events, 400 sequences, 20 items"))
        // The same table (but for its first line, which names the input).
        #expect(formats.table(mapped.stdout).dropFirst() == formats.table(text.stdout).dropFirst())
        let tune = try cli.run(
            [
                "tune", "--input", prepared, "--protocol", "leave-last-out", "--models", "cooccurrence", "--trials",
                "2",
                "--top", "5", "--quiet",
            ]
        )
        #expect(tune.status == 0, "\(tune.stderr)")
        #expect(tune.stdout.contains("best: cooccurrence"))

        // A corpus prepared with a minimum count lacks events evaluation needs: refused, with why.
        let filtered = cli.file("filtered.rvcorpus")
        #expect(try prepare(["--input", corpus, "--output", filtered, "--min-count", "1000"]).status != 0)
        #expect(try prepare(["--input", corpus, "--output", filtered, "--min-count", "170"]).status == 0)
        // A prepared corpus prepared again: it still names the text it came from, with the new filter.
        let again = cli.file("again.rvcorpus")
        #expect(try prepare(["--input", prepared, "--output", again, "--min-count", "170"]).status == 0)
        let described = try cli.run(["info", again])
        #expect(
            described.stdout.contains("prepared from \(corpus) (sequences): --min-count 170"),
            "\(described.stdout)"
        )
        let refused = try cli.run(["evaluate", "--input", filtered] + common)
        cli.expectFailure(refused, "prepared with --min-count 170")
    }

    @Test func badAndStaleCorporaAreRefusedAndNothingIsWritten() throws {
        let events = formats.events()
        let corpus = cli.file("e.rvcorpus")
        #expect(try prepare(["--input", events, "--output", corpus, "--min-count", "1"]).status == 0)
        var bytes = [UInt8](FileManager.default.contents(atPath: corpus)!)
        bytes[bytes.count - 30] ^= 0xFF
        let broken = cli.file("broken.rvcorpus")
        _ = FileManager.default.createFile(atPath: broken, contents: Data(bytes))
        let r = try stdin.train(broken, output: cli.file("b.rvmodel"))
        cli.expectFailure(r, "\(broken): checksum mismatch")
        #expect(!cli.exists("b.rvmodel"))
        cli.expectFailure(try cli.run(["info", broken]), "checksum mismatch")

        // The input changes: the prepared corpus is stale.
        let grown = FileManager.default.contents(atPath: events)! + Data("u0\tg0_1\t9999\n".utf8)
        _ = FileManager.default.createFile(atPath: events, contents: grown)
        let stale = try stdin.train(corpus, output: cli.file("s.rvmodel"))
        cli.expectFailure(stale, "stale prepared corpus")
        #expect(!cli.exists("s.rvmodel"))

        // prepare's own errors: a bad input names its line, and no output appears.
        let bad = cli.write("bad.tsv", "user_id\titem_id\ttimestamp\nu\ta\t1\nu\tb\tlater\n")
        let failed = try prepare(["--input", bad, "--output", cli.file("bad.rvcorpus")])
        cli.expectFailure(failed, "bad.tsv:3: time 'later'")
        #expect(!cli.exists("bad.rvcorpus"))
    }
}
