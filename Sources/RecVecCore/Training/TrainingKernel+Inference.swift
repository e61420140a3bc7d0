// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

extension TrainingKernel {
    /// One inference step of paragraph vectors (Le & Mikolov 2014): `vector` — alone (PV-DBOW), or
    /// averaged with the input vectors of `count` context tokens (PV-DM) — predicts `center`
    /// against sampled negatives, and only `vector` moves: the model's matrices stay frozen.
    /// As in training, the vector receives the hidden vector's whole gradient, under the kernel's
    /// output layer (negative sampling, the full softmax, or the path in the tree).
    @inlinable
    public mutating func inferStep(
        vector: UnsafeMutablePointer<Float>,
        center: Int32,
        contexts ids: UnsafePointer<Int32>,
        count: Int
    ) {
        let d = stride
        Kernels.zero(hidden, count: d)
        Kernels.add(vector, hidden, count: d)
        for c in 0..<count { Kernels.add(input + Int(ids[c]) * d, hidden, count: d) }
        if count > 0 { Kernels.scale(hidden, by: 1 / Float(count + 1), count: d) }
        Kernels.zero(gradient, count: d)
        var lossSum: Double = 0
        switch objective {
        case .negative: break
        case .hierarchical:
            hierarchicalPath(center: center, alpha: alpha, updateOutput: false, loss: &lossSum)
            Kernels.add(gradient, vector, count: d)
            loss += lossSum
            examples += 1
            return
        case .softmax:
            blockRows[0] = hidden
            softmaxBlock(rows: 1, center: center, alpha: alpha, updateOutput: false, loss: &lossSum)
            Kernels.add(blockGradients, vector, count: d)
            loss += lossSum
            examples += 1
            return
        }
        let nt = drawTargets(positive: center)
        for t in 0..<nt {
            let u = output + Int(targets[t]) * d
            let g = logisticGradient(hidden, u, isPositive: t == 0, alpha: alpha, loss: &lossSum)
            Kernels.axpy(g, u, gradient, count: d)
        }
        Kernels.add(gradient, vector, count: d)
        loss += lossSum
        examples += 1
    }
}
