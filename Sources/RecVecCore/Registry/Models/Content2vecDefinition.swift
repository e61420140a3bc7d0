// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Content2vec (Nedelec et al. 2017), additive form: an item's vector is its behaviour vector
/// plus the mean of its content tokens' vectors plus a projection of its dense features, so items
/// nobody has touched yet get vectors from their content.
public enum Content2vecDefinition: TrainableModelDefinition {
    public static let name: ModelName = "content2vec"
    public static let aliases: [String] = []
    public static let summary = "content (metadata words, dense features) joined with behaviour; vectors for cold items"
    public static let reference = "Nedelec et al. 2017"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = [.content]
    public static let offers: ModelOffers = [.coldStartItems]

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        var t = s.engine(model: name, architecture: .skipGram)
        t.content = s.content
        if s.sequenceOptions != SequenceOptionsConfig() { t.sequenceOptions = s.sequenceOptions }
        return t
    }

    public static func recommender(_ s: ModelSettings) throws -> Content2vecRecommenderModel {
        Content2vecRecommenderModel(
            training: configuration(s),
            metadata: s.metadata,
            metadataFields: s.metadataFields,
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
        try trainer.trainContent2vec(corpus, inputs: inputs, onEvent: onEvent)
    }

    /// The engine's space (negative sampling only: the content towers train through it), plus the dropout, the token count cut-off, the weighting and centring.
    public static let tuning: TuningSpace? = EngineModels.tuning(losses: false) { o, rng in
        o.content = Content2vecConfig.sampled(around: o.content, rng: &rng)
    }
}

extension ModelName {
    /// ``Content2vecDefinition``.
    public static let content2vec = Content2vecDefinition.name
}
