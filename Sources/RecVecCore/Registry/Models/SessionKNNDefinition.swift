// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Session-based kNN (Jannach & Ludewig 2017): the items of the training sessions most similar
/// to the history, among a sample of the most recent ones.
public enum SessionKNNDefinition: ModelDefinition {
    public static let name: ModelName = "sknn"
    public static let aliases: [String] = []
    public static let summary = "session-kNN: items of the most similar recent training sessions"
    public static let reference = "Jannach & Ludewig 2017"
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> SessionKNNModel {
        SessionKNNModel(neighbors: s.sknnNeighbors, sampleSize: s.sknnSample, weighting: s.weighting)
    }

    /// Neighbours, sample size and the history's length.
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
        o.sknnNeighbors = pick([20, 50, 100, 200, 500])
        o.sknnSample = pick([200, 500, 1000, 2000, 5000])
        o.weighting = HistoryWeighting(lastN: pick([0, 1, 3, 5, 10]), decay: 0)
        return o
    }
}
