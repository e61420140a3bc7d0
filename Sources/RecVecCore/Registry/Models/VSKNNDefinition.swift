// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// V-SKNN (Ludewig & Jannach 2018): session-kNN with position-decayed session vectors, a score
/// decay by how recent the shared click is, and optional IDF weighting.
public enum VSKNNDefinition: ModelDefinition {
    public static let name: ModelName = "vsknn"
    public static let aliases: [String] = []
    public static let summary =
        "vector-multiplication session-kNN: recent clicks weigh more (--vsknn-weighting), optional IDF"
    public static let reference = "Ludewig & Jannach 2018"
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> VSKNNModel {
        VSKNNModel(vsknn: s.vsknn)
    }

    /// session-rec's grid for V-SKNN (Ludewig et al. 2021): neighbours, sample, both decay
    /// functions and the IDF weight.
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
        o.vsknn.neighbors = pick([50, 100, 500, 1000, 1500])
        o.vsknn.sample = pick([500, 1000, 2500, 5000, 10000])
        o.vsknn.weighting = pick(SessionDecay.allCases)
        o.vsknn.scoreWeighting = pick(SessionDecay.allCases)
        o.vsknn.idfWeight = pick([0.0, 1, 2, 5, 10])
        return o
    }
}
