// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// EASE (Steck 2019): the closed-form item-item linear model with L2 regularization — the linear
/// baseline a careful reviewer asks for on user-item data.
public enum EASEDefinition: ModelDefinition {
    public static let name: ModelName = "ease"
    public static let aliases: [String] = []
    public static let summary =
        "closed-form item-item linear model with L2 regularization (dense; catalogs up to --ease-max-items)"
    public static let reference = "Steck 2019"
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> EASEModel {
        EASEModel(ease: s.ease, minCount: s.minCount, threads: s.training.resolvedThreads)
    }

    /// λ on a log scale (Steck tunes it per data set) and the minimum count.
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        let lambdas: [Double] = [1, 10, 50, 100, 200, 500, 1000, 2000, 5000]
        o.ease.lambda = lambdas[rng.next(below: lambdas.count)]
        let minCounts = [1, 2, 3, 5]
        o.minCount = minCounts[rng.next(below: minCounts.count)]
        return o
    }
}
