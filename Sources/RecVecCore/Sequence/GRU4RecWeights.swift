// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The weights of one GRU layer: input weights `W_ih` (input × 3H, or a row per item for a one-hot
/// input), recurrent weights `W_hh` (H × 3H) and the two biases (3H each), gates in the order
/// reset, update, candidate.
public struct GRULayerWeights: Sendable, Equatable {
    public var inputSize: Int
    public var hiddenSize: Int
    public var inputWeights: [Float]
    public var recurrentWeights: [Float]
    public var inputBias: [Float]
    public var recurrentBias: [Float]
}

/// A trained GRU4Rec network: its layers and item tables, and the forward pass that turns a
/// session's history into scores over every item.
public struct GRU4RecWeights: Sendable, Equatable {
    public var config: GRU4RecConfig
    public var itemCount: Int
    public var layers: [GRULayerWeights]
    /// The output item vectors (items × last layer size), also the input ones when constrained.
    public var output: [Float]
    /// The output item biases.
    public var bias: [Float]
    /// The separate input item vectors (items × embedding), empty otherwise.
    public var embedding: [Float]

    /// The last layer's state after reading `items` (model ids, oldest first) from a zero state.
    public func state(after items: [Int32]) -> [Float] {
        let maxHidden = layers.map(\.hiddenSize).max() ?? 0
        var states = layers.map { [Float](repeating: 0, count: $0.hiddenSize) }
        var gx = [Float](repeating: 0, count: 3 * maxHidden)
        var gh = [Float](repeating: 0, count: 3 * maxHidden)
        var gates = [Float](repeating: 0, count: 3 * maxHidden)
        var next = [Float](repeating: 0, count: maxHidden)
        for item in items {
            for l in layers.indices {
                let layer = layers[l]
                let h = layer.hiddenSize
                gx.withUnsafeMutableBufferPointer { gxp in
                    let g = gxp.baseAddress!
                    layer.inputWeights.withUnsafeBufferPointer { w in
                        if l == 0 && config.input == .oneHot {
                            g.update(from: w.baseAddress! + Int(item) * 3 * h, count: 3 * h)
                        } else {
                            let x: [Float] =
                                l > 0
                                ? states[l - 1]
                                : config.input == .constrained
                                    ? Array(output[(Int(item) * h)..<(Int(item) * h + layer.inputSize)])
                                    : Array(
                                        embedding[
                                            (Int(item) * layer.inputSize)..<(Int(item + 1) * layer.inputSize)
                                        ]
                                    )
                            x.withUnsafeBufferPointer { xp in
                                MatrixProducts.multiply(
                                    xp.baseAddress!,
                                    w.baseAddress!,
                                    into: g,
                                    m: 1,
                                    k: layer.inputSize,
                                    n: 3 * h
                                )
                            }
                        }
                    }
                    for j in 0..<(3 * h) { g[j] += layer.inputBias[j] }
                }
                states[l].withUnsafeBufferPointer { s in
                    layer.recurrentWeights.withUnsafeBufferPointer { w in
                        gh.withUnsafeMutableBufferPointer { ghp in
                            MatrixProducts.multiply(
                                s.baseAddress!,
                                w.baseAddress!,
                                into: ghp.baseAddress!,
                                m: 1,
                                k: h,
                                n: 3 * h
                            )
                            for j in 0..<(3 * h) { ghp[j] += layer.recurrentBias[j] }
                        }
                    }
                }
                gx.withUnsafeBufferPointer { x in
                    gh.withUnsafeBufferPointer { y in
                        states[l].withUnsafeBufferPointer { p in
                            gates.withUnsafeMutableBufferPointer { g in
                                next.withUnsafeMutableBufferPointer { o in
                                    GRUCell.forward(
                                        gx: x.baseAddress!,
                                        gh: y.baseAddress!,
                                        previous: p.baseAddress!,
                                        gates: g.baseAddress!,
                                        next: o.baseAddress!,
                                        rows: 1,
                                        hidden: h
                                    )
                                }
                            }
                        }
                    }
                }
                for j in 0..<h { states[l][j] = next[j] }
            }
        }
        return states[states.count - 1]
    }

    /// Scores of every item for the state: state · output vectorᵀ + bias.
    public func scores(state: [Float], into scores: UnsafeMutablePointer<Float>) {
        let h = state.count
        state.withUnsafeBufferPointer { s in
            output.withUnsafeBufferPointer { w in
                MatrixProducts.multiplyTransposed(
                    s.baseAddress!,
                    w.baseAddress!,
                    into: scores,
                    m: 1,
                    k: h,
                    n: itemCount
                )
            }
        }
        for i in 0..<itemCount { scores[i] += bias[i] }
    }
}
