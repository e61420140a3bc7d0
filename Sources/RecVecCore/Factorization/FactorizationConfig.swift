// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// How an interaction count r becomes the confidence c of implicit-feedback ALS.
public enum ConfidenceScaling: String, Sendable, Codable, CaseIterable {
    /// c = 1 + α·r (Hu, Koren & Volinsky 2008, eq. 1).
    case linear
    /// c = 1 + α·log(1 + r/ε) (Hu, Koren & Volinsky 2008, eq. 6): damps heavy repeat counts.
    case log
}

/// How ALS solves each row's k×k system.
public enum ALSSolver: String, Sendable, Codable, CaseIterable {
    /// The exact solution by a dense Cholesky factorization: O(k³) a row.
    case cholesky
    /// A few conjugate-gradient steps warm-started from the current row (Takács, Pilászy & Tikk
    /// 2011): O(k² + n·k) a step, not exact, but the objective still never increases.
    case cg
}

/// Hyperparameters of implicit-feedback ALS (Hu, Koren & Volinsky 2008) and BPR (Rendle et al.
/// 2009), stored in the model file header.
///
/// The number of factors defaults to the engine's `dim`. The iterations have their own defaults (15
/// ALS sweeps, 50 BPR epochs): word2vec's 5 epochs are too few for BPR. Every field has a default,
/// and a header that lacks a field (an older file) decodes to that default.
public struct FactorizationConfig: Sendable, Codable, Equatable {
    /// Latent factors k; `nil` = ``TrainingConfig/dim``.
    public var factors: Int? = nil
    /// ALS sweeps (users then items) or BPR epochs; `nil` = 15 (ALS) or 50 (BPR).
    public var iterations: Int? = nil
    /// L2 regularization λ of both factor matrices. Default 0.01.
    public var regularization = 0.01
    /// ALS: confidence per interaction, α in c = 1 + α·r. Default 40 (Hu et al.'s choice).
    public var alsAlpha = 40.0
    /// ALS: linear or logarithmic confidence. Default linear.
    public var confidence: ConfidenceScaling = .linear
    /// ALS: ε of the logarithmic confidence. Default 1.
    public var logEpsilon = 1.0
    /// ALS: exact Cholesky solves (default) or conjugate gradient.
    public var solver: ALSSolver = .cholesky
    /// ALS with `cg`: steps a row. Default 3.
    public var cgSteps = 3
    /// BPR: starting SGD learning rate. Default 0.05.
    public var bprLearningRate = 0.05
    /// BPR: learning rate at the end of the last epoch (linear decay); `nil` = constant.
    public var bprFinalLearningRate: Double? = nil
    /// BPR: negatives are drawn ∝ count^x; 0 (default) = uniform, as Rendle et al.
    public var bprNegativeExponent = 0.0
    /// BPR: triples an epoch, as a multiple of the number of (user, item) pairs. Default 1.
    public var bprSamples = 1.0
    /// BPR in evaluations: SGD steps that fold a test history into a user vector. Default 500.
    public var bprFoldInSteps = 500
    /// Initial factors are uniform with this standard deviation. Default 0.1.
    public var initScale = 0.1

    public init() {}

    /// The number of factors under `training`.
    public func resolvedFactors(_ training: TrainingConfig) -> Int { factors ?? training.dim }

    /// The number of iterations of `model`.
    public func resolvedIterations(for method: FactorizationMethod) -> Int { iterations ?? (method == .bpr ? 50 : 15) }

    /// Throws a ``ConfigurationError`` naming the first option out of range.
    public func validate() throws {
        func require(_ ok: Bool, _ setting: String, _ message: String) throws {
            if !ok { throw ConfigurationError(setting: setting, message) }
        }
        if let factors {
            try require(factors >= 1 && factors <= 4096, "factors", "must be between 1 and 4096 (got \(factors))")
        }
        if let iterations {
            try require(
                iterations >= 1 && iterations <= 100_000,
                "iterations",
                "must be between 1 and 100000 (got \(iterations))"
            )
        }
        try require(
            regularization >= 0 && regularization <= 1e6,
            "regularization",
            "must be between 0 and 1e6 (got \(regularization))"
        )
        try require(alsAlpha > 0 && alsAlpha <= 1e6, "als_alpha", "must be positive and at most 1e6 (got \(alsAlpha))")
        try require(logEpsilon > 0 && logEpsilon.isFinite, "als_log_epsilon", "must be positive (got \(logEpsilon))")
        try require(cgSteps >= 1 && cgSteps <= 1000, "als_cg_steps", "must be between 1 and 1000 (got \(cgSteps))")
        try require(
            bprLearningRate > 0 && bprLearningRate <= 10,
            "bpr_learning_rate",
            "must be positive and at most 10 (got \(bprLearningRate))"
        )
        if let final = bprFinalLearningRate {
            try require(
                final >= 0 && final <= bprLearningRate,
                "bpr_final_learning_rate",
                "must be between 0 and the starting BPR learning rate (got \(final))"
            )
        }
        try require(
            bprNegativeExponent.isFinite && abs(bprNegativeExponent) <= 10,
            "bpr_negative_exponent",
            "must be between -10 and 10 (got \(bprNegativeExponent))"
        )
        try require(
            bprSamples > 0 && bprSamples <= 1000,
            "bpr_samples",
            "must be positive and at most 1000 (got \(bprSamples))"
        )
        try require(
            bprFoldInSteps >= 1 && bprFoldInSteps <= 1_000_000,
            "bpr_fold_in_steps",
            "must be between 1 and 1000000 (got \(bprFoldInSteps))"
        )
        try require(
            initScale > 0 && initScale <= 10,
            "factor_init_scale",
            "must be positive and at most 10 (got \(initScale))"
        )
    }

    /// Validates this config together with what it takes from `training` (factors, iterations) and
    /// what `method` needs (ALS needs λ > 0: the systems must be positive definite).
    public func validate(for method: FactorizationMethod, training: TrainingConfig) throws {
        try validate()
        let k = resolvedFactors(training)
        if k > 4096 {
            throw ConfigurationError(setting: "factors", "must be between 1 and 4096 (got \(k) from the dimension)")
        }
        if method == .als && !(regularization > 0) {
            throw ConfigurationError(setting: "regularization", "ALS needs a positive λ (got \(regularization))")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case factors, iterations, regularization, alsAlpha, confidence, logEpsilon, solver, cgSteps
        case bprLearningRate, bprFinalLearningRate, bprNegativeExponent, bprSamples, bprFoldInSteps, initScale
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FactorizationConfig()
        factors = try c.decodeIfPresent(Int.self, forKey: .factors)
        iterations = try c.decodeIfPresent(Int.self, forKey: .iterations)
        regularization = try c.decodeIfPresent(Double.self, forKey: .regularization) ?? d.regularization
        alsAlpha = try c.decodeIfPresent(Double.self, forKey: .alsAlpha) ?? d.alsAlpha
        confidence = try c.decodeIfPresent(ConfidenceScaling.self, forKey: .confidence) ?? d.confidence
        logEpsilon = try c.decodeIfPresent(Double.self, forKey: .logEpsilon) ?? d.logEpsilon
        solver = try c.decodeIfPresent(ALSSolver.self, forKey: .solver) ?? d.solver
        cgSteps = try c.decodeIfPresent(Int.self, forKey: .cgSteps) ?? d.cgSteps
        bprLearningRate = try c.decodeIfPresent(Double.self, forKey: .bprLearningRate) ?? d.bprLearningRate
        bprFinalLearningRate = try c.decodeIfPresent(Double.self, forKey: .bprFinalLearningRate)
        bprNegativeExponent = try c.decodeIfPresent(Double.self, forKey: .bprNegativeExponent) ?? d.bprNegativeExponent
        bprSamples = try c.decodeIfPresent(Double.self, forKey: .bprSamples) ?? d.bprSamples
        bprFoldInSteps = try c.decodeIfPresent(Int.self, forKey: .bprFoldInSteps) ?? d.bprFoldInSteps
        initScale = try c.decodeIfPresent(Double.self, forKey: .initScale) ?? d.initScale
    }
}

/// How a factorization model fits its factors.
public enum FactorizationMethod: String, Sendable, CaseIterable {
    /// Implicit-feedback alternating least squares (Hu, Koren & Volinsky 2008).
    case als
    /// Bayesian personalized ranking by SGD (Rendle et al. 2009).
    case bpr

    /// The method's own settings in words (`recvec info`).
    public func describe(_ f: FactorizationConfig) -> String {
        switch self {
        case .als: "alpha \(f.alsAlpha) (\(f.confidence.rawValue) confidence), solver \(f.solver.rawValue)"
        case .bpr: "learning rate \(f.bprLearningRate), negative exponent \(f.bprNegativeExponent)"
        }
    }
}
