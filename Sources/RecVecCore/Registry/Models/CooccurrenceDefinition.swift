// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Item-kNN over co-occurrence counts, cosine-normalized: the counting baseline of item2vec's papers.
public enum CooccurrenceDefinition: ModelDefinition {
    public static let name: ModelName = "cooccurrence"
    public static let aliases: [String] = []
    public static let summary = "item-kNN over co-occurrence counts (cosine-normalized), recency-weighted history"
    public static let reference = ""
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> CooccurrenceModel {
        CooccurrenceModel(window: s.cooccurrenceWindow, weighting: s.weighting)
    }

    /// The window and the history's weighting.
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
        o.cooccurrenceWindow = pick([0, 1, 2, 3, 5, 10])
        o.weighting = HistoryWeighting(lastN: pick([0, 1, 2, 3, 5, 10, 20]), decay: pick([0, 0.1, 0.3, 0.5]))
        return o
    }
}
