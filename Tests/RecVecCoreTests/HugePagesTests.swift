// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Large matrices and sampler tables come 2 MiB-aligned and advised for huge pages on Linux
/// (``HugePages``); small ones as before; either way a new matrix is all zeros and works as one.
struct HugePagesTests {
    @Test func largeMatricesAreAlignedToHugePages() {
        let large = EmbeddingMatrix(rows: 20_000, dim: 100)  // 20,000 × 112 floats: 8.96 MB
        #expect(large.rows * large.stride * 4 >= HugePages.threshold)
        #if os(Linux)
        if HugePages.enabled {
            #expect(Int(bitPattern: large.base) % HugePages.alignment == 0)
        }
        #endif
        #expect(Int(bitPattern: large.base) % 64 == 0)
        #expect((0..<large.rows * large.stride).allSatisfy { large.base[$0] == 0 })
        large.row(19_999)[99] = 2
        let copy = large.copy()
        #expect(copy.isIdentical(to: large) && copy.row(19_999)[99] == 2)

        let small = EmbeddingMatrix(rows: 10, dim: 8)
        #expect(Int(bitPattern: small.base) % 64 == 0)
        #expect((0..<small.rows * small.stride).allSatisfy { small.base[$0] == 0 })
    }

    /// A sampler over a catalog whose table passes the threshold draws as one over a small one:
    /// the frequencies follow the counts.
    @Test func aLargeSamplerTableDraws() {
        let n = 600_000  // 4.8 MB of slots
        #expect(n * 8 >= HugePages.threshold)
        var counts = [Int64](repeating: 1, count: n)
        counts[0] = Int64(n)  // token 0: half the mass with exponent 1
        let sampler = NegativeSampler(counts: counts, exponent: 1)
        var rng = FastRandom(seed: 5)
        var zeros = 0
        for _ in 0..<20_000 where sampler.sample(&rng) == 0 { zeros += 1 }
        #expect(abs(Double(zeros) / 20_000 - 0.5) < 0.02, "token 0 drawn \(zeros) of 20,000 times")
    }
}
