// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// Hierarchical softmax on the batched C kernels (AVX2) against the portable Swift loops: the same
/// windows from the same matrices end within float rounding of each other, and each kernel repeats
/// itself exactly.
struct HierarchicalKernelTests {
    /// A skewed vocabulary, so that paths run from 1 to about 10 inner nodes.
    let counts: [Int64] = (0..<300).map { Int64(100_000 / ($0 + 1)) + 1 }

    enum Step: CaseIterable { case skipGram, cbowMean, cbowSum, infer }

    /// Trains `dim`-dimensional matrices on one fixed stream of windows (lengths 1–40, repeated ids
    /// included) with `kernel`; returns the rows that move on the input side (the input matrix, or
    /// the inferred vector), the output matrix and the kernel's loss.
    func run(
        _ step: Step,
        dim: Int,
        kernel vectorKernel: VectorKernel
    ) -> (input: [Float], output: [Float], loss: Double) {
        let input = EmbeddingMatrix(rows: counts.count, dim: dim)
        let output = EmbeddingMatrix(rows: counts.count, dim: dim)
        let document = EmbeddingMatrix(rows: 1, dim: dim)
        var rng = FastRandom(seed: UInt64(dim))
        for r in 0..<counts.count {
            for c in 0..<dim {
                input.row(r)[c] = (rng.nextUnitFloat() - 0.5) / 4
                output.row(r)[c] = (rng.nextUnitFloat() - 0.5) / 4
            }
        }
        for c in 0..<dim { document.row(0)[c] = rng.nextUnitFloat() - 0.5 }
        var kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 0,
            sampler: NegativeSampler(counts: counts, exponent: 0.75),
            contextCapacity: 64,
            seed: 3,
            alpha: 0.05,
            loss: .hierarchical,
            tree: HuffmanTree(counts: counts),
            vectorKernel: vectorKernel
        )
        defer { kernel.deallocate() }
        for length in [1, 2, 3, 4, 5, 6, 7, 9, 10, 16, 17, 40] {
            for _ in 0..<6 {
                // Few distinct ids, so windows repeat ids and windows share rows.
                var ids = (0..<length).map { _ in Int32(rng.next(below: 24)) }
                let center = Int32(rng.next(below: counts.count))
                ids.withUnsafeMutableBufferPointer { window in
                    let p = window.baseAddress!
                    switch step {
                    case .skipGram: kernel.skipGram(center: center, contexts: p, count: length)
                    case .cbowMean: kernel.cbow(center: center, contexts: p, count: length, mean: true)
                    case .cbowSum: kernel.cbow(center: center, contexts: p, count: length, mean: false, weight: 0.2)
                    case .infer: kernel.inferStep(vector: document.row(0), center: center, contexts: p, count: length)
                    }
                }
            }
        }
        let moved = step == .infer ? document.vector(0) : (0..<input.rows).flatMap { input.vector($0) }
        return (moved, (0..<output.rows).flatMap { output.vector($0) }, kernel.loss)
    }

    @Test(arguments: Step.allCases, [9, 16, 100])
    func batchedKernelsAgreeWithThePortableLoops(step: Step, dim: Int) {
        let portable = run(step, dim: dim, kernel: .portable)
        for kernel in VectorKernel.supported where kernel != .portable {
            let vector = run(step, dim: dim, kernel: kernel)
            #expect(vector.input.count == portable.input.count)
            let apartIn = zip(vector.input, portable.input).map { abs($0 - $1) }.max() ?? 0
            let apartOut = zip(vector.output, portable.output).map { abs($0 - $1) }.max() ?? 0
            #expect(apartIn <= 1e-4 && apartOut <= 1e-4, "\(step) dim \(dim) \(kernel): \(apartIn), \(apartOut)")
            #expect(abs(vector.loss - portable.loss) <= 1e-5 * portable.loss, "\(vector.loss) vs \(portable.loss)")
            #expect(portable.loss > 0)
        }
    }

    @Test(arguments: [Step.skipGram, .cbowMean])
    func everyKernelRepeatsItselfExactly(step: Step) {
        for kernel in VectorKernel.supported {
            let a = run(step, dim: 100, kernel: kernel)
            let b = run(step, dim: 100, kernel: kernel)
            #expect(a.input == b.input && a.output == b.output && a.loss == b.loss, "\(kernel)")
        }
    }
}
