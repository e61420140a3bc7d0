// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule
import Testing

@testable import RecVecCore

/// The SGNS updates against finite differences of the loss they descend.
struct KernelGradientTests {
    let vocabularySize = 7
    let dim = 9
    let alpha: Float = 0.01

    /// A kernel on `vectorKernel`: every test below runs on each kernel this CPU supports (the
    /// portable Swift loops and, on AVX2, the C kernels of `NegativeSamplingKernels.c`).
    func makeKernel(
        seed: UInt64 = 5,
        vectorKernel: VectorKernel = .portable
    ) -> (TrainingKernel, EmbeddingMatrix, EmbeddingMatrix) {
        let input = EmbeddingMatrix(rows: vocabularySize, dim: dim)
        let output = EmbeddingMatrix(rows: vocabularySize, dim: dim)
        var rng = FastRandom(seed: seed)
        for r in 0..<vocabularySize {
            for c in 0..<dim {
                input.row(r)[c] = rng.nextUnitFloat() - 0.5
                output.row(r)[c] = rng.nextUnitFloat() - 0.5
            }
        }
        let sampler = NegativeSampler(counts: Array(repeating: 1, count: vocabularySize), exponent: 0.75)
        let kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 3,
            sampler: sampler,
            contextCapacity: 8,
            seed: 1,
            alpha: alpha,
            vectorKernel: vectorKernel
        )
        return (kernel, input, output)
    }

    /// −log σ(x), in double precision.
    func nls(_ x: Double) -> Double { Double.log(onePlus: Double.exp(-x)) }

    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map(*).reduce(0, +) }

    func rows(_ m: EmbeddingMatrix) -> [[Double]] { (0..<m.rows).map { m.vector($0).map(Double.init) } }

    /// Skip-gram loss of contexts → centre with shared negatives, at the given parameters.
    func skipGramLoss(_ input: [[Double]], _ output: [[Double]], contexts: [Int], targets: [Int]) -> Double {
        var l = 0.0
        for c in contexts {
            for (k, t) in targets.enumerated() {
                let f = dot(input[c], output[t])
                l += k == 0 ? nls(f) : nls(-f)
            }
        }
        return l
    }

    func cbowLoss(hidden: [Double], _ output: [[Double]], targets: [Int]) -> Double {
        var l = 0.0
        for (k, t) in targets.enumerated() {
            let f = dot(hidden, output[t])
            l += k == 0 ? nls(f) : nls(-f)
        }
        return l
    }

    /// Central finite difference of `f` with respect to every coordinate of `x`.
    func numericGradient(_ x: [Double], _ f: ([Double]) -> Double) -> [Double] {
        let h = 1e-5
        return (0..<x.count).map { i in
            var plus = x
            var minus = x
            plus[i] += h
            minus[i] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    func expectClose(_ actual: [Double], _ expected: [Double], _ what: String) {
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= 2e-4 * max(1, abs(e)), "\(what): \(a) vs \(e)")
        }
    }

    @Test(arguments: VectorKernel.supported)
    func skipGramUpdateIsTheLossGradient(vectorKernel: VectorKernel) {
        var (kernel, input, output) = makeKernel(vectorKernel: vectorKernel)
        defer { kernel.deallocate() }
        let contexts: [Int32] = [1, 2, 4]
        let targets = [3, 0, 5, 6]
        for (k, t) in targets.enumerated() { kernel.targets[k] = Int32(t) }
        let in0 = rows(input)
        let out0 = rows(output)
        let expectedLoss = skipGramLoss(in0, out0, contexts: contexts.map(Int.init), targets: targets)
        contexts.withUnsafeBufferPointer {
            kernel.skipGramStep(contexts: $0.baseAddress!, count: 3, targetCount: targets.count)
        }
        #expect(abs(kernel.loss - expectedLoss) < 1e-4 * expectedLoss)
        #expect(kernel.examples == 3)
        let in1 = rows(input)
        let out1 = rows(output)
        let a = Double(alpha)
        for c in contexts.map(Int.init) {
            let g = numericGradient(in0[c]) { v in
                var m = in0
                m[c] = v
                return skipGramLoss(m, out0, contexts: contexts.map(Int.init), targets: targets)
            }
            expectClose(zip(in1[c], in0[c]).map { ($0 - $1) / -a }, g, "input row \(c)")
        }
        for t in targets {
            let g = numericGradient(out0[t]) { u in
                var m = out0
                m[t] = u
                return skipGramLoss(in0, m, contexts: contexts.map(Int.init), targets: targets)
            }
            expectClose(zip(out1[t], out0[t]).map { ($0 - $1) / -a }, g, "output row \(t)")
        }
        // Rows not involved are untouched.
        #expect(in1[0] == in0[0] && in1[6] == in0[6] && out1[1] == out0[1])
    }

    @Test(arguments: [true, false], VectorKernel.supported)
    func cbowUpdateIsTheLossGradient(mean: Bool, vectorKernel: VectorKernel) {
        var (kernel, input, output) = makeKernel(seed: 9, vectorKernel: vectorKernel)
        defer { kernel.deallocate() }
        let contexts = [0, 2, 5]
        let targets = [4, 1, 6]
        for (k, t) in targets.enumerated() { kernel.targets[k] = Int32(t) }
        let in0 = rows(input)
        let out0 = rows(output)
        var hidden = [Double](repeating: 0, count: dim)
        for c in contexts { hidden = zip(hidden, in0[c]).map(+) }
        if mean { hidden = hidden.map { $0 / Double(contexts.count) } }
        let ids = contexts.map(Int32.init)
        ids.withUnsafeBufferPointer {
            kernel.cbowStep(contexts: $0.baseAddress!, count: 3, targetCount: targets.count, mean: mean)
        }
        let expectedLoss = cbowLoss(hidden: hidden, out0, targets: targets)
        #expect(abs(kernel.loss - expectedLoss) < 1e-4 * expectedLoss)
        let in1 = rows(input)
        let out1 = rows(output)
        let a = Double(alpha)
        for t in targets {
            let g = numericGradient(out0[t]) { u in
                var m = out0
                m[t] = u
                return cbowLoss(hidden: hidden, m, targets: targets)
            }
            expectClose(zip(out1[t], out0[t]).map { ($0 - $1) / -a }, g, "output row \(t)")
        }
        // Each context row moves by −α ∂L/∂h (the word2vec convention; not divided by the window).
        let gh = numericGradient(hidden) { cbowLoss(hidden: $0, out0, targets: targets) }
        for c in contexts {
            expectClose(zip(in1[c], in0[c]).map { ($0 - $1) / -a }, gh, "context row \(c)")
        }
    }

    /// A window whose contexts draw negatives `share` at a time: the runs cover it in order, and
    /// `skipGram(…, share:)` is one plain `skipGram` a run (same draws, same model, same loss).
    @Test(arguments: VectorKernel.supported)
    func sharedDrawsAreOneCallARun(vectorKernel: VectorKernel) {
        // The kernel holds the matrices' memory without owning it: keep every matrix alive.
        var (probe, probeIn, probeOut) = makeKernel(vectorKernel: vectorKernel)
        defer {
            probe.deallocate()
            withExtendedLifetime((probeIn, probeOut)) {}
        }
        let contexts: [Int32] = [1, 2, 3, 4, 5, 6, 2]
        contexts.withUnsafeBufferPointer { ids in
            let base = ids.baseAddress!
            for (count, share, expected) in [
                (7, 3, [(0, 3), (3, 3), (6, 1)]), (7, Int.max, [(0, 7)]), (2, 1, [(0, 1), (1, 1)]), (0, 2, []),
            ] {
                var runs: [(Int, Int)] = []
                probe.forEachShare(of: base, count: count, share: share) { _, run, m in runs.append((run - base, m)) }
                #expect(runs.map { [$0.0, $0.1] } == expected.map { [$0.0, $0.1] }, "count \(count), share \(share)")
            }

            var (shared, sharedIn, sharedOut) = makeKernel(vectorKernel: vectorKernel)
            var (byRun, byRunIn, byRunOut) = makeKernel(vectorKernel: vectorKernel)
            defer {
                shared.deallocate()
                byRun.deallocate()
            }
            shared.skipGram(center: 0, contexts: base, count: 7, share: 3, weight: 0.5)
            for (start, m) in [(0, 3), (3, 3), (6, 1)] {
                byRun.skipGram(center: 0, contexts: base + start, count: m, weight: 0.5)
            }
            #expect(rows(sharedIn) == rows(byRunIn) && rows(sharedOut) == rows(byRunOut))
            #expect(shared.loss == byRun.loss && shared.examples == byRun.examples)
            // Against one draw for the whole window, the runs' own draws make another model.
            var (whole, wholeIn, wholeOut) = makeKernel(vectorKernel: vectorKernel)
            defer { whole.deallocate() }
            whole.skipGram(center: 0, contexts: base, count: 7, weight: 0.5)
            #expect(rows(wholeIn) != rows(sharedIn) && rows(wholeOut) != rows(sharedOut))
        }
    }

    @Test func sigmoidTableIsAccurate() {
        let table = SigmoidTable.shared
        var x = -12.0
        while x <= 12 {
            let exact = 1 / (1 + Double.exp(-x))
            #expect(abs(Double(table.sigmoid(Float(x))) - exact) < 5e-4)
            #expect(abs(Double(table.logSigmoid(Float(x))) - (-nls(x))) < 5e-4)
            x += 0.0137
        }
    }
}
