// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Bayesian personalized ranking (Rendle et al. 2009) by Hogwild SGD over sampled triples.
public enum BPRDefinition: FactorizationModelDefinition {
    public static let name: ModelName = "bpr"
    public static let aliases: [String] = []
    public static let summary = "Bayesian personalized ranking (pairwise SGD on user and item factors)"
    public static let reference = "Rendle et al. 2009"
    public static let method = FactorizationMethod.bpr

    /// The learning rate, its decay, the negatives' distribution and the initial scale.
    public static func sampleMethodSettings(_ f: inout FactorizationConfig, rng: inout FastRandom) {
        func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
        f.bprLearningRate = pick([0.01, 0.025, 0.05, 0.1, 0.2])
        f.bprFinalLearningRate = pick([nil, f.bprLearningRate / 10])
        f.bprNegativeExponent = pick([0, 0, 0.5, 0.75])
        f.initScale = pick([0.01, 0.1])
    }

    public static let tuning: TuningSpace? = factorizationTuning(
        iterations: [10, 20, 40, 80, 160],
        regularization: [0.0001, 0.001, 0.005, 0.01, 0.05]
    )
}

extension ModelName {
    /// ``BPRDefinition``.
    public static let bpr = BPRDefinition.name
}
