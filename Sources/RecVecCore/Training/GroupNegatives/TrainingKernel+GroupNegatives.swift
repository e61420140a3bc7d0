// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

extension TrainingKernel {
    /// Group negatives (Grbovic & Cheng 2018): for each of the `count` inputs `ids` that predicted
    /// `positive`, `k` extra negatives drawn from `positive`'s group (draws equal to `positive`
    /// are skipped). With v an input vector and u_1…u_k the drawn output vectors the added loss is
    ///
    ///     L_group = −Σ_j w · log σ(−v·u_j)
    ///
    /// and this step moves v and each u_j by −α ∂L_group/∂(vector), through `logisticGradient`.
    /// It runs after the example's own step (two consecutive SGD steps, as the word2vec tool
    /// applies one pair after another), and adds to ``loss`` but not to ``examples``.
    /// A target without a group, or alone in it, gets none.
    @inlinable @inline(__always)
    public mutating func groupNegatives(
        positive: Int32,
        contexts ids: UnsafePointer<Int32>,
        count: Int,
        sampler: GroupNegativeSampler,
        k: Int,
        weight: Float = 1
    ) {
        let g = sampler.group(of: positive)
        if g < 0 || k == 0 || count == 0 || sampler.size(of: g) < 2 { return }
        let d = stride
        let a = alpha * weight
        var lossSum: Double = 0
        for c in 0..<count {
            let v = input + Int(ids[c]) * d
            Kernels.zero(gradient, count: d)
            for _ in 0..<k {
                let t = sampler.sample(group: g, &rng)
                if t == positive { continue }
                let u = output + Int(t) * d
                let step = logisticGradient(v, u, isPositive: false, alpha: a, loss: &lossSum)
                Kernels.axpy(step, u, gradient, count: d)
                Kernels.axpy(step, v, u, count: d)
            }
            Kernels.add(gradient, v, count: d)
        }
        loss += lossSum
    }
}
