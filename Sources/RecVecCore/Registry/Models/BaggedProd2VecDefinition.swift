// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// bagged-prod2vec (Grbovic et al. 2015): the items of one basket predict the items of the
/// neighbouring baskets. Baskets come from a basket column, or from events that share a time.
public enum BaggedProd2VecDefinition: EngineModelDefinition {
    public static let name: ModelName = "bagged-prod2vec"
    public static let aliases: [String] = []
    public static let summary = "skip-gram between neighbouring baskets (a basket column, or events that share a time)"
    public static let reference = "Grbovic et al. 2015"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = [.baskets]
    public static let offers: ModelOffers = []

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        EngineModels.configuration(
            s,
            model: name,
            architecture: .skipGram,
            negativeShare: TrainingConfig.itemNegativeShare,
            baskets: true
        )
    }

    public static let tuning: TuningSpace? = EngineModels.tuning()
}

extension ModelName {
    /// ``BaggedProd2VecDefinition``.
    public static let baggedProd2vec = BaggedProd2VecDefinition.name
}
