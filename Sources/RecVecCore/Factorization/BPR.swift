// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
internal import _RecVecPlatform
import _RecVecShims

/// Bayesian personalized ranking with matrix factorization (Rendle, Freudenthaler, Gantner &
/// Schmidt-Thieme, "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009).
///
/// For a user u, an item i the user interacted with and an item j the user did not, BPR wants
/// x_uij = x_u·y_i − x_u·y_j large; it minimizes, over triples drawn at random (LearnBPR),
///
///     ℓ(u, i, j) = −ln σ(x_uij) + λ/2 (‖x_u‖² + ‖y_i‖² + ‖y_j‖²)
///
/// by stochastic gradient descent. (u, i) is a uniformly drawn interaction, j a uniformly drawn
/// item (or one drawn ∝ count^x) the user has not interacted with. Worker threads update the shared
/// factors without locks (Hogwild, Recht et al. 2011), as the word2vec engine does.
public struct BPR: Sendable {
    public var factors: Int
    public var regularization: Float
    public var learningRate: Float
    /// `nil`: constant learning rate.
    public var finalLearningRate: Float?
    public var negativeExponent: Double
    /// Triples an epoch, as a multiple of the number of interactions.
    public var samples: Double
    public var foldInSteps: Int
    public var threads: Int
    public var seed: UInt64
    /// SGD (default) or Adagrad; Adagrad keeps one accumulator per factor (users and items).
    public var optimizer: Optimizer

    public init(config: FactorizationConfig, training: TrainingConfig) {
        factors = config.resolvedFactors(training)
        regularization = Float(config.regularization)
        learningRate = Float(config.bprLearningRate)
        finalLearningRate = config.bprFinalLearningRate.map(Float.init)
        negativeExponent = config.bprNegativeExponent
        samples = config.bprSamples
        foldInSteps = config.bprFoldInSteps
        threads = training.resolvedThreads
        seed = training.seed
        optimizer = training.optimizer ?? .sgd
    }

    /// The sampler of negatives for items of these interaction totals; `nil` = uniform.
    public func negativeSampler(itemTotals: [Int64]) -> NegativeSampler? {
        negativeExponent == 0 || itemTotals.isEmpty
            ? nil : NegativeSampler(counts: itemTotals, exponent: negativeExponent)
    }

    /// The interaction totals of each item of `matrix`.
    static func itemTotals(_ matrix: UserItemMatrix) -> [Int64] {
        (0..<matrix.itemCount).map { i in
            Int64(matrix.itemValues[matrix.itemOffsets[i]..<matrix.itemOffsets[i + 1]].reduce(0, +).rounded(.up))
        }
    }

    // MARK: - Training

    /// Runs `epochs` epochs of LearnBPR on the current factors; returns the mean −ln σ(x_uij) of
    /// each epoch's triples (the ranking loss, regularization excluded) and reports it to
    /// `onEpoch(epoch, loss, triples)`. With one thread, the same seed gives the same factors.
    /// With Adagrad, the accumulators start at ``Optimizer/adagradInitialAccumulator`` for each
    /// call (a continued training starts them afresh).
    public func train(
        _ matrix: UserItemMatrix,
        users: EmbeddingMatrix,
        items: EmbeddingMatrix,
        epochs: Int,
        onEpoch: ((Int, Double, Int) -> Void)? = nil
    ) -> [Double] {
        precondition(users.rows == matrix.userCount && items.rows == matrix.itemCount)
        precondition(users.dim == factors && items.dim == factors)
        let nnz = matrix.nonZeroCount
        if nnz == 0 || matrix.itemCount < 2 { return Array(repeating: 0, count: epochs) }
        var entryUser = [Int32](repeating: 0, count: nnz)
        for u in 0..<matrix.userCount {
            for e in matrix.userOffsets[u]..<matrix.userOffsets[u + 1] { entryUser[e] = Int32(u) }
        }
        let sampler = negativeSampler(itemTotals: Self.itemTotals(matrix))
        let workers = max(1, threads)
        let perWorker = max(1, Int((Double(nnz) * samples / Double(workers)).rounded()))
        let total = Double(perWorker) * Double(epochs)
        let stride = users.stride
        let itemCount = matrix.itemCount
        var losses: [Double] = []
        let saved = UnsafeMutablePointer<Float>.allocate(capacity: workers * stride)
        let sums = UnsafeMutablePointer<(loss: Double, count: Int)>.allocate(capacity: workers)
        defer {
            saved.deallocate()
            sums.deallocate()
        }
        let savedPointer = UncheckedPointer(saved)
        let sumsPointer = UncheckedPointer(sums)
        // Adagrad's sums of squared gradients, one per factor, laid out as the factors are.
        let adagrad = optimizer == .adagrad
        let userSquares = EmbeddingMatrix(rows: adagrad ? users.rows : 0, dim: users.dim)
        let itemSquares = EmbeddingMatrix(rows: adagrad ? items.rows : 0, dim: items.dim)
        if adagrad {
            for r in 0..<users.rows {
                userSquares.row(r).update(repeating: Optimizer.adagradInitialAccumulator, count: stride)
            }
            for r in 0..<items.rows {
                itemSquares.row(r).update(repeating: Optimizer.adagradInitialAccumulator, count: stride)
            }
        }
        entryUser.withUnsafeBufferPointer { eu in
            matrix.userOffsets.withUnsafeBufferPointer { off in
                matrix.userItems.withUnsafeBufferPointer { its in
                    let eu = UncheckedPointer(UnsafeMutablePointer(mutating: eu.baseAddress!))
                    let off = UncheckedPointer(UnsafeMutablePointer(mutating: off.baseAddress!))
                    let its = UncheckedPointer(UnsafeMutablePointer(mutating: its.baseAddress!))
                    for epoch in 0..<epochs {
                        DispatchQueue.concurrentPerform(iterations: workers) { t in
                            var rng = FastRandom(
                                seed: seed &+ UInt64(epoch &* 7919 &+ t &+ 1) &* 0x9E37_79B9_7F4A_7C15
                            )
                            let scratch = savedPointer.pointer + t * stride
                            var loss = 0.0
                            var count = 0
                            var rate = learningRate
                            for n in 0..<perWorker {
                                if let finalLearningRate, n & 1023 == 0 {
                                    let progress = Float((Double(epoch) * Double(perWorker) + Double(n)) / total)
                                    rate = learningRate - (learningRate - finalLearningRate) * progress
                                }
                                let e = rng.next(below: nnz)
                                let u = Int(eu.pointer[e])
                                let i = its.pointer[e]
                                guard
                                    let j = Self.drawNegative(
                                        lo: off.pointer[u],
                                        hi: off.pointer[u + 1],
                                        rowItems: its.pointer,
                                        itemCount: itemCount,
                                        sampler: sampler,
                                        rng: &rng
                                    )
                                else { continue }
                                if adagrad {
                                    loss += Double(
                                        Self.adagradStep(
                                            user: users.row(u),
                                            positive: items.row(Int(i)),
                                            negative: items.row(Int(j)),
                                            squares: (
                                                userSquares.row(u), itemSquares.row(Int(i)), itemSquares.row(Int(j))
                                            ),
                                            count: stride,
                                            learningRate: rate,
                                            regularization: regularization
                                        )
                                    )
                                } else {
                                    loss += Double(
                                        Self.step(
                                            user: users.row(u),
                                            positive: items.row(Int(i)),
                                            negative: items.row(Int(j)),
                                            saved: scratch,
                                            count: stride,
                                            learningRate: rate,
                                            regularization: regularization
                                        )
                                    )
                                }
                                count += 1
                            }
                            sumsPointer.pointer[t] = (loss, count)
                        }
                        var loss = 0.0
                        var count = 0
                        for t in 0..<workers {
                            loss += sums[t].loss
                            count += sums[t].count
                        }
                        let mean = count > 0 ? loss / Double(count) : 0
                        losses.append(mean)
                        onEpoch?(epoch + 1, mean, count)
                    }
                }
            }
        }
        return losses
    }

    /// A negative for the user whose sorted items are `rowItems[lo..<hi]`: an item not among them
    /// (up to 32 draws; `nil` when all failed, e.g. a user who has every item).
    @inline(__always)
    static func drawNegative(
        lo: Int,
        hi: Int,
        rowItems: UnsafePointer<Int32>,
        itemCount: Int,
        sampler: NegativeSampler?,
        rng: inout FastRandom
    ) -> Int32? {
        for _ in 0..<32 {
            let j = sampler?.sample(&rng) ?? Int32(truncatingIfNeeded: rng.next(below: itemCount))
            var a = lo
            var b = hi
            var found = false
            while a < b {
                let mid = (a + b) >> 1
                let v = rowItems[mid]
                if v == j {
                    found = true
                    break
                }
                if v < j { a = mid + 1 } else { b = mid }
            }
            if !found { return j }
        }
        return nil
    }

    /// One SGD step on ℓ(u, i, j) with rate η: x_u −= η ∂ℓ/∂x_u, y_i −= η ∂ℓ/∂y_i, y_j −= η ∂ℓ/∂y_j,
    /// every gradient taken at the old values; `saved` is `count` floats of scratch. Returns
    /// −ln σ(x_uij) before the step.
    @inline(__always)
    static func step(
        user: UnsafeMutablePointer<Float>,
        positive: UnsafeMutablePointer<Float>,
        negative: UnsafeMutablePointer<Float>,
        saved: UnsafeMutablePointer<Float>,
        count: Int,
        learningRate eta: Float,
        regularization lambda: Float
    ) -> Float {
        let x = Kernels.dot(user, positive, count: count) - Kernels.dot(user, negative, count: count)
        // g = σ(−x) = −∂(−ln σ(x))/∂x.
        let g = 1 / (1 + expf(x))
        saved.update(from: user, count: count)
        let decay = 1 - eta * lambda
        for c in 0..<count {
            user[c] = user[c] * decay + eta * g * (positive[c] - negative[c])
        }
        for c in 0..<count {
            positive[c] = positive[c] * decay + eta * g * saved[c]
            negative[c] = negative[c] * decay - eta * g * saved[c]
        }
        return softplus(-x)
    }

    /// One Adagrad step on ℓ(u, i, j): for every factor θ with gradient g (taken at the old values),
    /// G += g², θ −= η·g/√G, where G is θ's entry in `squares` (user, positive, negative). Returns
    /// −ln σ(x_uij) before the step.
    @inline(__always)
    static func adagradStep(
        user: UnsafeMutablePointer<Float>,
        positive: UnsafeMutablePointer<Float>,
        negative: UnsafeMutablePointer<Float>,
        squares: (
            user: UnsafeMutablePointer<Float>, positive: UnsafeMutablePointer<Float>,
            negative: UnsafeMutablePointer<Float>
        ),
        count: Int,
        learningRate eta: Float,
        regularization lambda: Float
    ) -> Float {
        let x = Kernels.dot(user, positive, count: count) - Kernels.dot(user, negative, count: count)
        let g = 1 / (1 + expf(x))
        recvec_bpr_adagrad(
            user,
            positive,
            negative,
            squares.user,
            squares.positive,
            squares.negative,
            count,
            g,
            eta,
            lambda
        )
        return softplus(-x)
    }

    /// One Adagrad step on copies of the vectors and accumulators (for tests): the updated
    /// (user, positive, negative) and their accumulators.
    public static func adagradStepped(
        user: [Float],
        positive: [Float],
        negative: [Float],
        squares: (user: [Float], positive: [Float], negative: [Float]),
        learningRate: Float,
        regularization: Float
    ) -> (
        vectors: (user: [Float], positive: [Float], negative: [Float]),
        squares: (user: [Float], positive: [Float], negative: [Float])
    ) {
        var u = user
        var p = positive
        var n = negative
        var su = squares.user
        var sp = squares.positive
        var sn = squares.negative
        su.withUnsafeMutableBufferPointer { a in
            sp.withUnsafeMutableBufferPointer { b in
                sn.withUnsafeMutableBufferPointer { c in
                    _ = adagradStep(
                        user: &u,
                        positive: &p,
                        negative: &n,
                        squares: (a.baseAddress!, b.baseAddress!, c.baseAddress!),
                        count: user.count,
                        learningRate: learningRate,
                        regularization: regularization
                    )
                }
            }
        }
        return ((u, p, n), (su, sp, sn))
    }

    /// ln(1 + eˣ), without overflow.
    @inline(__always)
    static func softplus(_ x: Float) -> Float {
        x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x))
    }

    /// ℓ(u, i, j) for the given vectors, in `Double` (for gradient checks).
    public static func tripleLoss(user: [Float], positive: [Float], negative: [Float], regularization: Float) -> Double
    {
        var x = 0.0
        var norms = 0.0
        for c in user.indices {
            x += Double(user[c]) * (Double(positive[c]) - Double(negative[c]))
            norms += Double(user[c] * user[c]) + Double(positive[c] * positive[c]) + Double(negative[c] * negative[c])
        }
        let nll = x > 0 ? log1p(exp(-x)) : -x + log1p(exp(x))
        return nll + Double(regularization) / 2 * norms
    }

    /// Applies one SGD step to copies of the vectors (for gradient checks): returns the updated
    /// (user, positive, negative).
    public static func stepped(
        user: [Float],
        positive: [Float],
        negative: [Float],
        learningRate: Float,
        regularization: Float
    ) -> (user: [Float], positive: [Float], negative: [Float]) {
        var u = user
        var p = positive
        var n = negative
        var saved = [Float](repeating: 0, count: user.count)
        _ = u.withUnsafeMutableBufferPointer { up in
            p.withUnsafeMutableBufferPointer { pp in
                n.withUnsafeMutableBufferPointer { np in
                    saved.withUnsafeMutableBufferPointer { sp in
                        step(
                            user: up.baseAddress!,
                            positive: pp.baseAddress!,
                            negative: np.baseAddress!,
                            saved: sp.baseAddress!,
                            count: user.count,
                            learningRate: learningRate,
                            regularization: regularization
                        )
                    }
                }
            }
        }
        return (u, p, n)
    }

    // MARK: - Fold-in

    /// A user vector for a new history against fixed item factors: the BPR objective restricted to
    /// that vector, Σ_{i ∈ history, j ∉ history} −ln σ(x·(y_i − y_j)) + λ/2‖x‖², is strictly convex
    /// in x (λ > 0), so SGD from x = 0 with a rate decaying linearly to 0 approaches its unique
    /// minimum whatever the start — the same objective training minimized, for one more user.
    /// `history` lists distinct item rows, sorted; `seed` fixes the draws (one history, one vector).
    public func foldIn(
        history: [Int32],
        fixed: EmbeddingMatrix,
        sampler: NegativeSampler?,
        seed: UInt64,
        into out: UnsafeMutablePointer<Float>
    ) {
        let stride = fixed.stride
        for c in 0..<stride { out[c] = 0 }
        if history.isEmpty || fixed.rows < 2 { return }
        let steps = max(foldInSteps, 1)
        var rng = FastRandom(seed: seed)
        let diff = UnsafeMutablePointer<Float>.allocate(capacity: stride)
        defer { diff.deallocate() }
        history.withUnsafeBufferPointer { h in
            for s in 0..<steps {
                let i = h[s % h.count]
                guard
                    let j = Self.drawNegative(
                        lo: 0,
                        hi: h.count,
                        rowItems: h.baseAddress!,
                        itemCount: fixed.rows,
                        sampler: sampler,
                        rng: &rng
                    )
                else { return }
                let eta = learningRate * (1 - Float(s) / Float(steps))
                let yi = fixed.row(Int(i))
                let yj = fixed.row(Int(j))
                for c in 0..<stride { diff[c] = yi[c] - yj[c] }
                let g = 1 / (1 + expf(Kernels.dot(out, diff, count: stride)))
                let decay = 1 - eta * regularization
                for c in 0..<stride { out[c] = out[c] * decay + eta * g * diff[c] }
            }
        }
    }
}
