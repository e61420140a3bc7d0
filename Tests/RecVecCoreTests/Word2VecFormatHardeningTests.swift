// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Hostile and broken word2vec files (issue 14): clear errors, never a trap, allocation bounded
/// by the bytes present.
struct Word2VecFormatHardeningTests {
    /// A header's row count is bounded by the bytes after it: a text row takes at least 2·D + 1
    /// bytes (a token and D one-digit values, each after a separator), a binary one 4·D + 2.
    @Test func rowCapacityIsBoundedByTheBytesPresent() {
        #expect(Word2VecFormat.rowCapacity(header: 1_000_000, dim: 100, bodyBytes: 0, format: .text) == 1)
        #expect(Word2VecFormat.rowCapacity(header: Int.max, dim: 100_000, bodyBytes: 0, format: .binary) == 1)
        #expect(Word2VecFormat.rowCapacity(header: Int.max, dim: 2, bodyBytes: 50, format: .text) == 11)
        #expect(Word2VecFormat.rowCapacity(header: Int.max, dim: 2, bodyBytes: 50, format: .binary) == 6)
        #expect(Word2VecFormat.rowCapacity(header: 3, dim: 2, bodyBytes: 50, format: .text) == 3)
    }

    @Test(arguments: ["9223372036854775807 100000", "1000000000000 100", "1000000 100", "4611686018427387904 16"])
    func headersClaimingMoreRowsThanBytesAreRefused(header: String) throws {
        let dir = TemporaryFolder()
        for format in [Word2VecFormat.text, .binary, nil] {
            let path = dir.write("w.txt", header + "\n")
            #expect(throws: InputError.self) { try Word2VecFormat.read(from: path, format: format) }
            let padded = dir.write("p.txt", header + "\na 1 2 3\n")
            #expect(throws: InputError.self) { try Word2VecFormat.read(from: padded, format: format) }
        }
    }

    @Test func embeddingMatrixSizeIsOverflowChecked() {
        #expect(EmbeddingMatrix.storageCount(rows: Int.max / 8, dim: 100) == nil)
        #expect(EmbeddingMatrix.storageCount(rows: 3, dim: 17) == 96)
        #expect(EmbeddingMatrix.storageCount(rows: 0, dim: 1) == 0)
        #expect(EmbeddingMatrix.storageCount(rows: -1, dim: 1) == nil)
    }
}
