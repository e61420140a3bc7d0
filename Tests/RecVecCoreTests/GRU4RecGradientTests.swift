// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// GRU4Rec's analytic gradients against central finite differences: the GRU cell (through a whole
/// layer: its input, recurrent weights, biases and input), and each loss.
@Suite struct GRU4RecGradientTests {
    /// Relative difference with a floor, for Float finite differences.
    private func close(_ a: Double, _ b: Double, _ tolerance: Double = 2e-2) -> Bool {
        abs(a - b) <= tolerance * max(1e-2, abs(a), abs(b))
    }

    @Test func matrixProductsMatchTheNaiveSumsWhateverTheThreads() {
        var rng = FastRandom(seed: 3)
        let m = 37
        let k = 19
        let n = 70
        let a = (0..<(m * k)).map { _ in rng.nextUnitFloat() - 0.5 }
        let b = (0..<(k * n)).map { _ in rng.nextUnitFloat() - 0.5 }
        let bt = (0..<(n * k)).map { _ in rng.nextUnitFloat() - 0.5 }  // n × k
        let at = (0..<(k * m)).map { _ in rng.nextUnitFloat() - 0.5 }  // k × m
        var reference: [Float] = []
        for threads in [1, 2] {
            var c = [Float](repeating: 1, count: m * n)
            var ct = [Float](repeating: 1, count: m * n)
            var ca = [Float](repeating: 1, count: m * n)
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        MatrixProducts.multiply(
                            ap.baseAddress!,
                            bp.baseAddress!,
                            into: cp.baseAddress!,
                            m: m,
                            k: k,
                            n: n,
                            threads: threads
                        )
                    }
                }
                bt.withUnsafeBufferPointer { bp in
                    ct.withUnsafeMutableBufferPointer { cp in
                        MatrixProducts.multiplyTransposed(
                            ap.baseAddress!,
                            bp.baseAddress!,
                            into: cp.baseAddress!,
                            m: m,
                            k: k,
                            n: n,
                            accumulate: true,
                            threads: threads
                        )
                    }
                }
            }
            at.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    ca.withUnsafeMutableBufferPointer { cp in
                        MatrixProducts.accumulateTransposed(
                            ap.baseAddress!,
                            bp.baseAddress!,
                            into: cp.baseAddress!,
                            m: m,
                            k: k,
                            n: n,
                            threads: threads
                        )
                    }
                }
            }
            for i in 0..<m {
                for j in 0..<n {
                    var s: Float = 0
                    var st: Float = 1
                    var sa: Float = 1
                    for p in 0..<k {
                        s += a[i * k + p] * b[p * n + j]
                        st += a[i * k + p] * bt[j * k + p]
                        sa += at[p * m + i] * b[p * n + j]
                    }
                    #expect(abs(c[i * n + j] - s) < 1e-4)
                    #expect(abs(ct[i * n + j] - st) < 1e-4)
                    #expect(abs(ca[i * n + j] - sa) < 1e-4)
                }
            }
            let all = c + ct + ca
            if threads == 1 { reference = all } else { #expect(all == reference) }
        }
    }

    /// L = Σ c ⊙ output of a GRU layer (3 inputs, 4 units, 2 rows, a non-zero previous state):
    /// the gradients of W_ih, W_hh, b_ih, b_hh and the input against central differences.
    @Test func theGRULayerBackPropagatesTheFiniteDifferences() {
        var rng = FastRandom(seed: 11)
        let rows = 2
        let inputSize = 3
        let hidden = 4
        let layer = GRU4RecTrainingLayer(
            inputSize: inputSize,
            hidden: hidden,
            items: 0,
            oneHot: false,
            maxRows: rows,
            rng: &rng
        )
        for i in 0..<(3 * hidden) {
            layer.inputBias.value[i] = rng.nextUnitFloat() - 0.5
            layer.recurrentBias.value[i] = rng.nextUnitFloat() - 0.5
        }
        let previous = (0..<(rows * hidden)).map { _ in rng.nextUnitFloat() * 1.6 - 0.8 }
        var input = (0..<(rows * inputSize)).map { _ in rng.nextUnitFloat() * 2 - 1 }
        let weights = (0..<(rows * hidden)).map { _ in rng.nextUnitFloat() * 2 - 1 }
        let items: [Int32] = [0, 0]

        func loss() -> Double {
            layer.state.update(from: previous, count: rows * hidden)
            var dropoutRng = FastRandom(seed: 0)
            input.withUnsafeBufferPointer { x in
                items.withUnsafeBufferPointer { it in
                    layer.forward(
                        input: x.baseAddress!,
                        items: it.baseAddress!,
                        rows: rows,
                        dropout: 0,
                        rng: &dropoutRng,
                        threads: 1
                    )
                }
            }
            var l = 0.0
            for i in 0..<(rows * hidden) { l += Double(weights[i] * layer.output[i]) }
            return l
        }

        _ = loss()
        layer.dOutput.update(from: weights, count: rows * hidden)
        var dInput = [Float](repeating: 0, count: rows * inputSize)
        input.withUnsafeBufferPointer { x in
            items.withUnsafeBufferPointer { it in
                dInput.withUnsafeMutableBufferPointer { d in
                    layer.backward(
                        input: x.baseAddress!,
                        items: it.baseAddress!,
                        rows: rows,
                        dInput: d.baseAddress!,
                        threads: 1
                    )
                }
            }
        }
        let eps: Float = 1e-2
        let parameters: [(String, AdagradParameter)] = [
            ("W_ih", layer.inputWeights!), ("W_hh", layer.recurrentWeights), ("b_ih", layer.inputBias),
            ("b_hh", layer.recurrentBias),
        ]
        var checked = 0
        for (name, p) in parameters {
            for i in 0..<p.count {
                let saved = p.value[i]
                p.value[i] = saved + eps
                let up = loss()
                p.value[i] = saved - eps
                let down = loss()
                p.value[i] = saved
                let numeric = (up - down) / Double(2 * eps)
                #expect(close(Double(p.gradient[i]), numeric), "\(name)[\(i)]: \(p.gradient[i]) vs \(numeric)")
                checked += 1
            }
        }
        for i in 0..<input.count {
            let saved = input[i]
            input[i] = saved + eps
            let up = loss()
            input[i] = saved - eps
            let down = loss()
            input[i] = saved
            let numeric = (up - down) / Double(2 * eps)
            #expect(close(Double(dInput[i]), numeric), "input[\(i)]: \(dInput[i]) vs \(numeric)")
        }
        #expect(checked == 3 * hidden * (inputSize + hidden + 2))
    }

    /// Checks `gradient` (written by `lossFunction`) against central differences of its loss.
    private func checkLoss(
        rows: Int,
        columns: Int,
        seed: UInt64,
        _ lossFunction: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Double
    ) {
        var rng = FastRandom(seed: seed)
        var scores = (0..<(rows * columns)).map { _ in rng.nextUnitFloat() * 4 - 2 }
        var gradient = [Float](repeating: 0, count: rows * columns)
        var scratch = [Float](repeating: 0, count: rows * columns)
        func evaluate(_ g: inout [Float]) -> Double {
            scores.withUnsafeBufferPointer { s in
                g.withUnsafeMutableBufferPointer { lossFunction(s.baseAddress!, $0.baseAddress!) }
            }
        }
        _ = evaluate(&gradient)
        let eps: Float = 1e-2
        for i in scores.indices {
            let saved = scores[i]
            scores[i] = saved + eps
            let up = evaluate(&scratch)
            scores[i] = saved - eps
            let down = evaluate(&scratch)
            scores[i] = saved
            let numeric = (up - down) / Double(2 * eps)
            #expect(close(Double(gradient[i]), numeric), "score[\(i)]: \(gradient[i]) vs \(numeric)")
        }
    }

    @Test func crossEntropyGradientMatchesFiniteDifferences() {
        let rows = 3
        let columns = 7
        var rng = FastRandom(seed: 2)
        let offsets = (0..<columns).map { _ in rng.nextUnitFloat() }
        for useOffsets in [false, true] {
            checkLoss(rows: rows, columns: columns, seed: 5) { s, g in
                offsets.withUnsafeBufferPointer { o in
                    GRU4RecLosses.crossEntropy(
                        scores: s,
                        offsets: useOffsets ? o.baseAddress! : nil,
                        rows: rows,
                        columns: columns,
                        gradient: g,
                        scale: 1
                    )
                }
            }
        }
    }

    @Test func bprMaxGradientMatchesFiniteDifferences() {
        let rows = 3
        let columns = 8
        var scratch = [Float](repeating: 0, count: columns)
        for (bpreg, elu) in [(Float(0), Float(0)), (0.7, 0), (1.3, 0.5), (0.2, 1)] {
            checkLoss(rows: rows, columns: columns, seed: 9) { s, g in
                scratch.withUnsafeMutableBufferPointer { sc in
                    GRU4RecLosses.bprMax(
                        scores: s,
                        rows: rows,
                        columns: columns,
                        bpreg: bpreg,
                        elu: elu,
                        gradient: g,
                        scratch: sc.baseAddress!,
                        scale: 1
                    )
                }
            }
        }
    }

    /// The loss of a row is the formula written out: BPR-max with two negatives, by hand.
    @Test func bprMaxIsTheFormula() {
        // One row, target 1.0, negatives 0.0 and 2.0; bpreg 0.5, no ELU.
        let scores: [Float] = [1, 0, 2]
        var gradient = [Float](repeating: 0, count: 3)
        var scratch = [Float](repeating: 0, count: 3)
        let loss = scores.withUnsafeBufferPointer { s in
            gradient.withUnsafeMutableBufferPointer { g in
                scratch.withUnsafeMutableBufferPointer { sc in
                    GRU4RecLosses.bprMax(
                        scores: s.baseAddress!,
                        rows: 1,
                        columns: 3,
                        bpreg: 0.5,
                        elu: 0,
                        gradient: g.baseAddress!,
                        scratch: sc.baseAddress!,
                        scale: 1
                    )
                }
            }
        }
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        let s0 = 1 / (1 + exp(2.0))
        let s2 = exp(2.0) / (1 + exp(2.0))
        let expected = -log(s0 * sigmoid(1) + s2 * sigmoid(-1)) + 0.5 * (s0 * 0 + s2 * 4)
        #expect(abs(loss - expected) < 1e-5)
    }
}
