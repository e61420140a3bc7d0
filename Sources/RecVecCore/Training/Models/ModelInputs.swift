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
    /// it is `nil`), with what `inputs` adds.
    public func train(
        _ corpus: Corpus, inputs: ModelInputs, onEvent: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> EmbeddingModel {
        try config.validate()
        if config.model != .metaProd2vec, config.meta?.groupNegatives != nil { return try trainWithGroupNegatives(corpus, inputs: inputs, onEvent: onEvent) }
        switch config.model {
        case nil, .prod2vec, .item2vec, .baggedProd2vec:
            if let source = try eventSource(for: corpus) { return try train(corpus, source: source, onEvent: onEvent) }
            return try train(corpus, onEvent: onEvent)
        case .pvDBOW, .pvDM, .userProd2vec:
            return try trainParagraphVectors(corpus, onEvent: onEvent)
        case .metaProd2vec:
            return try trainMetaProd2Vec(corpus, inputs: inputs, onEvent: onEvent)
        case .content2vec:
            return try trainContent2vec(corpus, inputs: inputs, onEvent: onEvent)
        case .als, .bpr:
            return try trainFactorization(corpus, inputs: inputs, onEvent: onEvent)
        case let kind?:
            throw ConfigurationError(option: "--model", "\(kind.rawValue) is not available in this build")
        }
    }
}

extension Trainer {
    /// The skip-gram source that uses the corpus's side data, when the model or the options call
    /// for it (bagged-prod2vec, --max-gap, event weights, global context); `nil` for plain skip-gram/CBOW.
    func eventSource(for corpus: Corpus) throws -> EventSkipGramSource? {
        let options = config.sequenceOptions ?? SequenceOptionsConfig()
        try options.validate()
        let bagged = config.model == .baggedProd2vec
        if bagged && corpus.baskets == nil {
            throw ConfigurationError(
                option: "--model", "bagged-prod2vec needs baskets: an event log with --basket-column, or --baskets-by-time")
        }
        if options.maxGap != nil && corpus.times == nil {
            throw ConfigurationError(option: "--max-gap", "time-aware windows need event times (an event log with a time column)")
        }
        let weights = options.useWeights ? corpus.weights : nil
        let contextItems = options.useContextItems ? corpus.contextItems : nil
        guard bagged || options.maxGap != nil || weights != nil || contextItems != nil else { return nil }
        if config.architecture == .cbow {
            throw ConfigurationError(
                option: "--architecture", "baskets, time windows, event weights and global context train with skip-gram")
        }
        return EventSkipGramSource(
            window: config.window, mode: config.windowMode, baskets: bagged ? corpus.baskets : nil, times: corpus.times,
            maxGap: options.maxGap, weights: weights, contextItems: contextItems)
    }
}
