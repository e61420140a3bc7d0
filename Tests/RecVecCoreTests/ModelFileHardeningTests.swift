// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RealModule
import Testing

@testable import RecVecCore

/// Crafted model files with a correct checksum (issue 14, rows 4 and 8): header arithmetic that
/// would overflow, duplicate tokens and nonsense hyperparameters are refused with a
/// ``ModelFileError``, never a trap.
struct ModelFileHardeningTests {
    /// The bytes of a model file built from its parts as the format describes it (see
    /// ``ModelFile``), with a correct CRC-32: what a hostile or buggy writer can produce.
    func craft(header: [String: Any], tokens: [String], dim: Int, output: Bool = false) throws -> [UInt8] {
        var bytes: [UInt8] = Array("RECVEC\r\n".utf8)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        let json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        put(UInt32(1))
        put(UInt32(output ? 1 : 0))
        put(UInt64(tokens.count))
        put(UInt32(dim))
        put(UInt32(json.count))
        bytes += json
        for t in tokens {
            put(UInt32(t.utf8.count))
            bytes += Array(t.utf8)
            put(Int64(1))
        }
        for i in 0..<(tokens.count * dim * (output ? 2 : 1)) { put(Float(i % 7).bitPattern) }
        put(bytes.withUnsafeBytes { CRC32.checksum($0) })
        return bytes
    }

    /// The header a default ``TrainingConfig`` of dimension `dim` writes, as JSON values.
    func header(dim: Int = 2, _ change: (inout [String: Any]) -> Void = { _ in }) throws -> [String: Any] {
        var config = TrainingConfig()
        config.dim = dim
        let encoded = try JSONEncoder().encode(config)
        var h: [String: Any] = [
            "config": try JSONSerialization.jsonObject(with: encoded),
            "createdBy": "test",
        ]
        change(&h)
        return h
    }

    func read(_ bytes: [UInt8]) -> (path: String, error: ModelFileError?) {
        let dir = TemporaryFolder()
        let path = dir.write("m.rvmodel", bytes: bytes)
        do {
            _ = try ModelFile.read(from: path)
            return (path, nil)
        } catch {
            return (path, error as? ModelFileError ?? ModelFileError(file: path, "not a ModelFileError: \(error)"))
        }
    }

    @Test func theCraftedFileOfAValidModelLoads() throws {
        #expect(read(try craft(header: try header(), tokens: ["a", "b", "c"], dim: 2)).error == nil)
        let sections: [[String: Any]] = [
            ["kind": "item", "start": 0, "count": 2], ["kind": "user", "start": 2, "count": 1],
        ]
        let h = try header { $0["sections"] = sections }
        #expect(read(try craft(header: h, tokens: ["a", "b", "user:1"], dim: 2)).error == nil)
    }

    // MARK: - Row 4: header arithmetic

    @Test(arguments: [
        [(0, 3), (3, Int.max)], [(0, Int.max), (Int.max, 4)], [(0, 2), (2, -1), (1, 2)],
        [(0, 1), (1, Int.max), (Int.min, 3)],
    ])
    func sectionsWhoseSumOverflowsAreRefused(spans: [(Int, Int)]) throws {
        let sections: [[String: Any]] = spans.enumerated().map { i, s in
            ["kind": i == 0 ? "item" : "user", "start": s.0, "count": s.1]
        }
        let result = read(try craft(header: try header { $0["sections"] = sections }, tokens: ["a", "b", "c"], dim: 2))
        #expect(
            result.error
                == ModelFileError(file: result.path, "corrupt header: token sections do not tile the vocabulary")
        )
    }

    @Test func aSummaryWhoseArithmeticOverflowsIsRefused() throws {
        let summaries: [[String: Any]] = [
            ["epochLosses": [1, 1, 1], "epochExamples": [1, 1, 1], "trainSeconds": 1, "corpusTokens": Int.max / 2],
            ["epochLosses": [1], "epochExamples": [Int.max, Int.max], "trainSeconds": 1, "corpusTokens": 5],
            ["epochLosses": [1], "epochExamples": [1], "trainSeconds": 1, "corpusTokens": -5],
            ["epochLosses": [1], "epochExamples": [1], "trainSeconds": -1, "corpusTokens": 5],
            ["epochLosses": [1], "epochExamples": [1], "trainSeconds": 1, "corpusTokens": 5, "processes": 0],
            ["epochLosses": [1], "epochExamples": [1], "trainSeconds": 1, "corpusTokens": 5, "learningRateScale": -2],
        ]
        for summary in summaries {
            let result = read(try craft(header: try header { $0["summary"] = summary }, tokens: ["a"], dim: 2))
            #expect(result.error?.message.hasPrefix("corrupt header: training summary") == true, "\(summary)")
        }
    }

    @Test func tokensPerSecondNeverTraps() {
        let s = TrainingSummary(epochLosses: [1, 1, 1], epochExamples: [], trainSeconds: 2, corpusTokens: Int.max / 2)
        #expect(s.tokensPerSecond.isApproximatelyEqual(to: Double(Int.max / 2) * 1.5, relativeTolerance: 1e-9))
    }

    // MARK: - Row 8: duplicate tokens and nonsense hyperparameters

    @Test func duplicateTokensAreRefused() throws {
        let result = read(try craft(header: try header(), tokens: ["a", "b", "a"], dim: 2))
        #expect(
            result.error
                == ModelFileError(file: result.path, "corrupt vocabulary: token 'a' appears twice (rows 1 and 3)")
        )
    }

    @Test func writingDuplicateTokensIsRefused() throws {
        let dir = TemporaryFolder()
        let model = EmbeddingModel(
            vocabulary: Vocabulary(tokens: ["a", "b", "a"], counts: [3, 2, 1]),
            input: EmbeddingMatrix(rows: 3, dim: 2),
            output: nil,
            config: TrainingConfig()
        )
        #expect(
            throws: ModelFileError(
                file: dir.file("m.rvmodel"),
                "token 'a' appears twice (rows 1 and 3): a model file holds each token once"
            )
        ) { try ModelFile.write(model, to: dir.file("m.rvmodel")) }
        #expect(dir.contents().isEmpty)
    }

    @Test(arguments: [
        ("dim", -7, "dim: must be between 1 and 10000 (got -7)"),
        ("dim", 0, "dim: must be between 1 and 10000 (got 0)"),
        ("window", -1, "window: must be at least 1 (got -1)"),
        ("window", 0, "window: must be at least 1 (got 0)"),
        ("negative", -1, "negative: must be between 1 and 1000 (got -1)"),
        ("epochs", 0, "epochs: must be at least 1 (got 0)"),
        ("threads", -3, "threads: must be between 1 and 1024 (got -3)"),
    ])
    func nonsenseHyperparametersAreRefused(key: String, value: Int, message: String) throws {
        let h = try header {
            var config = $0["config"] as! [String: Any]
            config[key] = value
            $0["config"] = config
        }
        let result = read(try craft(header: h, tokens: ["a", "b"], dim: 2))
        #expect(result.error == ModelFileError(file: result.path, "corrupt header: \(message)"))
    }

    @Test func importedVectorsWiderThanTrainingAllowsStillLoad() throws {
        let dir = TemporaryFolder()
        let path = dir.write("wide.txt", "1 12000\nw" + String(repeating: " 0.5", count: 12_000) + "\n")
        let model = try Word2VecFormat.read(from: path)
        try ModelFile.write(model, to: dir.file("wide.rvmodel"))
        #expect(try ModelFile.read(from: dir.file("wide.rvmodel")).dim == 12_000)
    }
}
