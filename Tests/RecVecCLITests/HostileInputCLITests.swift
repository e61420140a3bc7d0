// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// Hostile or broken files (issue 14): one line on stderr and exit status 1, never a trap, and no
/// allocation larger than the bytes of the file justify.
struct HostileInputCLITests {
    let cli = CLITests()

    /// Runs `recvec` with its address space limited to 256 MiB (`ulimit -v`): an allocation sized
    /// by a header instead of by the bytes present aborts the process.
    func runLimited(_ arguments: [String]) throws -> CLITests.Result {
        let quoted = ([CLITests.binary] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return try cli.run(["-c", "ulimit -v 262144 && exec \(quoted)"], executable: "/bin/sh")
    }

    @Test func importRefusesWord2VecHeadersTheBytesCannotHold() throws {
        let headers = ["9223372036854775807 100000", "1000000000000 100", "1000000 100"]
        for (n, header) in headers.enumerated() {
            let path = cli.write("w\(n).txt", header + "\n")
            let r = try runLimited(["import", path, "--output", cli.file("m\(n)")])
            #expect(r.status == 1, "\(header): \(r.stderr)")
            cli.expectFailure(r, path)
            #expect(!cli.exists("m\(n)"))
        }
    }
}

extension HostileInputCLITests {
    /// A write that fails for real (the file-size limit, `ulimit -f`, with SIGXFSZ ignored so
    /// that the write returns EFBIG) leaves the old file and no temporary beside it.
    @Test func aFullDiskLeavesTheOldFileAndNoTemporary() throws {
        let corpus = cli.plantedCorpus()
        let model = cli.file("m.rvmodel")
        let train = try cli.run([
            "train", "--input", corpus, "--output", model, "--dim", "32", "--epochs", "1", "--min-count", "1",
            "--quiet",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let out = cli.write("out", "previous contents")
        let before = try FileManager.default.contentsOfDirectory(atPath: cli.folder).sorted()
        let command = "trap '' XFSZ; ulimit -f 1 && exec '\(CLITests.binary)' export '\(model)' --output '\(out)'"
        let r = try cli.run(["-c", command], executable: "/bin/sh")
        #expect(r.status == 1, "\(r.stderr)")
        cli.expectFailure(r, "File too large")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder).sorted() == before)
    }
}
