// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The most frequent training items, for everyone: the floor every model must clear.
public enum PopularityDefinition: ModelDefinition {
    public static let name: ModelName = "popularity"
    public static let aliases: [String] = []
    public static let summary = "the most frequent training items, for everyone"
    public static let reference = ""
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> PopularityModel { PopularityModel() }

    public static let tuning: TuningSpace? = nil
}
