// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `--input -`: data piped into recvec, plain or gzip, read as the file would be, once.
struct StandardInputCLITests {
    let cli = CLITests()
    let formats = InputFormatCLITests()

    func train(_ input: String, stdin: Data? = nil, output: String) throws -> CLITests.Result {
        try cli.run(
            [
                "train", "--input", input, "--output", output, "--dim", "8", "--epochs", "2", "--min-count", "1",
                "--threads", "1", "--seed", "5",
            ],
            stdin: stdin
        )
    }

    func vectors(_ model: String) throws -> String {
        let text = cli.file(UUID().uuidString + ".txt")
        let r = try cli.run(["export", model, "--output", text])
        #expect(r.status == 0, "\(r.stderr)")
        return String(decoding: FileManager.default.contents(atPath: text) ?? Data(), as: UTF8.self)
    }

    @Test func aPipedLogTrainsTheSameModelAsTheFile() throws {
        let events = formats.events()
        let data = FileManager.default.contents(atPath: events)!
        #expect(try train(events, output: cli.file("file.rvmodel")).status == 0)
        let piped = try train("-", stdin: data, output: cli.file("pipe.rvmodel"))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stderr.contains("read -:") || piped.stderr.contains("read <stdin>:"))
        let expected = try vectors(cli.file("file.rvmodel"))
        #expect(!expected.isEmpty)
        #expect(try vectors(cli.file("pipe.rvmodel")) == expected)

        // gzip through the pipe, told by its bytes.
        let gz = cli.file("events.tsv.gz")
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/bin/sh")
        zip.arguments = ["-c", "gzip -c \"$0\" > \"$1\"", events, gz]
        try zip.run()
        zip.waitUntilExit()
        let gzPiped = try train("-", stdin: FileManager.default.contents(atPath: gz)!, output: cli.file("gz.rvmodel"))
        #expect(gzPiped.status == 0, "\(gzPiped.stderr)")
        #expect(try vectors(cli.file("gz.rvmodel")) == expected)
    }

    @Test func standardInputErrorsSayStdin() throws {
        let empty = try train("-", stdin: Data(), output: cli.file("e.rvmodel"))
        cli.expectFailure(empty, "<stdin>: file is empty")
        #expect(!cli.exists("e.rvmodel"))
        let bad = try train(
            "-",
            stdin: Data("user_id\titem_id\ttimestamp\nu\ta\t1\nu\tb\tlater\n".utf8),
            output: cli.file("b.rvmodel")
        )
        cli.expectFailure(bad, "<stdin>:3: time 'later'")
        #expect(!cli.exists("b.rvmodel"))
    }

    @Test func standardInputIsReadOnce() throws {
        let events = formats.events()
        let r = try cli.run(
            [
                "train", "--model", "meta-prod2vec", "--input", "-", "--metadata", "-", "--output",
                cli.file("m.rvmodel"), "--dim", "4", "--epochs", "1", "--min-count", "1",
            ],
            stdin: FileManager.default.contents(atPath: events)!
        )
        cli.expectFailure(r, "standard input can be read only once")
        #expect(!cli.exists("m.rvmodel"))
    }
}
