// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of EASE (Steck 2019).
public struct EASEConfig: Sendable, Codable, Equatable {
    /// λ, the L2 regularization of the item-item weights (added to the Gram matrix's diagonal).
    /// Default 500.
    public var lambda = 500.0
    /// The largest catalog EASE accepts: it holds a dense n × n matrix in double precision (8·n²
    /// bytes, twice, while fitting) and inverts it in O(n³). Default 10,000 items (1.6 GB).
    public var maxItems = 10_000

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first setting out of range.
    public func validate() throws {
        if !(lambda > 0 && lambda.isFinite) {
            throw ConfigurationError(setting: "ease_lambda", "must be positive (got \(lambda))")
        }
        if maxItems < 1 { throw ConfigurationError(setting: "ease_max_items", "must be at least 1 (got \(maxItems))") }
    }
}

/// EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the item-item
/// weight matrix B that minimizes ‖X − X·B‖² + λ‖B‖² with a zero diagonal, in closed form:
/// P = (XᵀX + λI)⁻¹, B = I − P·diag(1 ⊘ diag(P)), i.e. B_ij = −P_ij / P_jj off the diagonal.
/// X is the binary user × item matrix of the training sequences (a user row: the distinct items
/// of one sequence). A history scores item j as Σ_{i in the history} B_ij — the linear baseline for
/// user-item protocols.
public struct EASEModel: RecommenderModel {
    public let name = EASEDefinition.name.rawValue
    public var ease: EASEConfig
    /// Items seen fewer times in training are left out of the matrix.
    public var minCount: Int
    /// Worker threads of the inversion.
    public var threads: Int
    var fitted: Fitted?

    struct Fitted: Sendable {
        /// B, row-major n × n: row i holds item i's contributions to every item's score.
        let weights: [Float]
        let count: Int
        /// Data-set item id → matrix row (−1: not kept).
        let toModel: [Int32]
        /// Matrix row → data-set item id.
        let toData: [Int32]
    }

    public init(ease: EASEConfig = EASEConfig(), minCount: Int = 1, threads: Int = 1) {
        self.ease = ease
        self.minCount = minCount
        self.threads = threads
    }

    public var config: [String: String] {
        ["lambda": String(ease.lambda), "min_count": String(minCount), "max_items": String(ease.maxItems)]
    }

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        try ease.validate()
        var toModel = [Int32](repeating: -1, count: data.items.count)
        var toData: [Int32] = []
        for (i, count) in data.counts.enumerated() where count >= max(1, minCount) {
            toModel[i] = Int32(toData.count)
            toData.append(Int32(i))
        }
        let n = toData.count
        if n == 0 {
            throw ConfigurationError(setting: "min_count", "no item occurs \(minCount) times in the training data")
        }
        if n > ease.maxItems {
            throw ConfigurationError(
                setting: "ease_max_items",
                "EASE holds a dense \(n) × \(n) matrix (\(8 * n * n / 1_000_000) MB, inverted in O(n³)); "
                    + "\(n) items exceed the limit of \(ease.maxItems): raise it or the minimum count"
            )
        }
        let weights = try Self.weights(
            rows: data.sequences.map { s in Array(Set(s.compactMap { toModel[Int($0)] >= 0 ? toModel[Int($0)] : nil }))
            },
            itemCount: n,
            lambda: ease.lambda,
            threads: threads
        )
        fitted = Fitted(weights: weights, count: n, toModel: toModel, toData: toData)
    }

    /// B for the binary rows `rows` (each a set of item indices below `itemCount`).
    static func weights(rows: [[Int32]], itemCount n: Int, lambda: Double, threads: Int) throws -> [Float] {
        // G = XᵀX + λI, then its Cholesky factor L in place (lower triangle).
        var gram = [Double](repeating: 0, count: n * n)
        for row in rows {
            for a in row {
                let base = Int(a) * n
                for b in row { gram[base + Int(b)] += 1 }
            }
        }
        for i in 0..<n { gram[i * n + i] += lambda }
        let factored = gram.withUnsafeMutableBufferPointer { Cholesky.factor($0.baseAddress!, order: n) }
        if !factored {
            throw ConfigurationError(setting: "ease_lambda", "XᵀX + λI is not positive definite; raise λ")
        }
        // P = G⁻¹, one column per solve (P is symmetric, so column j is row j).
        var inverse = [Double](repeating: 0, count: n * n)
        gram.withUnsafeBufferPointer { l in
            inverse.withUnsafeMutableBufferPointer { p in
                let lBase = l.baseAddress!
                let pBase = p.baseAddress!
                ParallelRows.run(count: n, threads: threads, chunk: 8, scratchSize: 0) { columns, _ in
                    for j in columns {
                        let column = pBase + j * n
                        column.update(repeating: 0, count: n)
                        column[j] = 1
                        Cholesky.solve(factored: lBase, order: n, column)
                    }
                }
            }
        }
        // B_ij = −P_ij / P_jj, B_jj = 0.
        var weights = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                weights[i * n + j] = Float(-inverse[i * n + j] / inverse[j * n + j])
            }
        }
        return weights
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let f = fitted else { return false }
        var seen = Set<Int32>()
        var sums = [Float](repeating: 0, count: f.count)
        for d in history where d >= 0 && Int(d) < f.toModel.count {
            let i = f.toModel[Int(d)]
            if i < 0 || !seen.insert(i).inserted { continue }
            f.weights.withUnsafeBufferPointer { w in
                sums.withUnsafeMutableBufferPointer { s in
                    Kernels.add(w.baseAddress! + Int(i) * f.count, s.baseAddress!, count: f.count)
                }
            }
        }
        if seen.isEmpty { return false }
        for m in 0..<f.count { scores[Int(f.toData[m])] = sums[m] }
        return true
    }
}
