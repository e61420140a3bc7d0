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
