// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import _RecVecShims

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
    /// All contexts of a window walk the same path, so a block of up to ``outputBlock`` contexts V
    /// is one batch (Ji et al. 2016): the scores S = V·Uᵀ, the steps G from S, then V += G·U and
    /// U += Gᵀ·V, both from the block's starting values — three small matrix products, run by the
    /// AVX2 or AVX-512 kernels of `_RecVecShims` when the CPU has them (``VectorKernel``).
    @inlinable @inline(__always)
    mutating func hierarchicalSkipGram(center: Int32, contexts ids: UnsafePointer<Int32>, count: Int, weight: Float) {
        let (start, length) = treePath(center)
        if length == 0 { return }
        let points = UnsafePointer(treePoints.unsafelyUnwrapped + start)
        let codes = UnsafePointer(treeCodes.unsafelyUnwrapped + start)
        for l in 0..<length { prefetchRow(output, points[l]) }
        for c in 0..<min(count, 32) { prefetchRow(input, ids[c]) }
        let a = alpha * weight
        var lossSum: Double = 0
        var blockStart = 0
        while blockStart < count {
            let rows = min(count - blockStart, Self.outputBlock)
            let block = ids + blockStart
            hierarchicalScores(input, rows: block, count: rows, points: points, length: length)
            hierarchicalSteps(count: rows, codes: codes, length: length, alpha: a, loss: &lossSum)
            hierarchicalUpdate(
                source: input,
                destination: input,
                rows: block,
                count: rows,
                points: points,
                length: length,
                updateOutput: true
            )
            blockStart += rows
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
    /// when `updateOutput`, moves the path's inner-node vectors (a batch of one row).
    @inlinable @inline(__always)
    mutating func hierarchicalPath(center: Int32, alpha a: Float, updateOutput: Bool, loss lossSum: inout Double) {
        let (start, length) = treePath(center)
        if length == 0 { return }
        let points = UnsafePointer(treePoints.unsafelyUnwrapped + start)
        let codes = UnsafePointer(treeCodes.unsafelyUnwrapped + start)
        // Row 0 of `hidden` (and of `gradient`): `targets` is free under this output layer.
        targets[0] = 0
        hierarchicalScores(hidden, rows: targets, count: 1, points: points, length: length)
        hierarchicalSteps(count: 1, codes: codes, length: length, alpha: a, loss: &lossSum)
        hierarchicalUpdate(
            source: hidden,
            destination: gradient,
            rows: targets,
            count: 1,
            points: points,
            length: length,
            updateOutput: updateOutput
        )
    }

    // MARK: - The three steps of a batch

    /// ``scores`` (`count` × `length`, row-major) = V·Uᵀ for the rows `rows` of `matrix` and the
    /// path's inner nodes.
    @inlinable @inline(__always)
    func hierarchicalScores(
        _ matrix: UnsafeMutablePointer<Float>,
        rows: UnsafePointer<Int32>,
        count: Int,
        points: UnsafePointer<Int32>,
        length: Int
    ) {
        let d = stride
        if vectorLevel > 0 {
            recvec_hs_scores(vectorLevel, matrix, rows, count, output, points, length, d, vectorColumns, scores)
            return
        }
        for c in 0..<count {
            let v = matrix + Int(rows[c]) * d
            let s = scores + c * length
            for l in 0..<length { s[l] = Kernels.dot(v, output + Int(points[l]) * d, count: d) }
        }
    }

    /// Turns ``scores`` into the steps G = α·(1 − code − σ(s)) in place, adding each loss
    /// −log σ(±s) to `lossSum`. The Swift loop reads σ and log σ from ``SigmoidTable``; the AVX2
    /// kernel (run on AVX-512 CPUs too) computes them (vector arithmetic beats two table gathers per
    /// value) with the table's clamping at ±8, within about 1e-6 of it.
    @inlinable @inline(__always)
    func hierarchicalSteps(
        count: Int,
        codes: UnsafePointer<UInt8>,
        length: Int,
        alpha a: Float,
        loss lossSum: inout Double
    ) {
        if vectorLevel > 0 {
            lossSum += recvec_hs_steps(
                vectorLevel,
                scores,
                count,
                codes,
                length,
                SigmoidTable.limit,
                a
            )
            return
        }
        for c in 0..<count {
            let s = scores + c * length
            for l in 0..<length {
                let f = s[l]
                let isPositive = codes[l] == 0
                lossSum -= Double(sigmoid.logSigmoid(isPositive ? f : -f))
                s[l] = ((isPositive ? 1 : 0) - sigmoid.sigmoid(f)) * a
            }
        }
    }

    /// With the steps G in ``scores``: the rows `rows` of `destination` += G·U (from the old U)
    /// and, when `updateOutput`, U += Gᵀ·V with V the rows `rows` of `source` (from the old V).
    /// `source` and `destination` may be the same matrix.
    @inlinable @inline(__always)
    func hierarchicalUpdate(
        source: UnsafeMutablePointer<Float>,
        destination: UnsafeMutablePointer<Float>,
        rows: UnsafePointer<Int32>,
        count: Int,
        points: UnsafePointer<Int32>,
        length: Int,
        updateOutput: Bool
    ) {
        let d = stride
        if vectorLevel > 0 {
            recvec_hs_update(
                vectorLevel,
                source,
                destination,
                rows,
                count,
                output,
                points,
                length,
                d,
                vectorColumns,
                scores,
                updateOutput,
                outputGradients
            )
            return
        }
        if updateOutput {
            // ΔU from the old V, before any row of V moves.
            Kernels.zero(outputGradients, count: length * d)
            for c in 0..<count {
                let v = source + Int(rows[c]) * d
                let g = scores + c * length
                for l in 0..<length { Kernels.axpy(g[l], v, outputGradients + l * d, count: d) }
            }
        }
        // ΔV from the old U, row after row (a window may hold one id twice: both steps land).
        for c in 0..<count {
            let g = scores + c * length
            let v = destination + Int(rows[c]) * d
            for l in 0..<length { Kernels.axpy(g[l], output + Int(points[l]) * d, v, count: d) }
        }
        if updateOutput {
            for l in 0..<length { Kernels.add(outputGradients + l * d, output + Int(points[l]) * d, count: d) }
        }
    }
}
