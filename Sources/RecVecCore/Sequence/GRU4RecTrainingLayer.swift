// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One GRU layer while it trains: its parameters (dense, or a per-item input table for a one-hot
/// input) and the minibatch buffers of its forward and backward passes, allocated once.
final class GRU4RecTrainingLayer {
    let inputSize: Int
    let hidden: Int
    /// Dense input weights (input × 3H); `nil` for a one-hot input.
    let inputWeights: AdagradParameter?
    /// Per-item input weights (items × 3H) for a one-hot input.
    let inputTable: ItemTable?
    let recurrentWeights: AdagradParameter
    let inputBias: AdagradParameter
    let recurrentBias: AdagradParameter
    /// The carried state (rows × H), the previous state during a step.
    let state: UnsafeMutablePointer<Float>
    /// The output of this step, dropout applied (rows × H).
    let output: UnsafeMutablePointer<Float>
    /// The dropout mask (0 or 1/(1−p)) of the output.
    let mask: UnsafeMutablePointer<Float>
    let gx: UnsafeMutablePointer<Float>
    let gh: UnsafeMutablePointer<Float>
    let gates: UnsafeMutablePointer<Float>
    let dgx: UnsafeMutablePointer<Float>
    let dgh: UnsafeMutablePointer<Float>
    /// The gradient of the output.
    let dOutput: UnsafeMutablePointer<Float>
    let maxRows: Int

    init(inputSize: Int, hidden: Int, items: Int, oneHot: Bool, maxRows: Int, rng: inout FastRandom) {
        self.inputSize = inputSize
        self.hidden = hidden
        self.maxRows = maxRows
        // The official implementation's initialisation (its "compatibility mode"): uniform in
        // ±√(6 / (fan-in + fan-out)) per gate block.
        let inputRange = Float((6.0 / Double(inputSize + hidden)).squareRoot())
        if oneHot {
            inputWeights = nil
            inputTable = ItemTable(rows: items, width: 3 * hidden, range: inputRange, maxRows: maxRows, rng: &rng)
        } else {
            inputWeights = AdagradParameter(count: inputSize * 3 * hidden, range: inputRange, rng: &rng)
            inputTable = nil
        }
        recurrentWeights = AdagradParameter(
            count: hidden * 3 * hidden,
            range: Float((6.0 / Double(2 * hidden)).squareRoot()),
            rng: &rng
        )
        inputBias = AdagradParameter(count: 3 * hidden, rng: &rng)
        recurrentBias = AdagradParameter(count: 3 * hidden, rng: &rng)
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n))
            p.update(repeating: 0, count: n)
            return p
        }
        state = buffer(maxRows * hidden)
        output = buffer(maxRows * hidden)
        mask = buffer(maxRows * hidden)
        dOutput = buffer(maxRows * hidden)
        gx = buffer(maxRows * 3 * hidden)
        gh = buffer(maxRows * 3 * hidden)
        gates = buffer(maxRows * 3 * hidden)
        dgx = buffer(maxRows * 3 * hidden)
        dgh = buffer(maxRows * 3 * hidden)
    }

    deinit {
        for p in [state, output, mask, dOutput, gx, gh, gates, dgx, dgh] { p.deallocate() }
    }

    /// The forward pass of `rows` rows: `input` (rows × inputSize; ignored for a one-hot input,
    /// which reads `items`) and the carried state give `output`, with dropout `p` when training.
    func forward(
        input: UnsafePointer<Float>?,
        items: UnsafePointer<Int32>,
        rows: Int,
        dropout p: Float,
        rng: inout FastRandom,
        threads: Int
    ) {
        let g3 = 3 * hidden
        if let table = inputTable {
            for b in 0..<rows { (gx + b * g3).update(from: table.row(items[b]), count: g3) }
        } else if let w = inputWeights, let input {
            MatrixProducts.multiply(input, w.value, into: gx, m: rows, k: inputSize, n: g3, threads: threads)
        }
        MatrixProducts.multiply(state, recurrentWeights.value, into: gh, m: rows, k: hidden, n: g3, threads: threads)
        for b in 0..<rows {
            Kernels.add(inputBias.value, gx + b * g3, count: g3)
            Kernels.add(recurrentBias.value, gh + b * g3, count: g3)
        }
        GRUCell.forward(gx: gx, gh: gh, previous: state, gates: gates, next: output, rows: rows, hidden: hidden)
        Dropout.apply(output, mask: mask, count: rows * hidden, p: p, rng: &rng)
    }

    /// The backward pass from `dOutput`: writes the gradients of the weight matrices (one product
    /// each, so they need no clearing between steps), accumulates those of the biases and of a
    /// one-hot input's rows and, when `dInput` is given, writes the gradient of the input
    /// (rows × inputSize).
    func backward(
        input: UnsafePointer<Float>?,
        items: UnsafePointer<Int32>,
        rows: Int,
        dInput: UnsafeMutablePointer<Float>?,
        threads: Int
    ) {
        let g3 = 3 * hidden
        for i in 0..<(rows * hidden) { dOutput[i] *= mask[i] }
        GRUCell.backward(
            dNext: dOutput,
            gates: gates,
            gh: gh,
            previous: state,
            dgx: dgx,
            dgh: dgh,
            rows: rows,
            hidden: hidden
        )
        for b in 0..<rows {
            Kernels.add(dgx + b * g3, inputBias.gradient, count: g3)
            Kernels.add(dgh + b * g3, recurrentBias.gradient, count: g3)
        }
        MatrixProducts.accumulateTransposed(
            state,
            dgh,
            into: recurrentWeights.gradient,
            m: hidden,
            k: rows,
            n: g3,
            accumulate: false,
            threads: threads
        )
        if let table = inputTable {
            for b in 0..<rows { Kernels.add(dgx + b * g3, table.gradient(items[b]), count: g3) }
        } else if let w = inputWeights, let input {
            MatrixProducts.accumulateTransposed(
                input,
                dgx,
                into: w.gradient,
                m: inputSize,
                k: rows,
                n: g3,
                accumulate: false,
                threads: threads
            )
            if let dInput {
                MatrixProducts.multiplyTransposed(
                    dgx,
                    w.value,
                    into: dInput,
                    m: rows,
                    k: g3,
                    n: inputSize,
                    threads: threads
                )
            }
        }
    }

    /// One optimizer step on every parameter; the output becomes the carried state.
    func step(rows: Int, learningRate: Float, momentum: Float) {
        inputWeights?.step(learningRate: learningRate, momentum: momentum, clearingGradient: false)
        inputTable?.step(learningRate: learningRate, momentum: momentum)
        recurrentWeights.step(learningRate: learningRate, momentum: momentum, clearingGradient: false)
        inputBias.step(learningRate: learningRate, momentum: momentum)
        recurrentBias.step(learningRate: learningRate, momentum: momentum)
        state.update(from: output, count: rows * hidden)
    }

    /// The trained weights.
    var weights: GRULayerWeights {
        GRULayerWeights(
            inputSize: inputSize,
            hiddenSize: hidden,
            inputWeights: inputWeights?.values ?? inputTable!.parameter.values,
            recurrentWeights: recurrentWeights.values,
            inputBias: inputBias.values,
            recurrentBias: recurrentBias.values
        )
    }
}

/// Inverted dropout: each value is kept with probability 1 − p and scaled by 1/(1 − p).
enum Dropout {
    /// Applies dropout to `x`, recording the factors in `mask`; p = 0 keeps everything.
    @inline(__always)
    static func apply(
        _ x: UnsafeMutablePointer<Float>,
        mask: UnsafeMutablePointer<Float>,
        count: Int,
        p: Float,
        rng: inout FastRandom
    ) {
        if p <= 0 {
            mask.update(repeating: 1, count: count)
            return
        }
        let keep = 1 / (1 - p)
        for i in 0..<count {
            let m: Float = rng.nextUnitFloat() < p ? 0 : keep
            mask[i] = m
            x[i] *= m
        }
    }
}
