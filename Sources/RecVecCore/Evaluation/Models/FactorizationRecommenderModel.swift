// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// ALS or BPR in evaluations: fits the factorization on the training sequences (each sequence a
/// user row, r_ui = how often item i occurs in it) and scores a test history by folding it in as a
/// new user against the fixed item factors, so histories of unseen users or sessions work too.
///
/// - ALS: the exact least-squares user vector, x = (YᵀY + Yᵀ(C − I)Y + λI)⁻¹ YᵀC p — one user
///   half-step of training (Hu, Koren & Volinsky 2008, §4).
/// - BPR: SGD on the BPR objective restricted to the new user vector (convex in it; see
///   ``BPR/foldIn(history:fixed:sampler:seed:into:)``), from zero, with draws seeded by the history.
///
/// Scores are x·y_i for every item kept (seen at least `minCount` times in training).
public struct FactorizationRecommenderModel: RecommenderModel {
    public var name: String
    public var method: FactorizationMethod
    /// dim, threads, seed, and ``TrainingConfig/factorization`` (defaults when `nil`).
    public var training: TrainingConfig
    public var minCount: Int
    var fitted: Fitted?

    /// What fitting leaves for scoring.
    struct Fitted: Sendable {
        let items: EmbeddingMatrix
        /// YᵀY and (YᵀY + λI)⁻¹ (ALS fold-in).
        let side: ImplicitALS.FixedSide?
        let als: ImplicitALS
        let bpr: BPR
        let sampler: NegativeSampler?
        /// Data-set item id → model row (−1: not kept).
        let toModel: [Int32]
        /// Model row → data-set item id.
        let toData: [Int32]
    }

    public init(method: FactorizationMethod, training: TrainingConfig, minCount: Int = 1) {
        name = training.model?.rawValue ?? method.rawValue
        self.method = method
        self.training = training
        self.minCount = minCount
    }

    var factorization: FactorizationConfig { training.factorization ?? FactorizationConfig() }

    public var config: [String: String] {
        let f = factorization
        var c = [
            "factors": String(f.resolvedFactors(training)), "iterations": String(f.resolvedIterations(for: method)),
            "regularization": String(f.regularization), "min_count": String(minCount),
            "init_scale": String(f.initScale),
        ]
        if method == .als {
            c["als_alpha"] = String(f.alsAlpha)
            c["confidence"] = f.confidence.rawValue
            if f.confidence == .log { c["log_epsilon"] = String(f.logEpsilon) }
            c["solver"] = f.solver.rawValue
            if f.solver == .cg { c["cg_steps"] = String(f.cgSteps) }
        } else {
            c["learning_rate"] = String(f.bprLearningRate)
            c["final_learning_rate"] = f.bprFinalLearningRate.map { String($0) } ?? "constant"
            c["negative_exponent"] = String(f.bprNegativeExponent)
            c["samples"] = String(f.bprSamples)
            c["fold_in_steps"] = String(f.bprFoldInSteps)
        }
        return c
    }

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        // Items seen at least minCount times become rows 0..<m, in data-id order.
        var toModel = [Int32](repeating: -1, count: data.items.count)
        var toData: [Int32] = []
        for (i, count) in data.counts.enumerated() where count >= minCount && count > 0 {
            toModel[i] = Int32(toData.count)
            toData.append(Int32(i))
        }
        if toData.isEmpty {
            throw ConfigurationError(setting: "min_count", "no item occurs \(minCount) times in the training data")
        }
        var rows: [[Int32]] = []
        rows.reserveCapacity(data.sequences.count)
        for s in data.sequences {
            let mapped = s.compactMap { toModel[Int($0)] >= 0 ? toModel[Int($0)] : nil }
            if !mapped.isEmpty { rows.append(mapped) }
        }
        let matrix = UserItemMatrix(rows: rows, itemCount: toData.count)
        let f = factorization
        let result = try FactorizationFitter.fit(method, matrix: matrix, config: f, training: training)
        let als = ImplicitALS(config: f, training: training)
        let bpr = BPR(config: f, training: training)
        fitted = Fitted(
            items: result.items,
            side: method == .als ? als.prepare(result.items) : nil,
            als: als,
            bpr: bpr,
            sampler: bpr.negativeSampler(itemTotals: BPR.itemTotals(matrix)),
            toModel: toModel,
            toData: toData
        )
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let f = fitted else { return false }
        // The history as a user row: distinct kept items, r = occurrences.
        var counts: [Int32: Float] = [:]
        for d in history where d >= 0 && Int(d) < f.toModel.count {
            let m = f.toModel[Int(d)]
            if m >= 0 { counts[m, default: 0] += 1 }
        }
        if counts.isEmpty { return false }
        let items = counts.keys.sorted()
        let user = EmbeddingMatrix(rows: 1, dim: f.items.dim)
        switch method {
        case .als:
            f.als.foldIn(
                items: items,
                values: items.map { counts[$0]! },
                fixed: f.items,
                side: f.side!,
                into: user.row(0)
            )
        case .bpr:
            // The draws depend on the history only, so a history always gets the same vector.
            let seed = items.reduce(training.seed ^ 0xB9B1_F01D) {
                ($0 ^ UInt64(bitPattern: Int64($1))) &* 0x100_0000_01B3
            }
            f.bpr.foldIn(history: items, fixed: f.items, sampler: f.sampler, seed: seed, into: user.row(0))
        }
        let x = user.row(0)
        let stride = f.items.stride
        for m in 0..<f.toData.count {
            scores[Int(f.toData[m])] = Kernels.dot(x, f.items.row(m), count: stride)
        }
        return true
    }
}
