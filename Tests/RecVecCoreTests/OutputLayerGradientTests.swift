// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule
import Testing

@testable import RecVecCore

/// Hierarchical softmax and the full softmax against finite differences of the loss they descend.
struct OutputLayerGradientTests {
    let base = KernelGradientTests()
    let counts: [Int64] = [9, 7, 5, 3, 2, 2, 1]

    func makeKernel(_ loss: TrainingLoss, seed: UInt64 = 5) -> (TrainingKernel, EmbeddingMatrix, EmbeddingMatrix) {
        let (_, input, output) = base.makeKernel(seed: seed)
        let kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 3,
            sampler: NegativeSampler(counts: counts, exponent: 0.75),
            contextCapacity: 8,
            seed: 1,
            alpha: base.alpha,
            loss: loss,
            tree: loss == .hierarchical ? HuffmanTree(counts: counts) : nil
        )
        return (kernel, input, output)
    }

    /// −log p(target | h) under `loss`, in double precision.
    func loss(_ kind: TrainingLoss, hidden h: [Double], _ output: [[Double]], target: Int) -> Double {
        switch kind {
        case .hierarchical:
            let tree = HuffmanTree(counts: counts)
            var l = 0.0
            for (node, code) in zip(tree.path(target), tree.code(target)) {
                let f = base.dot(h, output[Int(node)])
                l += base.nls(code == 0 ? f : -f)
            }
            return l
        case .softmax:
            let scores = (0..<counts.count).map { base.dot(h, output[$0]) }
            let top = scores.max()!
            return -scores[target] + top + Double.log(scores.map { Double.exp($0 - top) }.reduce(0, +))
        case .negative:
            fatalError("covered by KernelGradientTests")
        }
    }

    func expectStep(_ after: [Double], _ before: [Double], _ gradient: [Double], _ what: String) {
        base.expectClose(zip(after, before).map { ($0 - $1) / -Double(base.alpha) }, gradient, what)
    }

    @Test(arguments: [TrainingLoss.hierarchical, .softmax])
    func skipGramUpdateIsTheLossGradient(kind: TrainingLoss) {
        var (kernel, input, output) = makeKernel(kind)
        defer { kernel.deallocate() }
        let contexts: [Int32] = [1, 2, 4]
        let center = 6
        let in0 = base.rows(input)
        let out0 = base.rows(output)
        func total(_ i: [[Double]], _ o: [[Double]]) -> Double {
            contexts.map { loss(kind, hidden: i[Int($0)], o, target: center) }.reduce(0, +)
        }
        let expected = total(in0, out0)
        contexts.withUnsafeBufferPointer { kernel.skipGram(center: Int32(center), contexts: $0.baseAddress!, count: 3) }
        #expect(abs(kernel.loss - expected) < 1e-4 * expected, "\(kernel.loss) vs \(expected)")
        #expect(kernel.examples == 3)
        let in1 = base.rows(input)
        let out1 = base.rows(output)
        for c in contexts.map(Int.init) {
            let g = base.numericGradient(in0[c]) { v in
                var m = in0
                m[c] = v
                return total(m, out0)
            }
            expectStep(in1[c], in0[c], g, "input row \(c)")
        }
        for r in 0..<counts.count {
            let g = base.numericGradient(out0[r]) { u in
                var m = out0
                m[r] = u
                return total(in0, m)
            }
            expectStep(out1[r], out0[r], g, "output row \(r)")
        }
        #expect(in1[0] == in0[0] && in1[6] == in0[6])
        if kind == .hierarchical {
            // Only the centre's path moves: inner nodes off it, and the unused last row, stay.
            let path = Set(HuffmanTree(counts: counts).path(center).map(Int.init))
            for r in 0..<counts.count where !path.contains(r) { #expect(out1[r] == out0[r], "row \(r)") }
        }
    }

    @Test(arguments: [TrainingLoss.hierarchical, .softmax], [true, false])
    func cbowUpdateIsTheLossGradient(kind: TrainingLoss, mean: Bool) {
        var (kernel, input, output) = makeKernel(kind, seed: 9)
        defer { kernel.deallocate() }
        let contexts = [0, 2, 5]
        let center = 4
        let in0 = base.rows(input)
        let out0 = base.rows(output)
        var hidden = [Double](repeating: 0, count: base.dim)
        for c in contexts { hidden = zip(hidden, in0[c]).map(+) }
        if mean { hidden = hidden.map { $0 / Double(contexts.count) } }
        contexts.map(Int32.init).withUnsafeBufferPointer {
            kernel.cbow(center: Int32(center), contexts: $0.baseAddress!, count: 3, mean: mean)
        }
        let expected = loss(kind, hidden: hidden, out0, target: center)
        #expect(abs(kernel.loss - expected) < 1e-4 * expected)
        #expect(kernel.examples == 1)
        let in1 = base.rows(input)
        let out1 = base.rows(output)
        for r in 0..<counts.count {
            let g = base.numericGradient(out0[r]) { u in
                var m = out0
                m[r] = u
                return loss(kind, hidden: hidden, m, target: center)
            }
            expectStep(out1[r], out0[r], g, "output row \(r)")
        }
        let gh = base.numericGradient(hidden) { loss(kind, hidden: $0, out0, target: center) }
        for c in contexts { expectStep(in1[c], in0[c], gh, "context row \(c)") }
    }

    @Test(arguments: [TrainingLoss.hierarchical, .softmax])
    func inferenceStepMovesOnlyTheVector(kind: TrainingLoss) {
        var (kernel, input, output) = makeKernel(kind, seed: 3)
        defer { kernel.deallocate() }
        let vector = EmbeddingMatrix(rows: 1, dim: base.dim)
        var rng = FastRandom(seed: 4)
        for c in 0..<base.dim { vector.row(0)[c] = rng.nextUnitFloat() - 0.5 }
        let v0 = vector.vector(0).map(Double.init)
        let in0 = base.rows(input)
        let out0 = base.rows(output)
        let contexts: [Int32] = [1, 5]
        contexts.withUnsafeBufferPointer {
            kernel.inferStep(vector: vector.row(0), center: 2, contexts: $0.baseAddress!, count: 2)
        }
        func hidden(_ v: [Double]) -> [Double] {
            zip(zip(v, in0[1]).map(+), in0[5]).map { ($0 + $1) / 3 }
        }
        // hidden = mean(vector, contexts); the vector moves by −α ∂L/∂hidden (word2vec's convention).
        let g = base.numericGradient(hidden(v0)) { loss(kind, hidden: $0, out0, target: 2) }
        expectStep(vector.vector(0).map(Double.init), v0, g, "document vector")
        #expect(base.rows(input) == in0 && base.rows(output) == out0, "the model stays frozen")
    }
}
