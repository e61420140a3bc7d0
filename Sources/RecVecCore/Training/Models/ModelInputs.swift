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
        switch config.model {
        case nil, .prod2vec, .item2vec:
            return try train(corpus, onEvent: onEvent)
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
