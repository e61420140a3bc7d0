// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Alternating least squares for implicit feedback (Hu, Koren & Volinsky, "Collaborative Filtering
/// for Implicit Feedback Datasets", ICDM 2008).
///
/// Every (user, item) pair has a preference p_ui (1 when the user interacted with the item, else 0)
/// and a confidence c_ui = 1 + α·r_ui (or 1 + α·log(1 + r_ui/ε)). ALS minimizes
///
///     Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)
///
/// over all pairs, observed or not, by solving for every user with the items fixed, then for every
/// item with the users fixed. Each solve is exact: with Y the fixed factors and C_u the user's
/// confidences, x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ Yᵀ C_u p(u). YᵀY is computed once a half-sweep,
/// so a row costs O(n_u·k² + k³) for its n_u interactions, not O(items·k²). A row with few
/// interactions (n_u well below k: sessions, baskets) is solved exactly through the Woodbury
/// identity instead, from (YᵀY + λI)⁻¹ computed once a half-sweep, in O(n_u·k² + n_u²·k + n_u³).
/// Since every solve minimizes the objective in its row, the objective never increases.
public struct ImplicitALS: Sendable {
    /// Latent factors k.
    public var factors: Int
    public var regularization: Double
    public var alpha: Double
    public var confidence: ConfidenceScaling
    public var logEpsilon: Double
    public var solver: ALSSolver
    public var cgSteps: Int
    public var threads: Int

    public init(config: FactorizationConfig, training: TrainingConfig) {
        factors = config.resolvedFactors(training)
        regularization = config.regularization
        alpha = config.alsAlpha
        confidence = config.confidence
        logEpsilon = config.logEpsilon
        solver = config.solver
        cgSteps = config.cgSteps
        threads = training.resolvedThreads
    }

    /// The confidence c of an interaction strength r.
    @inline(__always)
    public func confidence(_ r: Float) -> Double {
        switch confidence {
        case .linear: return 1 + alpha * Double(r)
        case .log: return 1 + alpha * log1p(Double(r) / logEpsilon)
        }
    }

    /// Doubles of scratch one row solve needs: two k×k matrices and six k-vectors.
    var scratchSize: Int { 2 * factors * factors + 6 * factors }

    /// What a half-sweep computes once from the fixed side Y: G = YᵀY and (G + λI)⁻¹.
    public struct FixedSide: Sendable {
        /// YᵀY, full and row-major.
        public let gram: [Double]
        /// (YᵀY + λI)⁻¹ for the Woodbury solves; empty when it could not be computed.
        let inverse: [Double]
    }

    /// The Gram matrix of `fixed` and the inverse of its regularized form.
    public func prepare(_ fixed: EmbeddingMatrix) -> FixedSide {
        let k = factors
        let gram = Self.gram(fixed, threads: threads)
        var l = gram
        for t in 0..<k { l[t * k + t] += regularization }
        var inverse = [Double](repeating: 0, count: k * k)
        let ok = l.withUnsafeMutableBufferPointer { lp in
            guard Cholesky.factor(lp.baseAddress!, order: k) else { return false }
            inverse.withUnsafeMutableBufferPointer { ip in
                for c in 0..<k {
                    let column = ip.baseAddress! + c * k  // symmetric: column c = row c
                    column[c] = 1
                    Cholesky.solve(factored: lp.baseAddress!, order: k, column)
                }
            }
            return true
        }
        return FixedSide(gram: gram, inverse: ok ? inverse : [])
    }

    // MARK: - Training

    /// Runs `iterations` sweeps (all users, then all items) from the current factors; returns the
    /// objective after each sweep and reports it to `onIteration(iteration, objective)`.
    public func train(
        _ matrix: UserItemMatrix,
        users: EmbeddingMatrix,
        items: EmbeddingMatrix,
        iterations: Int,
        onIteration: ((Int, Double) -> Void)? = nil
    ) -> [Double] {
        precondition(users.rows == matrix.userCount && items.rows == matrix.itemCount)
        precondition(users.dim == factors && items.dim == factors)
        var objectives: [Double] = []
        for iteration in 1...max(1, iterations) {
            solveRows(
                offsets: matrix.userOffsets,
                indices: matrix.userItems,
                values: matrix.userValues,
                fixed: items,
                side: prepare(items),
                into: users
            )
            let userSide = prepare(users)
            let userGram = userSide.gram
            solveRows(
                offsets: matrix.itemOffsets,
                indices: matrix.itemUsers,
                values: matrix.itemValues,
                fixed: users,
                side: userSide,
                into: items
            )
            // The objective from the items' side, with XᵀX, which the item sweep did not change.
            let value =
                sideObjective(
                    offsets: matrix.itemOffsets,
                    indices: matrix.itemUsers,
                    values: matrix.itemValues,
                    rows: items,
                    others: users,
                    othersGram: userGram
                )
                + regularization * (Self.squaredNorm(users) + Self.squaredNorm(items))
            objectives.append(value)
            onIteration?(iteration, value)
        }
        return objectives
    }

    /// The objective Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(‖X‖² + ‖Y‖²) over all pairs, in
    /// O(users·k² + nnz·k) through Σ_{u,i} (x_u·y_i)² = Σ_u x_uᵀ(YᵀY)x_u.
    public func objective(_ matrix: UserItemMatrix, users: EmbeddingMatrix, items: EmbeddingMatrix) -> Double {
        sideObjective(
            offsets: matrix.userOffsets,
            indices: matrix.userItems,
            values: matrix.userValues,
            rows: users,
            others: items,
            othersGram: Self.gram(items, threads: threads)
        )
            + regularization * (Self.squaredNorm(users) + Self.squaredNorm(items))
    }

    /// Σ over `rows` r of  rᵀ G r + Σ_{o ∈ row} (c (1 − s)² − s²), s = r·o: the loss part of the
    /// objective, seen from one side. Per-row terms are summed in row order (deterministic).
    func sideObjective(
        offsets: [Int],
        indices: [Int32],
        values: [Float],
        rows: EmbeddingMatrix,
        others: EmbeddingMatrix,
        othersGram: [Double]
    ) -> Double {
        let k = factors
        var terms = [Double](repeating: 0, count: rows.rows)
        terms.withUnsafeMutableBufferPointer { out in
            let out = UncheckedPointer(out.baseAddress!)
            othersGram.withUnsafeBufferPointer { g in
                let g = UncheckedPointer(UnsafeMutablePointer(mutating: g.baseAddress!))
                ParallelRows.run(count: rows.rows, threads: threads, chunk: 64, scratchSize: 2 * k) { range, scratch in
                    let x = scratch
                    let gx = scratch + k
                    for r in range {
                        let row = rows.row(r)
                        for t in 0..<k { x[t] = Double(row[t]) }
                        DoubleKernels.multiply(g.pointer, x, into: gx, order: k)
                        var term = DoubleKernels.dot(x, gx, count: k)
                        for e in offsets[r]..<offsets[r + 1] {
                            let s = Double(Kernels.dot(row, others.row(Int(indices[e])), count: rows.stride))
                            term += confidence(values[e]) * (1 - s) * (1 - s) - s * s
                        }
                        out.pointer[r] = term
                    }
                }
            }
        }
        return terms.reduce(0, +)
    }

    /// Solves every row of one side against the fixed other side, prepared as `side`.
    func solveRows(
        offsets: [Int],
        indices: [Int32],
        values: [Float],
        fixed: EmbeddingMatrix,
        side: FixedSide,
        into target: EmbeddingMatrix
    ) {
        indices.withUnsafeBufferPointer { ids in
            values.withUnsafeBufferPointer { vals in
                side.gram.withUnsafeBufferPointer { g in
                    side.inverse.withUnsafeBufferPointer { inv in
                        guard let idBase = ids.baseAddress, let valueBase = vals.baseAddress else {
                            // No interactions at all: every row's minimizer is 0.
                            for r in 0..<target.rows { for t in 0..<factors { target.row(r)[t] = 0 } }
                            return
                        }
                        let ids = UncheckedPointer(UnsafeMutablePointer(mutating: idBase))
                        let vals = UncheckedPointer(UnsafeMutablePointer(mutating: valueBase))
                        let g = UncheckedPointer(UnsafeMutablePointer(mutating: g.baseAddress!))
                        let inverse = inv.baseAddress.map { UncheckedPointer(UnsafeMutablePointer(mutating: $0)) }
                        ParallelRows.run(count: target.rows, threads: threads, scratchSize: scratchSize) {
                            range,
                            scratch in
                            for r in range {
                                let lo = offsets[r]
                                solveRow(
                                    indices: ids.pointer + lo,
                                    values: vals.pointer + lo,
                                    count: offsets[r + 1] - lo,
                                    fixed: fixed,
                                    gram: g.pointer,
                                    inverse: inverse?.pointer,
                                    scratch: scratch,
                                    solver: solver,
                                    into: target.row(r)
                                )
                            }
                        }
                    }
                }
            }
        }
    }

    /// Solves (G + λI + Σ_e (c_e − 1) y_e y_eᵀ) x = Σ_e c_e y_e for one row, whose `count`
    /// interactions are with the rows `indices` of `fixed` (strengths `values`). `out` holds the
    /// current row (the conjugate-gradient start) and receives the solution; its padding is
    /// untouched. `scratch` holds ``scratchSize`` doubles. With `inverse` = (G + λI)⁻¹, the exact
    /// solver takes the Woodbury route when that costs less (`woodbury: false` forbids it).
    func solveRow(
        indices: UnsafePointer<Int32>,
        values: UnsafePointer<Float>,
        count: Int,
        fixed: EmbeddingMatrix,
        gram: UnsafePointer<Double>,
        inverse: UnsafePointer<Double>?,
        scratch: UnsafeMutablePointer<Double>,
        solver: ALSSolver,
        woodbury: Bool = true,
        into out: UnsafeMutablePointer<Float>
    ) {
        let k = factors
        let lambda = regularization
        let a = scratch
        let b = scratch + k * k
        let y = b + k
        if count == 0 {
            // No interactions: every p is 0, and the minimizer is 0.
            for t in 0..<k { out[t] = 0 }
            return
        }
        switch solver {
        case .cholesky:
            if woodbury, let inverse, Self.woodburyIsCheaper(count: count, factors: k),
                solveWoodbury(
                    indices: indices,
                    values: values,
                    count: count,
                    fixed: fixed,
                    inverse: inverse,
                    scratch: scratch,
                    into: out
                )
            {
                return
            }
            a.update(from: gram, count: k * k)
            for t in 0..<k {
                a[t * k + t] += lambda
                b[t] = 0
            }
            for e in 0..<count {
                let c = confidence(values[e])
                let src = fixed.row(Int(indices[e]))
                for t in 0..<k { y[t] = Double(src[t]) }
                let w = c - 1
                if w != 0 {
                    // The lower triangle of (c − 1)·y·yᵀ: all Cholesky reads.
                    for r in 0..<k { DoubleKernels.axpy(w * y[r], y, a + r * k, count: r + 1) }
                }
                DoubleKernels.axpy(c, y, b, count: k)
            }
            if Cholesky.factor(a, order: k) {
                Cholesky.solve(factored: a, order: k, b)
                for t in 0..<k { out[t] = Float(b[t]) }
            }
        case .cg:
            let x = y + k
            let r = x + k
            let p = r + k
            let ap = p + k
            for t in 0..<k {
                x[t] = Double(out[t])
                b[t] = 0
            }
            for e in 0..<count {
                let src = fixed.row(Int(indices[e]))
                for t in 0..<k { y[t] = Double(src[t]) }
                DoubleKernels.axpy(confidence(values[e]), y, b, count: k)
            }
            applySystem(x, into: ap, indices: indices, values: values, count: count, fixed: fixed, gram: gram, y: y)
            for t in 0..<k {
                r[t] = b[t] - ap[t]
                p[t] = r[t]
            }
            var rs = DoubleKernels.dot(r, r, count: k)
            for _ in 0..<cgSteps {
                if rs < 1e-20 { break }
                applySystem(p, into: ap, indices: indices, values: values, count: count, fixed: fixed, gram: gram, y: y)
                let pAp = DoubleKernels.dot(p, ap, count: k)
                if !(pAp > 0) { break }
                let step = rs / pAp
                DoubleKernels.axpy(step, p, x, count: k)
                DoubleKernels.axpy(-step, ap, r, count: k)
                let rsNew = DoubleKernels.dot(r, r, count: k)
                let beta = rsNew / rs
                for t in 0..<k { p[t] = r[t] + beta * p[t] }
                rs = rsNew
            }
            for t in 0..<k { out[t] = Float(x[t]) }
        }
    }

    /// Whether n interactions are solved faster through the Woodbury identity than by forming and
    /// factoring the k×k system: n·k²/2 + n²·k + n³/3 against k³/3 (n ≤ k keeps its scratch in bounds).
    static func woodburyIsCheaper(count n: Int, factors k: Int) -> Bool {
        let n = Double(n)
        let k = Double(k)
        return n <= k && n * k * k / 2 + n * n * k + n * n * n / 3 < k * k * k / 3
    }

    /// The same solution through the Woodbury identity, with B = G + λI, U = [y_1 … y_n],
    /// W = diag(c_e − 1) and b = U·c:  A⁻¹b = B⁻¹b − B⁻¹U (W⁻¹ + UᵀB⁻¹U)⁻¹ UᵀB⁻¹b.
    /// `false` (nothing written) when some c_e ≤ 1 or the n×n system is not positive definite.
    private func solveWoodbury(
        indices: UnsafePointer<Int32>,
        values: UnsafePointer<Float>,
        count n: Int,
        fixed: EmbeddingMatrix,
        inverse: UnsafePointer<Double>,
        scratch: UnsafeMutablePointer<Double>,
        into out: UnsafeMutablePointer<Float>
    ) -> Bool {
        let k = factors
        // Scratch: Z = B⁻¹U (n rows of k), S (n×n), c (n), t (n), y (k), x (k).
        let z = scratch
        let s = z + n * k
        let c = s + n * n
        let t = c + n
        let y = t + n
        let x = y + k
        @inline(__always) func load(_ e: Int) {
            let src = fixed.row(Int(indices[e]))
            for i in 0..<k { y[i] = Double(src[i]) }
        }
        for e in 0..<n {
            c[e] = confidence(values[e])
            if !(c[e] > 1) { return false }
            load(e)
            DoubleKernels.multiply(inverse, y, into: z + e * k, order: k)
        }
        // S = W⁻¹ + UᵀZ (lower triangle); x = B⁻¹b = Z·c; t = Uᵀx.
        for i in 0..<k { x[i] = 0 }
        for e in 0..<n { DoubleKernels.axpy(c[e], z + e * k, x, count: k) }
        for a in 0..<n {
            load(a)
            for b in 0...a { s[a * n + b] = DoubleKernels.dot(y, z + b * k, count: k) }
            s[a * n + a] += 1 / (c[a] - 1)
            t[a] = DoubleKernels.dot(y, x, count: k)
        }
        guard Cholesky.factor(s, order: n) else { return false }
        Cholesky.solve(factored: s, order: n, t)
        for e in 0..<n { DoubleKernels.axpy(-t[e], z + e * k, x, count: k) }
        for i in 0..<k { out[i] = Float(x[i]) }
        return true
    }

    /// out = (G + λI + Σ_e (c_e − 1) y_e y_eᵀ)·v without forming the matrix; `y` is k scratch doubles.
    @inline(__always)
    private func applySystem(
        _ v: UnsafeMutablePointer<Double>,
        into out: UnsafeMutablePointer<Double>,
        indices: UnsafePointer<Int32>,
        values: UnsafePointer<Float>,
        count: Int,
        fixed: EmbeddingMatrix,
        gram: UnsafePointer<Double>,
        y: UnsafeMutablePointer<Double>
    ) {
        let k = factors
        DoubleKernels.multiply(gram, v, into: out, order: k)
        DoubleKernels.axpy(regularization, v, out, count: k)
        for e in 0..<count {
            let src = fixed.row(Int(indices[e]))
            for t in 0..<k { y[t] = Double(src[t]) }
            let w = confidence(values[e]) - 1
            DoubleKernels.axpy(w * DoubleKernels.dot(y, v, count: k), y, out, count: k)
        }
    }

    // MARK: - Fold-in

    /// The exact least-squares user vector for a new history against fixed item factors (the
    /// standard fold-in: one user half-step): `items` are item rows, `values` their strengths;
    /// `side` is ``prepare(_:)`` of `fixed`. Writes `factors` floats to `out`.
    public func foldIn(
        items: [Int32],
        values: [Float],
        fixed: EmbeddingMatrix,
        side: FixedSide,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(items.count == values.count)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: scratchSize)
        defer { scratch.deallocate() }
        items.withUnsafeBufferPointer { ids in
            values.withUnsafeBufferPointer { vals in
                side.gram.withUnsafeBufferPointer { g in
                    side.inverse.withUnsafeBufferPointer { inverse in
                        guard let ids = ids.baseAddress, let vals = vals.baseAddress else {
                            for t in 0..<factors { out[t] = 0 }
                            return
                        }
                        solveRow(
                            indices: ids,
                            values: vals,
                            count: items.count,
                            fixed: fixed,
                            gram: g.baseAddress!,
                            inverse: inverse.baseAddress,
                            scratch: scratch,
                            solver: .cholesky,
                            into: out
                        )
                    }
                }
            }
        }
    }

    // MARK: - Helpers

    /// MᵀM, full and row-major (dim × dim), in `Double`. Rows are summed in fixed blocks and the
    /// block sums added in order, so the result does not depend on `threads`.
    public static func gram(_ m: EmbeddingMatrix, threads: Int) -> [Double] {
        let k = m.dim
        let blockRows = max(256, (m.rows + 63) / 64)
        let blocks = max(1, (m.rows + blockRows - 1) / blockRows)
        var partial = [Double](repeating: 0, count: blocks * k * k)
        partial.withUnsafeMutableBufferPointer { buffer in
            let base = UncheckedPointer(buffer.baseAddress!)
            ParallelRows.run(count: blocks, threads: threads, chunk: 1, scratchSize: k) { range, y in
                for block in range {
                    let g = base.pointer + block * k * k
                    for row in (block * blockRows)..<min(m.rows, (block + 1) * blockRows) {
                        let src = m.row(row)
                        for t in 0..<k { y[t] = Double(src[t]) }
                        for r in 0..<k { DoubleKernels.axpy(y[r], y, g + r * k, count: r + 1) }
                    }
                }
            }
        }
        var g = [Double](repeating: 0, count: k * k)
        for block in 0..<blocks {
            for i in 0..<(k * k) { g[i] += partial[block * k * k + i] }
        }
        for r in 0..<k {
            for c in 0..<r { g[c * k + r] = g[r * k + c] }
        }
        return g
    }

    /// Σ of the squares of every entry.
    static func squaredNorm(_ m: EmbeddingMatrix) -> Double {
        var s = 0.0
        for r in 0..<m.rows { s += Double(Kernels.dot(m.row(r), m.row(r), count: m.stride)) }
        return s
    }
}

/// A raw pointer handed to the workers of ``ParallelRows``; each worker touches disjoint entries.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
