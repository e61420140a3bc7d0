// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// Faults (issue 14), tested rather than assumed: a full disk (the file-size limit) while `train`,
/// `index` or `export` writes.
struct FaultCLITests {
    let cli = CLITests()

    /// The commands that write a file through a temporary one, as run by the tests below.
    enum Writer: String, CaseIterable, CustomTestStringConvertible {
        case train, index, export
        var testDescription: String { rawValue }
    }

    /// The folder's hidden temporary files (`.NAME.tmp-…`).
    func temporaries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cli.folder)) ?? []).filter {
            $0.hasPrefix(".") && $0.contains(".tmp-")
        }.sorted()
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func train(_ corpus: String, _ output: String, _ extra: [String] = []) throws {
        let r = try cli.run(
            ["train", "--input", corpus, "--output", output, "--min-count", "1", "--epochs", "1", "--threads", "1"]
                + ["--quiet"] + extra
        )
        #expect(r.status == 0, "\(r.stderr)")
    }
}

/// A value shared by the threads of a test.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}

// MARK: - A full disk

extension FaultCLITests {
    /// `ulimit -f 1` (one block: 512 or 1,024 bytes, by the shell) stands for a full disk: the write
    /// fails with EFBIG (recvec ignores SIGXFSZ, which would kill it). The error names the file and
    /// the reason, the old file is untouched, no temporary file is left, and the same command
    /// succeeds once there is room.
    @Test(arguments: Writer.allCases)
    func aFullDiskFailsWithTheFileNamedAndLeavesTheOldFile(writer: Writer) throws {
        let corpus = cli.plantedCorpus()
        let model = cli.file("m.rvmodel")
        try train(corpus, model, ["--dim", "32"])
        let arguments: [String]
        let target: String
        switch writer {
        case .train:
            target = cli.file("new.rvmodel")
            try train(corpus, target, ["--dim", "4"])
            arguments = [
                "train", "--input", corpus, "--output", target, "--dim", "32", "--min-count", "1", "--epochs", "1",
                "--threads", "1", "--quiet",
            ]
        case .index:
            target = model + ".hnsw"
            arguments = ["index", model, "--m", "16", "--threads", "1", "--recall-queries", "0"]
            #expect(try cli.run(["index", model, "--m", "4", "--threads", "1", "--recall-queries", "0"]).status == 0)
        case .export:
            target = cli.file("v.txt")
            arguments = ["export", model, "--output", target]
            _ = cli.write("v.txt", "previous contents\n")
        }
        let old = try #require(bytes(target))
        let before = try FileManager.default.contentsOfDirectory(atPath: cli.folder).sorted()
        let quoted = ([CLITests.binary] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let r = try runWithSignalsUnblocked(["-c", "ulimit -f 1 && exec \(quoted)"], executable: "/bin/sh")
        #expect(r.status == 1, "\(r.stderr)")
        cli.expectFailure(r, "\(target): write failed: File too large")
        #expect(bytes(target) == old)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder).sorted() == before)
        let again = try cli.run(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(bytes(target) != old && temporaries().isEmpty)
    }
}

extension FaultCLITests {
    /// Runs a process as ``CLITests/run(_:in:executable:)`` does, but from a thread that blocks no
    /// signal. A child starts with the signal mask of the thread that spawns it, and the threads
    /// that run tests block most signals: SIGXFSZ blocked, a write past the file-size limit would
    /// fail with EFBIG even in a program that does not ignore the signal, and the test would prove
    /// nothing.
    func runWithSignalsUnblocked(_ arguments: [String], executable: String) throws -> CLITests.Result {
        let result = Locked<Result<CLITests.Result, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let cli = self.cli  // used by the one thread below, while this one waits
        let thread = Thread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            let r = Result { try cli.run(arguments, executable: executable) }
            result.withLock { $0 = r }
            done.signal()
        }
        thread.start()
        done.wait()
        return try result.withLock { $0 }!.get()
    }
}
