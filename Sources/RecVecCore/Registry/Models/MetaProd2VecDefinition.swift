// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Meta-Prod2Vec (Vasile, Smirnova & Conneau 2016): items and their side information
/// (`FIELD=VALUE` tokens) in one space, trained with the paper's five weighted loss terms.
public enum MetaProd2VecDefinition: TrainableModelDefinition {
    public static let name: ModelName = "meta-prod2vec"
    public static let aliases: [String] = []
    public static let summary =
        "items and their side information (category, artist, genre) co-embedded, weighted losses"
    public static let reference = "Vasile, Smirnova & Conneau 2016"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = [.metadata]
    public static let offers: ModelOffers = [.metadataVectors]

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        var t = s.engine(model: name, architecture: .skipGram)
        t.meta = s.meta
        if s.sequenceOptions != SequenceOptionsConfig() { t.sequenceOptions = s.sequenceOptions }
        return t
    }

    public static func recommender(_ s: ModelSettings) throws -> MetaProd2VecRecommenderModel {
        guard let metadata = s.metadata else {
            throw ConfigurationError(setting: "metadata", "\(name) needs item side information (a metadata file)")
        }
        return MetaProd2VecRecommenderModel(
            training: configuration(s),
            metadata: metadata,
            fields: s.metadataFields,
            minCount: s.minCount,
            scoring: s.scoring,
            weighting: s.weighting
        )
    }

    public static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        try trainer.trainMetaProd2Vec(corpus, inputs: inputs, onEvent: onEvent)
    }

    /// The engine's space, plus λ (log-spaced, 0.05…2) and the cap on values per item.
    public static let tuning: TuningSpace? = EngineModels.tuning { o, rng in
        o.meta = MetaProd2VecConfig.sampled(around: o.meta, rng: &rng)
    }
}

extension ModelName {
    /// ``MetaProd2VecDefinition``.
    public static let metaProd2vec = MetaProd2VecDefinition.name
}
