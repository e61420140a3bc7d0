// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// End-to-end tests of the `recvec` executable: real processes, real files, exit codes and stderr.
final class CLITests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for c in candidates {
            let p = c.appendingPathComponent("recvec").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/recvec").path
    }()

    @discardableResult
    func run(
        _ arguments: [String],
        in directory: String? = nil,
        executable: String? = nil,
        stdin: Data? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? Self.binary)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        if stdin != nil { process.standardInput = input }
        try process.run()
        if let stdin {
            // Written from another thread: a child that fills its stdout pipe must not block us.
            let writer = input.fileHandleForWriting
            Thread.detachNewThread {
                try? writer.write(contentsOf: stdin)
                try? writer.close()
            }
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self)
        )
    }

    let folder: String = {
        let p = NSTemporaryDirectory() + "recvec-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }()

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func write(_ name: String, _ text: String) -> String {
        let p = folder + "/" + name
        try! text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func file(_ name: String) -> String { folder + "/" + name }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    /// A corpus of 4 planted groups of 5 tokens.
    func plantedCorpus() -> String {
        var lines: [String] = []
        var random = SplitMix(seed: 12345)
        func next(_ n: Int) -> Int { random.next(n) }
        for _ in 0..<400 {
            let g = next(4)
            lines.append((0..<8).map { _ in "g\(g)_\(next(5))" }.joined(separator: " "))
        }
        return write("corpus.txt", lines.joined(separator: "\n") + "\n")
    }

    /// Asserts a failed run: non-zero exit, one line on stderr containing `message`, no stdout.
    func expectFailure(_ r: Result, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status != 0, sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    }

    /// A training that diverges fails, names the learning rate, and writes no model.
    @Test func divergedTrainingWritesNoModel() throws {
        let r = try run([
            "train", "--input", plantedCorpus(), "--output", file("nan.rvmodel"), "--dim", "16", "--epochs", "2",
            "--min-count", "1", "--threads", "1", "--alpha", "10", "--quiet",
        ])
        expectFailure(r, "--alpha: training diverged in epoch 1")
        #expect(!exists("nan.rvmodel"))
    }

    @Test func trainQueryExportImportRoundTrip() throws {
        let corpus = plantedCorpus()
        let model = file("m.rvmodel")
        let train = try run([
            "train", "--input", corpus, "--output", model, "--dim", "16", "--epochs", "3", "--min-count", "1",
            "--threads", "1", "--sample", "0", "--metrics-json", file("metrics.json"),
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("epoch 3/3: loss"))
        // Which kernel ran (a timing must say what it measured).
        #expect(
            ["portable", "avx2", "avx512"].contains {
                train.stderr.contains("skipgram: negative sampling (sgd) on the \($0) kernel")
            },
            "\(train.stderr)"
        )
        #expect(exists("m.rvmodel"))
        let metrics =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file("metrics.json"))))
            as! [String: Any]
        #expect(metrics["vocab_size"] as? Int == 20)
        #expect((metrics["epoch_losses"] as? [Double])?.count == 3)

        let similar = try run(["similar", model, "g1_0", "--top", "4", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as! [String: Any]
        let neighbours = (json["neighbors"] as! [[String: Any]]).map { $0["token"] as! String }
        #expect(neighbours.count == 4)
        #expect(neighbours.allSatisfy { $0.hasPrefix("g1_") }, "\(neighbours) from \(train.stderr)")

        let text = try run(["similar", model, "g2_1", "g2_2", "--top", "3"])
        #expect(text.status == 0 && text.stdout.split(separator: "\n").count == 3)
        #expect(try run(["analogy", model, "g0_0", "g1_0", "g2_0", "--top", "2"]).status == 0)

        #expect(try run(["export", model, "--format", "word2vec-binary", "--output", file("v.bin")]).status == 0)
        #expect(try run(["export", model, "--output", file("v.txt")]).status == 0)
        #expect(try run(["import", file("v.bin"), "--output", file("back.rvmodel")]).status == 0)
        let fromText = try run(["similar", file("v.txt"), "g1_0", "--top", "4", "--json"])
        let fromImport = try run(["similar", file("back.rvmodel"), "g1_0", "--top", "4", "--json"])
        #expect(fromImport.stdout == similar.stdout)
        #expect(fromText.status == 0)
        let info = try run(["info", model])
        #expect(info.status == 0 && info.stdout.contains("vocabulary: 20 tokens; dimension 16"))

        let questions = write("q.txt", ": planted\ng0_0 g0_1 g1_0 g1_1\n")
        let eval = try run(["evaluate-analogies", model, questions, "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains("\"total\" : 1"))
    }

    @Test func bareOneLetterOutputNamesWork() throws {
        let corpus = plantedCorpus()
        let r = try run(
            [
                "train", "--input", corpus, "--output", "x", "--dim", "4", "--epochs", "1", "--min-count", "1",
                "--quiet",
            ],
            in: folder
        )
        #expect(r.status == 0, "\(r.stderr)")
        #expect(exists("x"))
    }

    @Test func sameSeedOneThreadWritesIdenticalModels() throws {
        let corpus = plantedCorpus()
        for name in ["a.rvmodel", "b.rvmodel"] {
            #expect(
                try run([
                    "train", "--input", corpus, "--output", file(name), "--dim", "8", "--epochs", "2",
                    "--min-count", "1", "--threads", "1", "--seed", "3", "--quiet",
                ]).status == 0
            )
        }
        let a = FileManager.default.contents(atPath: file("a.rvmodel"))!
        let b = FileManager.default.contents(atPath: file("b.rvmodel"))!
        // Identical except the training time inside the header: compare the vectors' region.
        #expect(a.suffix(20 * 8 * 4 * 2 + 4).dropLast(4) == b.suffix(20 * 8 * 4 * 2 + 4).dropLast(4))
    }

    @Test func trainsFromEventLogs() throws {
        let events = write(
            "events.csv",
            """
            user,item,time
            1,a,2024-01-01T10:00:00Z
            1,b,2024-01-01T10:05:00Z
            2,a,1704103200
            2,b,1704103300
            3,b,5
            3,a,6

            """
        )
        let r = try run([
            "train", "--input", events, "--format", "events", "--user-column", "user",
            "--item-column", "item", "--time-column", "time", "--min-count", "1", "--dim", "4",
            "--epochs", "1", "--output", file("e.rvmodel"), "--session-gap", "30m",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("6 tokens, 3 sequences, vocabulary 2"))
    }

    @Test func badInputFailsWithOneLineAndWritesNothing() throws {
        let corpus = plantedCorpus()
        let out = file("never.rvmodel")
        func train(_ extra: [String]) throws -> Result {
            try run(["train", "--output", out, "--min-count", "1", "--epochs", "1"] + extra)
        }
        expectFailure(try train(["--input", file("missing.txt")]), "missing.txt: no such file")
        expectFailure(try train(["--input", write("empty.txt", "")]), "empty.txt: file is empty")
        expectFailure(try train(["--input", corpus, "--dim", "0"]), "--dim: must be between 1 and 10000 (got 0)")
        expectFailure(try train(["--input", corpus, "--window", "0"]), "--window: must be at least 1")
        expectFailure(try train(["--input", corpus, "--epochs", "0"]), "--epochs")
        expectFailure(try train(["--input", corpus, "--min-count", "1000"]), "no token occurs at least 1000 times")
        _ = FileManager.default.createFile(atPath: file("bad.txt"), contents: Data([0x61, 0x20, 0xFF, 0x0A]))
        expectFailure(try train(["--input", file("bad.txt")]), "bad.txt:1: invalid UTF-8 in token")
        let noColumn = write("nocol.tsv", "user_id\tproduct\ttimestamp\n1\tx\t1\n")
        expectFailure(try train(["--input", noColumn, "--format", "events"]), "nocol.tsv:1: missing column 'item_id'")
        let badTime = write("time.tsv", "user_id\titem_id\ttimestamp\n1\tx\tnoon\n")
        expectFailure(try train(["--input", badTime, "--format", "events"]), "time.tsv:2: time 'noon'")
        expectFailure(try train(["--input", badTime, "--format", "events", "--session-gap", "soon"]), "--session-gap")
        expectFailure(
            try run(["train", "--input", corpus, "--output", file("no/such/dir/m.rvmodel")]),
            "does not exist"
        )
        #expect(!exists("never.rvmodel"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func badQueriesFailWithOneLine() throws {
        let corpus = plantedCorpus()
        let model = file("q.rvmodel")
        #expect(
            try run([
                "train", "--input", corpus, "--output", model, "--dim", "8", "--epochs", "1",
                "--min-count", "1", "--quiet",
            ]).status == 0
        )
        expectFailure(try run(["similar", model, "g9_9"]), "unknown token 'g9_9'")
        expectFailure(try run(["similar", model, "g1_00"]), "did you mean: g1_0")
        expectFailure(try run(["analogy", model, "g0_0", "nope", "g1_1"]), "unknown token 'nope'")
        expectFailure(try run(["similar", model, "g1_0", "--top", "0"]), "--top: must be at least 1")
        expectFailure(try run(["similar", file("none.rvmodel"), "x"]), "none.rvmodel: no such file")
        expectFailure(
            try run(["similar", write("junk.bin", "junk"), "x"]),
            "junk.bin: neither a RecVec model nor word2vec vectors"
        )
        expectFailure(
            try run(["export", write("notmodel.txt", "1 2\na 1 2\n"), "--output", file("x.txt")]),
            "not a RecVec model file"
        )
        #expect(!exists("x.txt"))
        expectFailure(try run(["evaluate-analogies", model, file("noq.txt")]), "noq.txt: no such file")
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the fixtures' deterministic random numbers.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<n`.
    mutating func next(_ n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }
}
