// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

struct ModelFileTests {
    func trainedModel() throws -> EmbeddingModel {
        var c = TrainingConfig()
        c.dim = 10
        c.epochs = 1
        c.threads = 1
        return try Trainer(config: c).train(plantedCorpus(groups: 3, size: 4, sequences: 100))
    }

    @Test func roundTripsEverything() throws {
        let dir = TemporaryFolder()
        let model = try trainedModel()
        try ModelFile.write(model, to: dir.file("m.rvmodel"))
        #expect(dir.contents() == ["m.rvmodel"])  // no temporary file left
        let back = try ModelFile.read(from: dir.file("m.rvmodel"))
        #expect(back.isIdentical(to: model))
        #expect(back.vocabulary.counts == model.vocabulary.counts)
        #expect(back.config == model.config)
        #expect(back.summary == model.summary)
        #expect(ModelFile.isModelFile(dir.file("m.rvmodel")))
        // A model trained across processes records them and their learning-rate scale.
        var spread = model
        spread.summary!.processes = 4
        spread.summary!.learningRateScale = 2.5
        try ModelFile.write(spread, to: dir.file("p.rvmodel"))
        let read = try ModelFile.read(from: dir.file("p.rvmodel")).summary!
        #expect(read.processes == 4 && read.learningRateScale == 2.5)
    }

    @Test func checksumIsZlibCRC32() throws {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(bytes.withUnsafeBytes { CRC32.checksum($0) } == 0x414F_A339)
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var crc = CRC32()
        long.withUnsafeBytes {
            crc.update(UnsafeRawBufferPointer(rebasing: $0[0..<333]))
            crc.update(UnsafeRawBufferPointer(rebasing: $0[333...]))
        }
        #expect(crc.value == long.withUnsafeBytes { CRC32.checksum($0) })
    }

    @Test func refusesTruncatedCorruptAndForeignFiles() throws {
        let dir = TemporaryFolder()
        let model = try trainedModel()
        let path = dir.file("m.rvmodel")
        try ModelFile.write(model, to: path)
        let bytes = Array(FileManager.default.contents(atPath: path)!)

        let truncated = dir.write("truncated.rvmodel", bytes: Array(bytes.prefix(bytes.count - 100)))
        #expect { try ModelFile.read(from: truncated) } throws: {
            ($0 as? ModelFileError)?.message.contains("truncated") == true
                || ($0 as? ModelFileError)?.message.contains("checksum") == true
        }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        let corrupt = dir.write("corrupt.rvmodel", bytes: flipped)
        #expect(throws: ModelFileError(file: corrupt, "checksum mismatch: the file is corrupt or truncated")) {
            try ModelFile.read(from: corrupt)
        }
        let foreign = dir.write("foreign.rvmodel", "3 2\na 1 2\n")
        #expect { try ModelFile.read(from: foreign) } throws: {
            ($0 as? ModelFileError)?.message.hasPrefix("not a RecVec model file") == true
        }
        let empty = dir.write("empty.rvmodel", "")
        #expect(throws: ModelFileError(file: empty, "file is empty")) { try ModelFile.read(from: empty) }
        #expect(throws: ModelFileError(file: dir.file("none"), "no such file")) {
            try ModelFile.read(from: dir.file("none"))
        }
        let headerOnly = dir.write("short.rvmodel", bytes: Array(bytes.prefix(20)))
        #expect { try ModelFile.read(from: headerOnly) } throws: {
            ($0 as? ModelFileError)?.message.contains("truncated") == true
        }
    }

    @Test func failedWriteLeavesTheOldFileAndNoTemporary() throws {
        let dir = TemporaryFolder()
        let model = try trainedModel()
        let path = dir.write("m.rvmodel", "previous contents")
        #expect { try ModelFile.write(model, to: dir.file("missing-folder/m.rvmodel")) } throws: {
            $0 is ModelFileError
        }
        let writer = try AtomicFileWriter(path: path)
        try writer.write("partial")
        writer.discard()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous contents")
        #expect(dir.contents() == ["m.rvmodel"])
    }
}
