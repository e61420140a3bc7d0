// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// NaN and infinity are refused by every reader of vectors, and cannot scramble exact top-k
/// (issue 14, row 3).
struct NonFiniteValueTests {
    static let nonFinite: [Float] = [.nan, .infinity, -.infinity]

    func binaryWord2Vec(_ rows: [(String, [Float])]) -> [UInt8] {
        var bytes = Array("\(rows.count) \(rows[0].1.count)\n".utf8)
        for (token, values) in rows {
            bytes += Array("\(token) ".utf8)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
            bytes.append(10)
        }
        return bytes
    }

    @Test(arguments: nonFinite)
    func binaryWord2VecRefusesNonFiniteValues(value: Float) throws {
        let dir = TemporaryFolder()
        let path = dir.write("v.bin", bytes: binaryWord2Vec([("a", [1, 2]), ("bad", [3, value])]))
        for format in [Word2VecFormat.binary, nil] {
            #expect { try Word2VecFormat.read(from: path, format: format) } throws: { error in
                let e = error as? InputError
                return e?.message == "vector 2 ('bad'): value 2 is not a finite number (\(value))"
            }
        }
    }

    @Test(arguments: ["nan", "inf", "-inf", "NaN", "infinity"])
    func textWord2VecRefusesNonFiniteValues(value: String) throws {
        let dir = TemporaryFolder()
        let path = dir.write("v.txt", "2 2\na 1 2\nbad \(value) 1\n")
        #expect(throws: InputError(file: path, line: 3, "value 1 '\(value)' is not a number")) {
            try Word2VecFormat.read(from: path, format: .text)
        }
    }

    @Test(arguments: ["nan", "inf", "-Infinity"])
    func contentVectorsRefuseNonFiniteValues(value: String) throws {
        let dir = TemporaryFolder()
        let path = dir.write("c.txt", "a 1 2\nb 3 \(value)\n")
        #expect(throws: InputError(file: path, line: 2, "field 3 '\(value)' is not a number")) {
            try ContentVectors.read(path: path)
        }
    }

    @Test(arguments: nonFinite)
    func modelFilesRefuseNonFiniteValues(value: Float) throws {
        let dir = TemporaryFolder()
        for output in [false, true] {
            let input = EmbeddingMatrix(rows: 3, dim: 2)
            let out = EmbeddingMatrix(rows: 3, dim: 2)
            (output ? out : input).setVector(1, [0.5, value])
            let model = EmbeddingModel(
                vocabulary: Vocabulary(tokens: ["a", "b", "c"], counts: [3, 2, 1]),
                input: input,
                output: out,
                config: TrainingConfig()
            )
            let path = dir.file("m.rvmodel")
            try ModelFile.write(model, to: path)
            let matrix = output ? "output" : "input"
            #expect(
                throws: ModelFileError(
                    file: path,
                    "\(matrix) vector of token 'b' (row 2): value 2 is not a finite number (\(value))"
                )
            ) { try ModelFile.read(from: path) }
        }
    }

    @Test func aNaNScoreNeverScramblesTopK() {
        let scores: [Float] = [0.5, .nan, 0.9, 0.1, .nan, 0.7, -.infinity, 0.3]
        for k in 1...scores.count {
            var top = TopK(k: k)
            for (i, s) in scores.enumerated() { top.offer(s, Int32(i)) }
            let ids = top.sorted().map(\.id)
            // NaN ranks as -infinity: below every number, ties by the smaller id.
            let expected: [Int32] = [2, 5, 0, 7, 3, 1, 4, 6]
            #expect(ids == Array(expected.prefix(k)), "k = \(k)")
        }
        #expect(ScoredID(score: .nan, id: 1) < ScoredID(score: -1e30, id: 2))
        #expect(!(ScoredID(score: -1e30, id: 2) < ScoredID(score: .nan, id: 1)))
    }

    @Test func aNaNRowNeverScramblesExactSearch() {
        let m = EmbeddingMatrix(rows: 5, dim: 2)
        for (r, v) in [[1, 0], [Float.nan, 0], [0.8, 0.6], [0, 1], [0.6, 0.8]].enumerated() { m.setVector(r, v) }
        let q = EmbeddingMatrix(rows: 1, dim: 2)
        q.setVector(0, [1, 0])
        let result = BlockedSearch.topK(matrix: m, rows: 5, queries: q, k: 5, threads: 1)[0]
        #expect(result.map(\.id) == [0, 2, 4, 3, 1])
    }
}
