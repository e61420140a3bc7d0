// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

extension TrainingKernel {
    /// Full-softmax skip-gram: each of `count` context vectors v_r predicts `center` = o among all
    /// `classes` output vectors,
    ///
    ///     L_r = −v_r·u_o + log Σ_j exp(v_r·u_j)
    ///
    /// Blocks of up to ``outputBlock`` contexts go through as matrix products: the scores
    /// S = V·Uᵀ (one pass over U), G = α·(onehot − softmax(S)) row by row, then ΔV = G·U and
    /// ΔU = Gᵀ·V (a second pass over U), so the output matrix streams through the cache twice per
    /// block rather than twice per example.
    @inlinable @inline(__always)
    mutating func softmaxSkipGram(center: Int32, contexts ids: UnsafePointer<Int32>, count: Int, weight: Float) {
        let d = stride
        var lossSum: Double = 0
        var blockStart = 0
        while blockStart < count {
            let rows = min(count - blockStart, Self.outputBlock)
            for r in 0..<rows { blockRows[r] = input + Int(ids[blockStart + r]) * d }
            softmaxBlock(rows: rows, center: center, alpha: alpha * weight, updateOutput: true, loss: &lossSum)
            for r in 0..<rows { Kernels.add(blockGradients + r * d, blockRows[r], count: d) }
            blockStart += rows
        }
        loss += lossSum
        examples += count
    }

    /// Full-softmax CBOW: the mean (or sum) h of the context vectors predicts `center` among all
    /// output vectors; every context vector receives h's whole gradient (as in ``cbowStep``).
    @inlinable @inline(__always)
    mutating func softmaxCBOW(center: Int32, contexts ids: UnsafePointer<Int32>, count: Int, mean: Bool, weight: Float)
    {
        let d = stride
        loadContextMean(ids, count: count, mean: mean)
        blockRows[0] = hidden
        var lossSum: Double = 0
        softmaxBlock(rows: 1, center: center, alpha: alpha * weight, updateOutput: true, loss: &lossSum)
        for c in 0..<count { Kernels.add(blockGradients, input + Int(ids[c]) * d, count: d) }
        loss += lossSum
        examples += 1
    }

    /// The block step: rows `blockRows[0..<rows]` each predict `center`. Writes −α ∂L/∂(row r) to
    /// `blockGradients` row r (the rows themselves are not moved) and, when `updateOutput`, moves
    /// every output vector by −α ∂L/∂u_j.
    @inlinable @inline(__always)
    mutating func softmaxBlock(rows: Int, center: Int32, alpha a: Float, updateOutput: Bool, loss lossSum: inout Double)
    {
        let d = stride
        let n = classes
        // S = V·Uᵀ, one pass over the output matrix.
        for j in 0..<n {
            let u = output + j * d
            for r in 0..<rows { scores[r * n + j] = Kernels.dot(blockRows[r], u, count: d) }
        }
        // Row by row: G = α·(onehot − softmax), and the loss −log p_o.
        for r in 0..<rows {
            let s = scores + r * n
            var top = -Float.infinity
            for j in 0..<n { top = max(top, s[j]) }
            var total: Float = 0
            for j in 0..<n {
                let e = Float.exp(s[j] - top)
                s[j] = e
                total += e
            }
            let p = s[Int(center)] / total
            lossSum -= Double.log(Double(max(p, .leastNormalMagnitude)))
            let scale = -a / total
            for j in 0..<n { s[j] *= scale }
            s[Int(center)] += a
        }
        // ΔV = G·U and ΔU = Gᵀ·V, a second pass (the rows' steps use U before it moves).
        Kernels.zero(blockGradients, count: rows * d)
        for j in 0..<n {
            let u = output + j * d
            for r in 0..<rows { Kernels.axpy(scores[r * n + j], u, blockGradients + r * d, count: d) }
            if updateOutput {
                for r in 0..<rows { Kernels.axpy(scores[r * n + j], blockRows[r], u, count: d) }
            }
        }
    }
}
