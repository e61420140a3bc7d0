// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

extension TrainingKernel {
    /// Where the path of `token` lies in the tree's flat `treePoints`/`treeCodes`, and its length.
    @inlinable @inline(__always)
    func treePath(_ token: Int32) -> (start: Int, count: Int) {
        let offsets = treeOffsets.unsafelyUnwrapped
        let lo = Int(offsets[Int(token)])
        return (lo, Int(offsets[Int(token) + 1]) - lo)
    }

    /// Hierarchical softmax skip-gram (Mikolov et al. 2013b): each of `count` context vectors v
    /// predicts `center` by the branches of its path in the tree. With inner-node vectors
    /// u_1…u_L and branches b_1…b_L on the path the loss of one context is
    ///
    ///     L = −Σ_l log σ((1 − 2·b_l) · v·u_l)
    ///
    /// As in ``skipGramStep``, the path's output rows stay in L1 while the context rows stream
    /// past, and their updates are summed over blocks of ``outputBlock`` contexts.
    @inlinable @inline(__always)
    mutating func hierarchicalSkipGram(center: Int32, contexts ids: UnsafePointer<Int32>, count: Int, weight: Float) {
        let (start, length) = treePath(center)
        if length == 0 { return }
        let points = treePoints.unsafelyUnwrapped + start
        let codes = treeCodes.unsafelyUnwrapped + start
        for l in 0..<length { prefetchRow(output, points[l]) }
        for c in 0..<min(count, 32) { prefetchRow(input, ids[c]) }
        let d = stride
        let a = alpha * weight
        var lossSum: Double = 0
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(count, blockStart + Self.outputBlock)
            Kernels.zero(outputGradients, count: length * d)
            for c in blockStart..<blockEnd {
                let v = input + Int(ids[c]) * d
                Kernels.zero(gradient, count: d)
                for l in 0..<length {
                    let u = output + Int(points[l]) * d
                    let g = logisticGradient(v, u, isPositive: codes[l] == 0, alpha: a, loss: &lossSum)
                    Kernels.axpy(g, u, gradient, count: d)
                    Kernels.axpy(g, v, outputGradients + l * d, count: d)
                }
                Kernels.add(gradient, v, count: d)
            }
            for l in 0..<length {
                Kernels.add(outputGradients + l * d, output + Int(points[l]) * d, count: d)
            }
            blockStart = blockEnd
        }
        loss += lossSum
        examples += count
    }

    /// Hierarchical softmax CBOW: the mean (or sum) h of the context vectors predicts `center` by
    /// its path; every context vector receives h's whole gradient (as in ``cbowStep``).
    @inlinable @inline(__always)
    mutating func hierarchicalCBOW(
        center: Int32,
        contexts ids: UnsafePointer<Int32>,
        count: Int,
        mean: Bool,
        weight: Float
    ) {
        let d = stride
        loadContextMean(ids, count: count, mean: mean)
        Kernels.zero(gradient, count: d)
        var lossSum: Double = 0
        hierarchicalPath(center: center, alpha: alpha * weight, updateOutput: true, loss: &lossSum)
        for c in 0..<count { Kernels.add(gradient, input + Int(ids[c]) * d, count: d) }
        loss += lossSum
        examples += 1
    }

    /// For `hidden` predicting `center` by its path: adds the step of `hidden` to `gradient` and,
    /// when `updateOutput`, moves the path's inner-node vectors.
    @inlinable @inline(__always)
    mutating func hierarchicalPath(center: Int32, alpha a: Float, updateOutput: Bool, loss lossSum: inout Double) {
        let (start, length) = treePath(center)
        let points = treePoints.unsafelyUnwrapped + start
        let codes = treeCodes.unsafelyUnwrapped + start
        let d = stride
        for l in 0..<length {
            let u = output + Int(points[l]) * d
            let g = logisticGradient(hidden, u, isPositive: codes[l] == 0, alpha: a, loss: &lossSum)
            Kernels.axpy(g, u, gradient, count: d)
            if updateOutput { Kernels.axpy(g, hidden, u, count: d) }
        }
    }
}
