// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The plain engine with skip-gram (Mikolov et al. 2013a): what `train` runs without `--model`.
/// Its model files record no model name, only the architecture.
public enum SkipGramDefinition: EngineModelDefinition {
    public static let name: ModelName = "skipgram"
    public static let aliases: [String] = []
    public static let summary = "word2vec skip-gram with negative sampling (the plain engine; train's default)"
    public static let reference = "Mikolov et al. 2013"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        EngineModels.configuration(s, model: nil, architecture: .skipGram)
    }

    public static let tuning: TuningSpace? = EngineModels.tuning()
}
