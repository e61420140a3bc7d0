// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The accumulators of row-wise Adagrad: one Float per row of the input matrix and one per row of
/// the output matrix (2 floats per vocabulary row, against 2·dim for the matrices themselves).
///
/// Every thread's kernel reads and writes the same buffers without locks, as it does the matrices
/// (Hogwild): a lost update of a sum of squares only makes one step slightly larger.
public final class AdagradAccumulators: @unchecked Sendable {
    public let input: UnsafeMutablePointer<Float>
    public let output: UnsafeMutablePointer<Float>
    public let inputRows: Int
    public let outputRows: Int

    /// Accumulators for `inputRows` input and `outputRows` output rows, each starting at
    /// ``Optimizer/adagradInitialAccumulator`` (which plays the part of Adagrad's ε: it bounds
    /// the first steps).
    public init(inputRows: Int, outputRows: Int) {
        self.inputRows = inputRows
        self.outputRows = outputRows
        input = .allocate(capacity: max(1, inputRows))
        output = .allocate(capacity: max(1, outputRows))
        input.initialize(repeating: Optimizer.adagradInitialAccumulator, count: max(1, inputRows))
        output.initialize(repeating: Optimizer.adagradInitialAccumulator, count: max(1, outputRows))
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }
}

extension TrainingKernel {
    /// Row-wise Adagrad's step for one row `w` with (ascent-direction, −∂L/∂w) gradient `g`:
    ///
    ///     G_row += mean_i(g_i²)        w += α_t · g / √G_row
    ///
    /// One accumulator for the whole row instead of one per coordinate — the "row-wise Adagrad"
    /// used for large embedding tables (Gupta et al. 2014, "Model accuracy and runtime tradeoff in
    /// distributed deep learning"; FBGEMM/TorchRec's `rowwise_adagrad`, Mudigere et al. 2022).
    /// α_t is the kernel's learning rate, which still decays linearly.
    @inlinable @inline(__always)
    func adagradApply(
        _ g: UnsafePointer<Float>,
        squaredMean: Float,
        to w: UnsafeMutablePointer<Float>,
        accumulator: UnsafeMutablePointer<Float>,
        scale: Float = 1
    ) {
        let sum = accumulator.pointee + squaredMean
        accumulator.pointee = sum
        Kernels.axpy(scale * alpha / sum.squareRoot(), g, w, count: stride)
    }

    /// ``skipGramStep`` under row-wise Adagrad: the same gradients (without α), each context row
    /// stepped once by its own accumulator, and each target row once per block of contexts by the
    /// block's summed gradient.
    @inlinable @inline(__always)
    mutating func adagradSkipGramStep(
        contexts ids: UnsafePointer<Int32>,
        count: Int,
        targetCount nt: Int,
        weight: Float = 1
    ) {
        let d = stride
        let inputSums = inputAccumulators.unsafelyUnwrapped
        let outputSums = outputAccumulators.unsafelyUnwrapped
        var lossSum: Double = 0
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(count, blockStart + Self.outputBlock)
            Kernels.zero(outputGradients, count: nt * d)
            for c in blockStart..<blockEnd {
                let row = Int(ids[c])
                let v = input + row * d
                Kernels.zero(gradient, count: d)
                for t in 0..<nt {
                    let u = output + Int(targets[t]) * d
                    let g = logisticGradient(v, u, isPositive: t == 0, alpha: weight, loss: &lossSum)
                    Kernels.axpy(g, u, gradient, count: d)
                    Kernels.axpy(g, v, outputGradients + t * d, count: d)
                }
                let squared = Kernels.dot(gradient, gradient, count: d) * inverseDim
                adagradApply(gradient, squaredMean: squared, to: v, accumulator: inputSums + row)
            }
            for t in 0..<nt {
                let row = Int(targets[t])
                let g = outputGradients + t * d
                let squared = Kernels.dot(g, g, count: d) * inverseDim
                adagradApply(g, squaredMean: squared, to: output + row * d, accumulator: outputSums + row)
            }
            blockStart = blockEnd
        }
        loss += lossSum
        examples += count
    }

    /// ``cbowStep`` under row-wise Adagrad: each target row steps by its own accumulator, and every
    /// context row receives the hidden vector's whole gradient through its own accumulator.
    @inlinable @inline(__always)
    mutating func adagradCBOWStep(
        contexts ids: UnsafePointer<Int32>,
        count: Int,
        targetCount nt: Int,
        mean: Bool,
        weight: Float = 1
    ) {
        let d = stride
        let inputSums = inputAccumulators.unsafelyUnwrapped
        let outputSums = outputAccumulators.unsafelyUnwrapped
        loadContextMean(ids, count: count, mean: mean)
        let hiddenSquared = Kernels.dot(hidden, hidden, count: d) * inverseDim
        Kernels.zero(gradient, count: d)
        var lossSum: Double = 0
        for t in 0..<nt {
            let row = Int(targets[t])
            let u = output + row * d
            let g = logisticGradient(hidden, u, isPositive: t == 0, alpha: weight, loss: &lossSum)
            Kernels.axpy(g, u, gradient, count: d)
            // u's gradient is g·hidden: mean square g²·mean(hidden²).
            adagradApply(hidden, squaredMean: g * g * hiddenSquared, to: u, accumulator: outputSums + row, scale: g)
        }
        let squared = Kernels.dot(gradient, gradient, count: d) * inverseDim
        for c in 0..<count {
            let row = Int(ids[c])
            adagradApply(gradient, squaredMean: squared, to: input + row * d, accumulator: inputSums + row)
        }
        loss += lossSum
        examples += 1
    }
}
