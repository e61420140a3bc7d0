// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// Negative sampling (SGD) on the C kernels of `NegativeSamplingKernels.c` (AVX2) against the
/// portable Swift loops: the same windows from the same matrices end within float rounding of each
/// other, and each kernel repeats itself exactly.
struct NegativeSamplingKernelTests {
    /// A skewed vocabulary: the frequent tokens are often drawn twice as negatives of one window.
    let counts: [Int64] = (0..<300).map { Int64(100_000 / ($0 + 1)) + 1 }

    enum Step: CaseIterable { case skipGram, skipGramWeighted, skipGramPerPair, cbowMean, cbowSum }

    /// Trains `dim`-dimensional matrices with `negative` negatives on one fixed stream of windows
    /// (lengths 1–40, the longest past two blocks of contexts; few distinct ids, so windows repeat
    /// ids) with `kernel`; returns the input and output matrices and the kernel's loss.
    func run(
        _ step: Step,
        dim: Int,
        negative: Int = 5,
        counts: [Int64]? = nil,
        every initial: Float? = nil,
        outputSign: Float = 1,
        kernel vectorKernel: VectorKernel
    ) -> (input: [Float], output: [Float], loss: Double, examples: Int) {
        let counts = counts ?? self.counts
        let input = EmbeddingMatrix(rows: counts.count, dim: dim)
        let output = EmbeddingMatrix(rows: counts.count, dim: dim)
        var rng = FastRandom(seed: UInt64(dim))
        for r in 0..<counts.count {
            for c in 0..<dim {
                input.row(r)[c] = initial ?? (rng.nextUnitFloat() - 0.5) / 4
                output.row(r)[c] = initial.map { $0 * outputSign } ?? (rng.nextUnitFloat() - 0.5) / 4
            }
        }
        var kernel = TrainingKernel(
            input: input,
            output: output,
            negative: negative,
            sampler: NegativeSampler(counts: counts, exponent: 0.75),
            contextCapacity: 64,
            seed: 3,
            alpha: 0.05,
            vectorKernel: vectorKernel
        )
        defer { kernel.deallocate() }
        for length in [1, 2, 3, 4, 5, 6, 7, 9, 10, 16, 17, 33, 40] {
            for _ in 0..<6 {
                var ids = (0..<length).map { _ in Int32(rng.next(below: min(24, counts.count))) }
                let center = Int32(rng.next(below: counts.count))
                ids.withUnsafeMutableBufferPointer { window in
                    let p = window.baseAddress!
                    switch step {
                    case .skipGram: kernel.skipGram(center: center, contexts: p, count: length)
                    case .skipGramWeighted: kernel.skipGram(center: center, contexts: p, count: length, weight: 0.3)
                    case .skipGramPerPair:
                        for c in 0..<length { kernel.skipGram(center: center, contexts: p + c, count: 1) }
                    case .cbowMean: kernel.cbow(center: center, contexts: p, count: length, mean: true)
                    case .cbowSum: kernel.cbow(center: center, contexts: p, count: length, mean: false, weight: 0.2)
                    }
                }
            }
        }
        let flatInput = (0..<input.rows).flatMap { input.vector($0) }
        return (flatInput, (0..<output.rows).flatMap { output.vector($0) }, kernel.loss, kernel.examples)
    }

    func expectAgreement(_ step: Step, dim: Int, negative: Int, counts: [Int64]? = nil) {
        let portable = run(step, dim: dim, negative: negative, counts: counts, kernel: .portable)
        #expect(portable.loss > 0)
        for kernel in VectorKernel.supported where kernel != .portable {
            let vector = run(step, dim: dim, negative: negative, counts: counts, kernel: kernel)
            let apartIn = zip(vector.input, portable.input).map { abs($0 - $1) }.max() ?? 0
            let apartOut = zip(vector.output, portable.output).map { abs($0 - $1) }.max() ?? 0
            let what = "\(step) dim \(dim) negative \(negative) \(kernel)"
            #expect(apartIn <= 1e-4 && apartOut <= 1e-4, "\(what): \(apartIn), \(apartOut)")
            #expect(
                abs(vector.loss - portable.loss) <= 1e-5 * portable.loss,
                "\(what): \(vector.loss) vs \(portable.loss)"
            )
            #expect(vector.examples == portable.examples)
        }
    }

    @Test(arguments: Step.allCases, [9, 16, 100])
    func vectorKernelsAgreeWithThePortableLoops(step: Step, dim: Int) {
        expectAgreement(step, dim: dim, negative: 5)
    }

    /// Target counts the C kernels do not specialise (1 + 11) or specialise at their edges (2, 9).
    @Test(arguments: Step.allCases, [1, 8, 11])
    func otherNegativeCountsAgree(step: Step, negative: Int) {
        expectAgreement(step, dim: 24, negative: negative)
    }

    /// Three tokens: almost every window draws one negative twice (and the positive again), so the
    /// CBOW kernel's sequential loop and the skip-gram kernel's repeated targets are exercised.
    @Test(arguments: Step.allCases)
    func repeatedTargetsAgree(step: Step) {
        expectAgreement(step, dim: 16, negative: 5, counts: [10, 5, 2])
    }

    @Test(arguments: Step.allCases)
    func everyKernelRepeatsItselfExactly(step: Step) {
        for kernel in VectorKernel.supported {
            let a = run(step, dim: 100, kernel: kernel)
            let b = run(step, dim: 100, kernel: kernel)
            #expect(a.input == b.input && a.output == b.output && a.loss == b.loss, "\(kernel)")
        }
    }

    /// Every row the same vector, so that every (target, score) pair scores dim·c² (CBOW's sum of
    /// contexts more): past ``SigmoidTable/saturation`` no pair moves anything, on every kernel —
    /// the positive is learned, and the negatives, which would be pushed hard, are skipped — and
    /// just below it the rows do move. With the output rows the opposite vector every score is as
    /// far below: the negatives are learned, but the positive, as wrong as can be, still steps.
    @Test(arguments: Step.allCases)
    func saturatedPairsGiveNoStep(step: Step) {
        let dim = 16
        for kernel in VectorKernel.supported {
            let start = [Float](repeating: (6.5 / Float(dim)).squareRoot(), count: 300 * dim)
            let past = run(step, dim: dim, every: start[0], kernel: kernel)
            #expect(past.input == start && past.output == start, "\(step) \(kernel)")
            #expect(past.loss > 0)
            let near = [Float](repeating: (5.5 / Float(dim)).squareRoot(), count: 300 * dim)
            let below = run(step, dim: dim, every: near[0], kernel: kernel)
            #expect(below.input != near && below.output != near, "\(step) \(kernel)")
            let wrong = run(step, dim: dim, every: start[0], outputSign: -1, kernel: kernel)
            #expect(wrong.input != start, "\(step) \(kernel)")
        }
    }
}
