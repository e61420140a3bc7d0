// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `recvec serve` refuses bad files and options with one line before it listens.
extension CLITests {
    @Test func serveRefusesBadInputWithOneLine() throws {
        let corpus = plantedCorpus()
        let model = file("s.rvmodel")
        #expect(
            try run([
                "train", "--input", corpus, "--output", model, "--dim", "8", "--epochs", "1",
                "--min-count", "1", "--quiet",
            ]).status == 0
        )
        expectFailure(try run(["serve", file("none.rvmodel")]), "none.rvmodel")
        expectFailure(try run(["serve", write("junk.rvmodel", "junk")]), "not a RecVec model file")
        expectFailure(try run(["serve", model, "--port", "0"]), "--port: must be in 1...65535")
        expectFailure(try run(["serve", model, "--max-body-bytes", "0"]), "--max-body-bytes: must be at least 1")
        expectFailure(try run(["serve", model, "--max-ids", "0"]), "--max-ids: must be at least 1")
        expectFailure(try run(["serve", model, "--compute-threads", "0"]), "--compute-threads: must be at least 1")
        expectFailure(try run(["serve", model, "--request-timeout", "0"]), "--request-timeout: must be in")
        expectFailure(try run(["serve", model, "--admin-token", ""]), "--admin-token: must not be empty")
        expectFailure(try run(["serve", model, "--metadata", file("nometa.tsv")]), "nometa.tsv")
        expectFailure(
            try run(["serve", model, "--metadata", write("bad.tsv", "item_id\tfield\tvalue\nx\ty\n")]),
            "bad.tsv:2: expected 3 tab-separated fields"
        )
    }
}

/// What a child process has written to a pipe so far.
final class PipeText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    init(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            lock.withLock { text += String(decoding: data, as: UTF8.self) }
        }
    }

    var value: String { lock.withLock { text } }

    /// Waits (up to about 60 s; a generous bound for a loaded machine, not a timing check) for `needle`.
    func waitFor(_ needle: String) -> Bool {
        for _ in 0..<1200 {
            if value.contains(needle) { return true }
            usleep(50_000)
        }
        return false
    }
}

extension CLITests {
    @Test func serveReloadsOnHangupAndStopsOnTerm() throws {
        let corpus = plantedCorpus()
        let model = file("live.rvmodel")
        #expect(
            try run([
                "train", "--input", corpus, "--output", model, "--dim", "8", "--epochs", "1",
                "--min-count", "1", "--quiet",
            ]).status == 0
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        let port = 30000 + Int(getpid() % 20000)
        process.arguments = ["serve", model, "--port", String(port)]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        let log = PipeText(err)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        #expect(log.waitFor("listening on 127.0.0.1:\(port)"), "\(log.value)")
        kill(process.processIdentifier, SIGHUP)
        #expect(log.waitFor("reloaded model"), "\(log.value)")
        process.terminate()  // SIGTERM: a graceful stop
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(log.value)")
    }
}
