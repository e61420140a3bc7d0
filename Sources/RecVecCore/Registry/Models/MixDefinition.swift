// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// mix: a blend of skip-gram similarity and co-occurrence (Vasile et al. 2016 mixed embeddings
/// with co-occurrence counts), the weight tuned on validation unless given. Its model file holds
/// the embedding part (plain skip-gram); the co-occurrence part is computed where it is evaluated.
public enum MixDefinition: TrainableModelDefinition {
    public static let name: ModelName = "mix"
    public static let aliases: [String] = []
    public static let summary = "α·skip-gram similarity + (1−α)·co-occurrence, α tuned on validation"
    public static let reference = "Vasile, Smirnova & Conneau 2016"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    /// The embedding part: plain skip-gram.
    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        SkipGramDefinition.configuration(s)
    }

    public static func recommender(_ s: ModelSettings) throws -> MixModel {
        MixModel(
            embedding: EmbeddingRecommenderModel(
                name: SkipGramDefinition.name.rawValue,
                training: configuration(s),
                minCount: s.minCount,
                scoring: s.scoring,
                weighting: s.weighting
            ),
            cooccurrence: CooccurrenceModel(window: s.cooccurrenceWindow, weighting: s.weighting),
            alpha: s.mixAlpha ?? .nan
        )
    }

    public static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        try SkipGramDefinition.train(corpus, trainer: trainer, inputs: inputs, onEvent: onEvent)
    }

    /// The engine's space, plus the co-occurrence window.
    public static let tuning: TuningSpace? = EngineModels.tuning { o, rng in
        let windows = [0, 1, 2, 3, 5, 10]
        o.cooccurrenceWindow = windows[rng.next(below: windows.count)]
    }
}
