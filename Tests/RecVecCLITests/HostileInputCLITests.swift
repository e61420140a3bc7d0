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
