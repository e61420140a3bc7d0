// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// STAN (Garg et al. 2019): session-kNN weighted by the position of the shared click in the
/// history, the neighbour's recency and the distance of the recommended item from the shared one
/// in the neighbour.
public enum STANDefinition: ModelDefinition {
    public static let name: ModelName = "stan"
    public static let aliases: [String] = []
    public static let summary =
        "sequence- and time-aware session-kNN (λ position, recency in days, neighbour position; recency off without times)"
    public static let reference = "Garg et al. 2019"
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> STANModel {
        STANModel(stan: s.stan)
    }

    /// session-rec's grid for STAN on yoochoose (Ludewig et al. 2021): neighbours, sample and the
    /// three λ (1e-5: only the last click / only the shared item counts).
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
        o.stan.neighbors = pick([100, 200, 500, 1000, 1500, 2000])
        o.stan.sample = pick([1000, 2500, 5000, 10000])
        o.stan.lambdaPosition = pick([0.00001, 0.5, 1, 2, 4, 8])
        o.stan.lambdaRecency = pick([2.5, 5, 10, 20, 40, 80, 100])
        o.stan.lambdaNeighbor = pick([0.00001, 0.5, 1, 2, 4, 8])
        return o
    }
}
