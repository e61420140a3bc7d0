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
        var scratch = [Float](repeating: 0, count: scratchCount)
        return scratch.withUnsafeMutableBufferPointer { buffer in
            let last = run(items, scratch: buffer.baseAddress!)
            return Array(UnsafeBufferPointer(start: last, count: layers[layers.count - 1].hiddenSize))
        }
    }

    /// Scores of every item (`itemCount` of them, into `scores`) after reading `items` (model ids,
    /// oldest first) from a zero state. Allocates one scratch buffer; the weights are only read,
    /// so concurrent calls are safe.
    public func scores(after items: [Int32], into scores: UnsafeMutablePointer<Float>) {
        var scratch = [Float](repeating: 0, count: scratchCount)
        scratch.withUnsafeMutableBufferPointer { buffer in
            let last = run(items, scratch: buffer.baseAddress!)
            self.scores(state: last, hidden: layers[layers.count - 1].hiddenSize, into: scores)
        }
    }

    /// Floats of the forward pass's scratch: every layer's state, then gx, gh, gates (3·H each)
    /// and the next state of the widest layer.
    var scratchCount: Int {
        let maxHidden = layers.map(\.hiddenSize).max() ?? 0
        return layers.reduce(0) { $0 + $1.hiddenSize } + 10 * maxHidden
    }

    /// The forward pass over `items` in `scratch` (``scratchCount`` floats, zeroed): returns the
    /// last layer's state (inside `scratch`).
    private func run(_ items: [Int32], scratch: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        let maxHidden = layers.map(\.hiddenSize).max() ?? 0
        var stateOf: [UnsafeMutablePointer<Float>] = []
        var offset = 0
        for layer in layers {
            stateOf.append(scratch + offset)
            offset += layer.hiddenSize
        }
        let gx = scratch + offset
        let gh = gx + 3 * maxHidden
        let gates = gh + 3 * maxHidden
        let next = gates + 3 * maxHidden
        let input = config.input
        output.withUnsafeBufferPointer { out in
            embedding.withUnsafeBufferPointer { emb in
                for item in items {
                    for l in layers.indices {
                        let layer = layers[l]
                        let h = layer.hiddenSize
                        let n = layer.inputSize
                        layer.inputWeights.withUnsafeBufferPointer { w in
                            if l == 0 && input == .oneHot {
                                gx.update(from: w.baseAddress! + Int(item) * 3 * h, count: 3 * h)
                            } else {
                                let x: UnsafePointer<Float> =
                                    l > 0
                                    ? UnsafePointer(stateOf[l - 1])
                                    : (input == .constrained ? out.baseAddress! : emb.baseAddress!) + Int(item) * n
                                MatrixProducts.multiply(x, w.baseAddress!, into: gx, m: 1, k: n, n: 3 * h)
                            }
                        }
                        for j in 0..<(3 * h) { gx[j] += layer.inputBias[j] }
                        layer.recurrentWeights.withUnsafeBufferPointer { w in
                            MatrixProducts.multiply(stateOf[l], w.baseAddress!, into: gh, m: 1, k: h, n: 3 * h)
                        }
                        for j in 0..<(3 * h) { gh[j] += layer.recurrentBias[j] }
                        GRUCell.forward(
                            gx: gx,
                            gh: gh,
                            previous: stateOf[l],
                            gates: gates,
                            next: next,
                            rows: 1,
                            hidden: h
                        )
                        stateOf[l].update(from: next, count: h)
                    }
                }
            }
        }
        return stateOf[stateOf.count - 1]
    }

    /// Scores of every item for the state: state · output vectorᵀ + bias.
    public func scores(state: [Float], into scores: UnsafeMutablePointer<Float>) {
        state.withUnsafeBufferPointer { self.scores(state: $0.baseAddress!, hidden: $0.count, into: scores) }
    }

    private func scores(state: UnsafePointer<Float>, hidden h: Int, into scores: UnsafeMutablePointer<Float>) {
        output.withUnsafeBufferPointer { w in
            MatrixProducts.multiplyTransposed(state, w.baseAddress!, into: scores, m: 1, k: h, n: itemCount)
        }
        for i in 0..<itemCount { scores[i] += bias[i] }
    }

    /// What is inconsistent in weights read from a file (sizes that do not match the layers and
    /// the items, a value that is not finite), or `nil`.
    var problem: String? {
        guard !layers.isEmpty, itemCount > 0 else { return "no layers or no items" }
        if config.layers != layers.map(\.hiddenSize) { return "the layers do not match the configuration" }
        let last = layers[layers.count - 1].hiddenSize
        let firstInput: Int
        switch config.input {
        case .constrained: firstInput = last
        case .embedding(let e): firstInput = e
        case .oneHot: firstInput = itemCount
        }
        for (l, layer) in layers.enumerated() {
            let h = layer.hiddenSize
            let n = l == 0 ? firstInput : layers[l - 1].hiddenSize
            guard layer.inputSize == n else { return "layer \(l + 1) reads \(layer.inputSize) values, expected \(n)" }
            guard layer.inputWeights.count == n * 3 * h, layer.recurrentWeights.count == h * 3 * h,
                layer.inputBias.count == 3 * h, layer.recurrentBias.count == 3 * h
            else { return "layer \(l + 1) has weights of the wrong size" }
            for values in [layer.inputWeights, layer.recurrentWeights, layer.inputBias, layer.recurrentBias]
            where values.contains(where: { !$0.isFinite }) {
                return "layer \(l + 1) has a value that is not a finite number"
            }
        }
        guard output.count == itemCount * last, bias.count == itemCount else { return "item tables of the wrong size" }
        let embeddingSize: Int
        if case .embedding(let e) = config.input { embeddingSize = e } else { embeddingSize = 0 }
        guard embedding.count == itemCount * embeddingSize else { return "input item vectors of the wrong size" }
        for values in [output, bias, embedding] where values.contains(where: { !$0.isFinite }) {
            return "an item table has a value that is not a finite number"
        }
        return nil
    }
}
