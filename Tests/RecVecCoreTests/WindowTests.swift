// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// The (centre, context) pairs each window mode produces.
struct WindowTests {
    func contexts(_ sequence: [Int32], mode: WindowMode, window: Int, seed: UInt64 = 1) -> [[Int32]] {
        let m = EmbeddingMatrix(rows: 10, dim: 4)
        let sampler = NegativeSampler(counts: Array(repeating: 1, count: 10), exponent: 0.75)
        var kernel = TrainingKernel(
            input: m,
            output: m,
            negative: 1,
            sampler: sampler,
            contextCapacity: 64,
            seed: seed,
            alpha: 0.1
        )
        defer { kernel.deallocate() }
        let w = ContextWindow(window: window, mode: mode)
        return SequenceSlice.with(sequence) { s in
            (0..<s.count).map { i in
                let n = w.collect(s, at: i, kernel: &kernel)
                return Array(UnsafeBufferPointer(start: kernel.contexts, count: n))
            }
        }
    }

    @Test func fixedWindowTakesWindowTokensEachSide() {
        let c = contexts([0, 1, 2, 3, 4, 5], mode: .fixed, window: 2)
        #expect(c[0] == [1, 2])
        #expect(c[1] == [0, 2, 3])
        #expect(c[2] == [0, 1, 3, 4])
        #expect(c[5] == [3, 4])
    }

    @Test func fullWindowTakesTheWholeSequence() {
        let c = contexts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], mode: .full, window: 1)
        for i in 0..<10 {
            #expect(c[i] == (0..<10).filter { $0 != i }.map(Int32.init))
        }
    }

    @Test func shrinkingWindowIsSymmetricAndUniformInSize() {
        let sequence: [Int32] = Array(0..<9)
        var sizes = [Int](repeating: 0, count: 5)
        for seed in 0..<2000 {
            let c = contexts(sequence, mode: .shrink, window: 4, seed: UInt64(seed))[4]  // the middle: never clipped
            let b = c.count / 2
            #expect(c.count % 2 == 0 && b >= 1 && b <= 4)
            #expect(c == Array(Int32(4 - b)..<4) + Array(5..<Int32(5 + b)))
            sizes[b] += 1
        }
        for b in 1...4 { #expect(abs(sizes[b] - 500) < 100, "window size \(b) drawn \(sizes[b]) times") }
    }

    @Test func aTokenIsNeverItsOwnContextByPosition() {
        let c = contexts([7, 7, 7], mode: .full, window: 5)
        #expect(c.allSatisfy { $0 == [7, 7] })
    }
}
