// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// Faults (issue 14), tested rather than assumed: `kill -9` while `train`, `index` or `export`
/// writes, a full disk (the file-size limit), and, in FaultServeCLITests.swift, a stop and reloads
/// while requests are under way.
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

    /// 1,000 lines of 10 tokens drawn from 100,000 (about 9,500 distinct ones, each rare): a model
    /// with many rows that trains in a moment, so that writing it takes a while. Returns the file
    /// and one of its tokens.
    func wideCorpus() -> (path: String, token: String) {
        var random = SplitMix(seed: 99)
        let lines = (0..<1000).map { _ in (0..<10).map { _ in "t\(random.next(100_000))" }.joined(separator: " ") }
        let token = String(lines[0].split(separator: " ")[0])
        return (cli.write("wide.txt", lines.joined(separator: "\n") + "\n"), token)
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

// MARK: - kill -9 while writing

extension FaultCLITests {
    /// What a kill test runs: the command, the file it replaces, and a check that a file there is
    /// whole (it loads).
    struct KillJob {
        var arguments: [String]
        var target: String
        var loads: () throws -> Bool
    }

    /// A job over an existing, valid target whose write takes long enough (some megabytes) to be
    /// caught in the middle.
    func killJob(_ writer: Writer) throws -> KillJob {
        let planted = cli.plantedCorpus()
        let wide = wideCorpus()
        switch writer {
        case .train:
            let target = cli.file("m.rvmodel")
            try train(planted, target, ["--dim", "8"])
            return KillJob(
                arguments: [
                    "train", "--input", wide.path, "--output", target, "--dim", "128", "--window", "1", "--negative",
                    "1", "--sample", "0", "--min-count", "1", "--epochs", "1", "--threads", "1", "--quiet",
                ],
                target: target,
                loads: { try self.cli.run(["info", target]).status == 0 }
            )
        case .index:
            // Two dimensions and efConstruction 1 build fast; M 128 makes a file of ~13 MB.
            let model = cli.file("s.rvmodel")
            try train(wide.path, model, ["--dim", "2", "--window", "1", "--negative", "1"])
            let small = try cli.run([
                "index", model, "--m", "4", "--ef-construction", "4", "--threads", "1", "--recall-queries", "0",
            ])
            #expect(small.status == 0, "\(small.stderr)")
            return KillJob(
                arguments: [
                    "index", model, "--m", "128", "--ef-construction", "1", "--threads", "1", "--recall-queries", "0",
                ],
                target: model + ".hnsw",
                loads: {
                    // A damaged or foreign index would be reported on stderr and skipped.
                    let r = try self.cli.run(["similar", model, wide.token, "--top", "3"])
                    return r.status == 0 && r.stderr.isEmpty
                }
            )
        case .export:
            // Binary: a file that reads back in a moment (text takes seconds in a debug build).
            let small = cli.file("small.rvmodel")
            try train(planted, small, ["--dim", "8"])
            let model = cli.file("w.rvmodel")
            try train(wide.path, model, ["--dim", "128", "--window", "1", "--negative", "1", "--sample", "0"])
            let target = cli.file("v.bin")
            let format = ["--format", "word2vec-binary"]
            #expect(try cli.run(["export", small, "--output", target] + format).status == 0)
            return KillJob(
                arguments: ["export", model, "--output", target] + format,
                target: target,
                loads: { try self.cli.run(["import", target, "--output", self.cli.file("back.rvmodel")]).status == 0 }
            )
        }
    }

    /// Runs `arguments` and sends SIGKILL as soon as a temporary file shows in the folder (polled
    /// every millisecond). Returns whether the process died of the signal; it may have finished first.
    func killWhileWriting(_ arguments: [String]) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning {
            if !temporaries().isEmpty {
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(1000)
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// `kill -9` while the new file is being written leaves the old one byte for byte (and it still
    /// loads), and the temporary file; the next run succeeds and removes that temporary file. When
    /// the kill comes too late (the file was already renamed into place, or the process ended),
    /// the file there must still be whole. Up to three tries to catch the write in the middle.
    @Test(arguments: Writer.allCases)
    func aKilledWriteLeavesTheOldFileAndTheNextRunCleansUp(writer: Writer) throws {
        let job = try killJob(writer)
        var caught = false
        for _ in 0..<3 where !caught {
            let old = try #require(bytes(job.target))
            let killed = try killWhileWriting(job.arguments)
            let left = temporaries()
            if killed && !left.isEmpty {
                caught = true
                #expect(bytes(job.target) == old, "the target changed although its temporary file is still there")
                #expect(left.count == 1, "\(left)")
            }
            #expect(try job.loads(), "\(job.target) does not load after a kill")
        }
        if !caught { print("note: \(writer): the kill never came while the file was being written") }
        let next = try cli.run(job.arguments)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(temporaries().isEmpty, "\(temporaries())")
        #expect(try job.loads())
    }
}

// MARK: - Ctrl-C and SIGTERM while writing

extension FaultCLITests {
    /// Runs `arguments` from a thread that blocks no signal (a child inherits the mask) and sends
    /// `signal` once a temporary file shows in the folder. Returns the exit status and stderr, and
    /// whether the signal came while the file was being written.
    func interruptWhileWriting(
        _ arguments: [String],
        signal: Int32
    ) throws -> (
        status: Int32, stderr: String, caught: Bool
    ) {
        let result = Locked<Result<(Int32, String, Bool), any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let fault = self
        let thread = Thread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            let r = Result { () throws -> (Int32, String, Bool) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: CLITests.binary)
                process.arguments = arguments
                let err = Pipe()
                process.standardOutput = FileHandle.nullDevice
                process.standardError = err
                try process.run()
                var caught = false
                while process.isRunning {
                    if !fault.temporaries().isEmpty {
                        kill(process.processIdentifier, signal)
                        caught = true
                        break
                    }
                    usleep(1000)
                }
                let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                return (process.terminationStatus, text, caught)
            }
            result.withLock { $0 = r }
            done.signal()
        }
        thread.start()
        done.wait()
        let (status, stderr, caught) = try result.withLock { $0 }!.get()
        return (status, stderr, caught)
    }

    /// Ctrl-C or SIGTERM while `train` writes: exit 128 + the signal, the old model byte for byte,
    /// and no temporary file left (unlike `kill -9`, which cannot be caught).
    @Test(arguments: [SIGINT, SIGTERM])
    func anInterruptedWriteLeavesTheOldFileAndNoTemporary(signal: Int32) throws {
        let job = try killJob(.train)
        var caught = false
        for _ in 0..<3 where !caught {
            let old = try #require(bytes(job.target))
            let r = try interruptWhileWriting(job.arguments, signal: signal)
            if r.caught && r.status != 0 {
                caught = true
                #expect(r.status == 128 + signal, "\(r.stderr)")
                #expect(r.stderr.contains("interrupted (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))"), "\(r.stderr)")
                #expect(bytes(job.target) == old, "the target changed")
            }
            #expect(temporaries().isEmpty, "\(temporaries())")
            #expect(try job.loads())
        }
        if !caught { print("note: the signal never came while the file was being written") }
    }
}
