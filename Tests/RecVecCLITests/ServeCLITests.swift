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

/// A `recvec serve` process on a free port; killed when released if a test left it running.
final class ServeProcess {
    let process = Process()
    let port = RawHTTP.freePort()
    let log: PipeText

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["serve"] + arguments + ["--port", String(port)]
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        log = PipeText(err)
        try process.run()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    func waitUntilListening() -> Bool { log.waitFor("listening on 127.0.0.1:\(port)") }

    /// The value of the metric `name` (with its labels, as /metrics writes them), `nil` if absent.
    func metric(_ name: String) -> Double? {
        guard case .success(let answer) = RawHTTP.exchange(port: port, "GET", "/metrics"), answer.status == 200 else {
            return nil
        }
        for line in answer.body.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    /// Waits for the process to end: up to about 60 s, a bound for a loaded machine, not a timing check.
    func waitForExit() -> Bool {
        for _ in 0..<1200 {
            if !process.isRunning {
                process.waitUntilExit()
                return true
            }
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
        let server = try ServeProcess([model])
        #expect(server.waitUntilListening(), "\(server.log.value)")
        kill(server.process.processIdentifier, SIGHUP)
        #expect(server.log.waitFor("reloaded model"), "\(server.log.value)")
        server.process.terminate()  // SIGTERM: a graceful stop
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0, "\(server.log.value)")
    }
}
