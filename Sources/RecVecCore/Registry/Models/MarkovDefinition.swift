// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// First-order Markov chain: the items that most often followed the history's last item.
public enum MarkovDefinition: ModelDefinition {
    public static let name: ModelName = "markov"
    public static let aliases: [String] = []
    public static let summary = "first-order transitions: what most often followed the last item"
    public static let reference = ""
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> MarkovModel { MarkovModel() }

    public static let tuning: TuningSpace? = nil
}
