// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// A matrix-factorization model (ALS, BPR): each sequence a user row, user and item vectors in
/// one model file.
public protocol FactorizationModelDefinition: TrainableModelDefinition {
    /// How the factors are fitted.
    static var method: FactorizationMethod { get }
    /// The method's own hyperparameters in the tuning space (besides factors and λ).
    static func sampleMethodSettings(_ f: inout FactorizationConfig, rng: inout FastRandom)
}

extension FactorizationModelDefinition {
    public static var family: ModelFamily { .factorization }
    public static var needs: ModelNeeds { [.sequenceIDs] }
    public static var offers: ModelOffers { [.userVectors] }

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        var t = s.engine(model: name, architecture: s.training.architecture)
        t.factorization = s.factorization
        return t
    }

    /// Fold-in recommender: a test history becomes a new user against the fixed item factors.
    public static func recommender(_ s: ModelSettings) throws -> FactorizationRecommenderModel {
        let t = configuration(s)
        try validate(t)
        return FactorizationRecommenderModel(method: method, training: t, minCount: s.minCount)
    }

    public static func validate(_ config: TrainingConfig) throws {
        try config.validate()
        try (config.factorization ?? FactorizationConfig()).validate(for: method, training: config)
    }

    public static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        try validate(trainer.config)
        return try trainer.trainFactorization(corpus, method: method, onEvent: onEvent)
    }

    public static func describe(_ c: TrainingConfig) -> String {
        let f = c.factorization ?? FactorizationConfig()
        return "model \(name), factors \(f.resolvedFactors(c)), regularization \(f.regularization), "
            + method.describe(f) + ", iterations \(f.iterations.map(String.init) ?? "default"), seed \(c.seed)"
    }

    /// Factors (through the dimension), iterations (which successive halving scales), λ, the
    /// method's own settings, and the min count.
    static func factorizationTuning(iterations: [Int], regularization: [Double]) -> TuningSpace {
        TuningSpace { base, rng in
            var o = base
            func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
            var f = o.factorization
            f.factors = nil
            o.training.dim = pick([16, 32, 64, 100, 128, 200])
            f.iterations = pick(iterations)
            f.regularization = pick(regularization)
            sampleMethodSettings(&f, rng: &rng)
            o.factorization = f
            o.minCount = pick([1, 2, 3, 5])
            return o
        }
    }
}
