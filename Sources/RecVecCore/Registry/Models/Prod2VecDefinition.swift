// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// prod2vec (Grbovic et al. 2015): skip-gram with negative sampling over each user's purchase
/// sequence, with word2vec's shrinking windows.
public enum Prod2VecDefinition: EngineModelDefinition {
    public static let name: ModelName = "prod2vec"
    public static let aliases: [String] = []
    public static let summary = "skip-gram over purchase sequences, word2vec windows"
    public static let reference = "Grbovic et al. 2015"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        EngineModels.configuration(
            s,
            model: name,
            architecture: .skipGram,
            negativeShare: TrainingConfig.itemNegativeShare
        )
    }

    public static let tuning: TuningSpace? = EngineModels.tuning()
}

extension ModelName {
    /// ``Prod2VecDefinition``.
    public static let prod2vec = Prod2VecDefinition.name
}
