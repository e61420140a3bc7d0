// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Atomic writes (issue 14, row 7): the permissions of a replaced file are kept, the temporary
/// file is created exclusively without following a link, and a failed write leaves the old file.
struct AtomicFileWriterTests {
    func permissions(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    @Test(arguments: [0o600, 0o640, 0o755])
    func replacingAFileKeepsItsPermissions(mode: Int) throws {
        let dir = TemporaryFolder()
        let path = dir.write("m.rvmodel", "previous contents")
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let w = try AtomicFileWriter(path: path)
        try w.write("new contents")
        try w.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        #expect(try permissions(path) == mode)
    }

    @Test func aNewFileGetsTheUsualPermissions() throws {
        let dir = TemporaryFolder()
        let w = try AtomicFileWriter(path: dir.file("new"))
        try w.write("x")
        try w.commit()
        let mask = umask(0)
        umask(mask)
        #expect(try permissions(dir.file("new")) == 0o666 & ~Int(mask))
    }

    @Test func aLinkAtTheTemporaryPathIsNotFollowed() throws {
        let dir = TemporaryFolder()
        let victim = dir.write("victim", "must not change")
        let path = dir.file("m.rvmodel")
        let planted = AtomicFileWriter.temporaryPath(folder: dir.path, name: "m.rvmodel", suffix: 1)
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
        var next: UInt32 = 0
        let w = try AtomicFileWriter(
            path: path,
            suffixes: {
                next += 1
                return next
            }
        )
        try w.write("new contents")
        try w.commit()
        #expect(next == 2)  // the planted name was taken: another one was drawn
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "must not change")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        let type = try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
        #expect(type == .typeRegular)
    }

    @Test func aWriteThatFailsMidwayLeavesTheOldFileAndNoTemporary() throws {
        let dir = TemporaryFolder()
        let path = dir.write("v.txt", "previous contents")
        let m = EmbeddingMatrix(rows: 3, dim: 2)
        let model = EmbeddingModel(
            vocabulary: Vocabulary(tokens: ["a", "b", "has space"], counts: [3, 2, 1]),
            input: m,
            output: nil,
            config: TrainingConfig()
        )
        #expect(throws: ModelFileError.self) { try Word2VecFormat.write(model, to: path, format: .text) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous contents")
        #expect(dir.contents() == ["v.txt"])
    }
}

/// Temporary files left by a killed process (issue 14, faults): the next write of the same file
/// removes those of this host whose process is gone, and only those.
extension AtomicFileWriterTests {
    /// The id of a process that has ended (and was reaped).
    func endedProcessID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func temporaryNamesCarryTheHostAndProcess() throws {
        let host = try #require(AtomicFileWriter.host)
        #expect(!host.isEmpty)
        #expect(
            host.utf8.allSatisfy {
                $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                    || (0x61...0x7A).contains($0)
            }
        )
        let path = AtomicFileWriter.temporaryPath(folder: "/d", name: "m.rvmodel", suffix: 77)
        #expect(path == "/d/.m.rvmodel.tmp-\(host)-\(getpid())-77")
        let owner = try #require(
            AtomicFileWriter.owner(ofTemporary: AtomicFileWriter.fileName(path), target: "m.rvmodel")
        )
        #expect(owner.host == host && owner.pid == getpid())
    }

    @Test func temporaryNamesAreParsedStrictly() {
        func owner(_ entry: String, _ target: String = "m") -> String? {
            AtomicFileWriter.owner(ofTemporary: entry, target: target).map { "\($0.host) \($0.pid)" }
        }
        #expect(owner(".m.tmp-box-12-34") == "box 12")
        #expect(owner(".m.tmp-build-box-7-12-34") == "build-box-7 12")  // a host with dashes and digits
        #expect(owner(".m.v2.tmp-box-12-34", "m.v2") == "box 12")
        #expect(owner(".m.tmp-12-34") == nil)  // the form without a host: whose, nobody can tell
        #expect(owner(".m.tmp-box.lan-12-34") == nil)  // a host is never written with a dot
        #expect(owner(".m.tmp-box-12-34x") == nil)
        #expect(owner(".m.tmp-box--34") == nil)
        #expect(owner(".m.tmp-box-0-34") == nil)
        #expect(owner(".m.tmp-box-99999999999999999999-34") == nil)
        #expect(owner(".mm.tmp-box-12-34") == nil)  // another target
        #expect(owner(".x.tmp-box-12-34", "x.tmp-box") == nil)
        #expect(owner("m.tmp-box-12-34") == nil)
    }

    @Test func aNewWriteRemovesTheTemporariesOfEndedProcessesOfThisHostOnly() throws {
        let dir = TemporaryFolder()
        let host = try #require(AtomicFileWriter.host)
        let ended = try endedProcessID()
        let stale = [
            ".m.rvmodel.tmp-\(host)-\(ended)-101",  // a process of this host that was killed
            ".m.rvmodel.tmp-\(host)-\(getpid())-102",  // this process's id, but not a file it opened
        ]
        let kept = [
            ".m.rvmodel.tmp-\(host)-\(getppid())-103",  // a process that still runs (the test's parent)
            ".m.rvmodel.tmp-other-\(host)-\(ended)-104",  // another host: its processes cannot be seen
            ".m.rvmodel.tmp-\(ended)-105",  // the form without a host
            ".other.rvmodel.tmp-\(host)-\(ended)-106",  // another file's
            "m.rvmodel",
        ]
        for name in stale + kept { dir.write(name, "partial") }
        try FileManager.default.createDirectory(
            atPath: dir.file(".m.rvmodel.tmp-\(host)-\(ended)-107"),
            withIntermediateDirectories: false
        )  // not a file: left alone
        let w = try AtomicFileWriter(path: dir.file("m.rvmodel"))
        try w.write("new contents")
        try w.commit()
        #expect(dir.contents() == (kept + [".m.rvmodel.tmp-\(host)-\(ended)-107"]).sorted())
        #expect(try String(contentsOfFile: dir.file("m.rvmodel"), encoding: .utf8) == "new contents")
    }

    @Test func twoWritersOfOneFileInOneProcessKeepEachOthersTemporary() throws {
        let dir = TemporaryFolder()
        let first = try AtomicFileWriter(path: dir.file("m.rvmodel"))
        try first.write("first")
        let second = try AtomicFileWriter(path: "\(dir.path)/./m.rvmodel")  // the folder spelled otherwise
        try second.write("second")
        #expect(dir.contents().filter { $0.hasPrefix(".m.rvmodel.tmp-") }.count == 2)
        try first.commit()
        #expect(try String(contentsOfFile: dir.file("m.rvmodel"), encoding: .utf8) == "first")
        try second.commit()
        #expect(try String(contentsOfFile: dir.file("m.rvmodel"), encoding: .utf8) == "second")
        #expect(dir.contents() == ["m.rvmodel"])
    }
}
