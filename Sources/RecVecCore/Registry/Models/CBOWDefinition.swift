// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The plain engine with CBOW (Mikolov et al. 2013a): the mean of the context predicts the centre.
/// Its model files record no model name, only the architecture.
public enum CBOWDefinition: EngineModelDefinition {
    public static let name: ModelName = "cbow"
    public static let aliases: [String] = []
    public static let summary = "word2vec CBOW with negative sampling: the context's mean predicts the centre"
    public static let reference = "Mikolov et al. 2013"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        var t = EngineModels.configuration(s, model: nil, architecture: .cbow)
        t.meta = nil  // group negatives train with skip-gram
        return t
    }

    public static let tuning: TuningSpace? = EngineModels.tuning(negativeSharing: false)
}
