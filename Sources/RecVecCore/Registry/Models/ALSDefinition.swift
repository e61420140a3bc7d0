// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Implicit-feedback alternating least squares (Hu, Koren & Volinsky 2008): matrix factorization
/// seen as embedding learning, the baseline the 2vec models must beat.
public enum ALSDefinition: FactorizationModelDefinition {
    public static let name: ModelName = "als"
    public static let aliases: [String] = []
    public static let summary = "implicit-feedback alternating least squares (user and item factors)"
    public static let reference = "Hu, Koren & Volinsky 2008"
    public static let method = FactorizationMethod.als

    /// α and the confidence scaling.
    public static func sampleMethodSettings(_ f: inout FactorizationConfig, rng: inout FastRandom) {
        let alphas: [Double] = [1, 3, 10, 20, 40, 80, 160]
        f.alsAlpha = alphas[rng.next(below: alphas.count)]
        f.confidence = ConfidenceScaling.allCases[rng.next(below: ConfidenceScaling.allCases.count)]
    }

    public static let tuning: TuningSpace? = factorizationTuning(
        iterations: [4, 8, 12, 16, 24],
        regularization: [0.01, 0.1, 1, 10, 100, 1000]
    )
}

extension ModelName {
    /// ``ALSDefinition``.
    public static let als = ALSDefinition.name
}
