// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// item2vec (Barkan & Koenigstein 2016): skip-gram with negative sampling over sets — every other
/// item of the session or basket is context (`--window-mode full`), unless a window mode is chosen.
public enum Item2VecDefinition: EngineModelDefinition {
    public static let name: ModelName = "item2vec"
    public static let aliases: [String] = []
    public static let summary =
        "skip-gram over sets: the whole session or basket is the context (window mode full by default)"
    public static let reference = "Barkan & Koenigstein 2016"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        EngineModels.configuration(
            s,
            model: name,
            architecture: .skipGram,
            windowMode: .full,
            negativeShare: TrainingConfig.itemNegativeShare
        )
    }

    public static let tuning: TuningSpace? = EngineModels.tuning()
}

extension ModelName {
    /// ``Item2VecDefinition``.
    public static let item2vec = Item2VecDefinition.name
}
