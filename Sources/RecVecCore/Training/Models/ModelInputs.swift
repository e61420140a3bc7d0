// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// What a model of the 2vec family may need beyond the corpus: side information, content, the
/// model-specific hyperparameters. Every field has a documented default, so a plain
/// `ModelInputs()` trains any model that needs nothing more than sequences.
public struct ModelInputs: Sendable {
    /// Item side information (Meta-Prod2Vec, Content2vec, group negatives).
    public var metadata: ItemMetadata? = nil
    /// The metadata fields used (e.g. `genre`, `tag`); empty = every field of `metadata`.
    public var metadataFields: [String] = []
    /// Content2vec: content given directly (dense features, pretrained word vectors) and notes.
    public var content = Content2vecInputs()

    public init() {}
}

extension Trainer {
    /// Trains the model ``TrainingConfig/model`` names on `corpus` (plain skip-gram or CBOW when
    /// it is `nil`), with what `inputs` adds: the model's ``TrainableModelDefinition`` in
    /// ``ModelRegistry`` says how.
    public func train(
        _ corpus: Corpus,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> EmbeddingModel {
        try config.validate()
        let definition = try ModelRegistry.definition(for: config)
        return try definition.train(corpus, trainer: self, inputs: inputs, onEvent: onEvent)
    }
}

extension Trainer {
    /// The skip-gram source that uses the corpus's side data, when the model or the options call
    /// for it (`baskets`: bagged-prod2vec; time windows, event weights, global context); `nil` for
    /// plain skip-gram/CBOW.
    func eventSource(for corpus: Corpus, baskets bagged: Bool) throws -> EventSkipGramSource? {
        let options = config.sequenceOptions ?? SequenceOptionsConfig()
        try options.validate()
        if bagged && corpus.baskets == nil {
            throw ConfigurationError(
                setting: "model",
                "\(config.model ?? "this model") needs baskets: an event log with a basket column, or baskets by time"
            )
        }
        if options.maxGap != nil && corpus.times == nil {
            throw ConfigurationError(
                setting: "max_gap",
                "time-aware windows need event times (an event log with a time column)"
            )
        }
        let weights = options.useWeights ? corpus.weights : nil
        let contextItems = options.useContextItems ? corpus.contextItems : nil
        guard bagged || options.maxGap != nil || weights != nil || contextItems != nil else { return nil }
        if config.architecture == .cbow {
            throw ConfigurationError(
                setting: "architecture",
                "baskets, time windows, event weights and global context train with skip-gram"
            )
        }
        return EventSkipGramSource(
            window: config.window,
            mode: config.windowMode,
            baskets: bagged ? corpus.baskets : nil,
            times: corpus.times,
            maxGap: options.maxGap,
            weights: weights,
            contextItems: contextItems,
            share: config.resolvedNegativeShare
        )
    }
}
