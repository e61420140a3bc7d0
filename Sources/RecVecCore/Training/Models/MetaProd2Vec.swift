// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of Meta-Prod2Vec (Vasile, Smirnova & Conneau, "Meta-Prod2Vec: Product Embeddings
/// Using Side-Information for Recommendation", RecSys 2016), and of group negatives.
///
/// The loss is L = L(J|I) + λ · (L(M|I) + L(J|M) + L(M|M) + L(I|M)); each λ term can be set on its
/// own (`nil` = ``lambda``). See ``MetaProd2VecSource`` for the pairs each term generates.
public struct MetaProd2VecConfig: Sendable, Codable, Equatable {
    /// λ, the weight of the four side-information terms. Default 1 (the paper leaves it a
    /// hyperparameter; `recvec tune` searches it).
    public var lambda: Double = 1
    /// λ of L(M|I) (the centre item predicts its context items' metadata); `nil` = ``lambda``.
    public var lambdaMI: Double? = nil
    /// λ of L(J|M) (the centre item's metadata predict the context items); `nil` = ``lambda``.
    public var lambdaJM: Double? = nil
    /// λ of L(M|M) (the centre's metadata predict the context items' metadata); `nil` = ``lambda``.
    public var lambdaMM: Double? = nil
    /// λ of L(I|M) (an item's own metadata predict the item); `nil` = ``lambda``.
    public var lambdaIM: Double? = nil
    /// Metadata values whose count (occurrences in the corpus of the items carrying them) is below
    /// this are dropped. Default 1: drop only values of items the corpus never shows.
    public var minCount: Int = 1
    /// At most this many values per item, the most frequent first (0 = all). Bounds the cost of
    /// the M|M term, which grows with the square of the values per item. Default 10.
    public var maxValuesPerItem: Int = 10
    /// Extra negatives from the positive target's own group (also usable with prod2vec/item2vec).
    public var groupNegatives: GroupNegativesConfig? = nil

    public init() {}

    /// The weights of the five terms, J|I first.
    public var termWeights: (ji: Float, mi: Float, jm: Float, mm: Float, im: Float) {
        (1, Float(lambdaMI ?? lambda), Float(lambdaJM ?? lambda), Float(lambdaMM ?? lambda), Float(lambdaIM ?? lambda))
    }

    /// Throws a ``ConfigurationError`` naming the first nonsensical option.
    public func validate() throws {
        for (option, value) in [
            ("meta_lambda", lambda), ("meta_lambda_mi", lambdaMI ?? 0), ("meta_lambda_jm", lambdaJM ?? 0),
            ("meta_lambda_mm", lambdaMM ?? 0), ("meta_lambda_im", lambdaIM ?? 0),
        ] where !(value >= 0 && value <= 100) {
            throw ConfigurationError(setting: option, "must be between 0 and 100 (got \(value))")
        }
        if minCount < 0 { throw ConfigurationError(setting: "meta_min_count", "must be 0 or more (got \(minCount))") }
        if maxValuesPerItem < 0 {
            throw ConfigurationError(setting: "meta_max_values", "must be 0 (all) or more (got \(maxValuesPerItem))")
        }
        try groupNegatives?.validate()
    }
}

/// What a Meta-Prod2Vec training did with the side information, besides the model.
public struct MetaProd2VecResult: Sendable {
    /// Items first, then one `FIELD=VALUE` token per kept metadata value (a ``TokenKind/metadata`` section).
    public var model: EmbeddingModel
    /// Metadata rows (of the fields used) whose item is not in the vocabulary; ignored.
    public var unknownItemRows: Int
    /// Vocabulary items without any kept metadata value: they train as in prod2vec (see ``MetaProd2VecSource``).
    public var itemsWithoutMetadata: Int
    /// Distinct values dropped by ``MetaProd2VecConfig/minCount``.
    public var droppedValues: Int
}

extension Trainer {
    /// Trains Meta-Prod2Vec (Vasile, Smirnova & Conneau 2016) on `corpus` (the dispatch of ``train(_:inputs:onEvent:)``).
    func trainMetaProd2Vec(
        _ corpus: Corpus,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        guard let metadata = inputs.metadata else {
            throw ConfigurationError(setting: "metadata", "meta-prod2vec needs item side information (a metadata file)")
        }
        return try trainMetaProd2Vec(corpus, metadata: metadata, fields: inputs.metadataFields, onEvent: onEvent).model
    }

    /// Trains Meta-Prod2Vec on `corpus` with `metadata` (keyed by the corpus's token strings),
    /// using `fields` (empty = every field): items and `FIELD=VALUE` tokens in one space, one
    /// negative pool (unigram^``TrainingConfig/nsExponent`` over the joint vocabulary), the shared
    /// kernel fed by a ``MetaProd2VecSource``.
    public func trainMetaProd2Vec(
        _ corpus: Corpus,
        metadata: ItemMetadata,
        fields: [String],
        onEvent: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> MetaProd2VecResult {
        try config.validate()
        let meta = config.meta ?? MetaProd2VecConfig()
        try meta.validate()
        if config.architecture != .skipGram {
            throw ConfigurationError(
                setting: "architecture",
                "meta-prod2vec trains with skip-gram, not \(config.architecture.rawValue)"
            )
        }
        let joint = try MetadataVocabulary(
            items: corpus.vocabulary,
            metadata: metadata,
            fields: fields,
            minCount: meta.minCount,
            maxValuesPerItem: meta.maxValuesPerItem
        )
        let groups = try meta.groupNegatives.map {
            try GroupNegativeSampler(
                vocabulary: joint.vocabulary,
                itemCount: joint.itemCount,
                metadata: metadata,
                field: $0.field,
                exponent: config.nsExponent
            )
        }
        let source = MetaProd2VecSource(
            table: joint,
            weights: meta.termWeights,
            window: config.window,
            mode: config.windowMode,
            sample: config.sample,
            groupNegatives: groups,
            groupK: meta.groupNegatives?.k ?? 0
        )
        let input = EmbeddingMatrix(rows: joint.vocabulary.count, dim: config.dim)
        let output = EmbeddingMatrix(rows: joint.vocabulary.count, dim: config.dim)
        Self.initialize(input, seed: config.seed)
        // The source sub-samples items by their own counts; the metadata counts only shape the negatives.
        var runConfig = config
        runConfig.sample = 0
        let summary = try Trainer(config: runConfig).run(
            sequences: corpus.sequences,
            counts: joint.vocabulary.counts,
            input: input,
            output: output,
            corpusTokens: corpus.rawTokenCount,
            source: source,
            onEvent: onEvent
        )
        var stored = config
        stored.model = .metaProd2vec
        stored.meta = meta
        let model = EmbeddingModel(
            vocabulary: joint.vocabulary,
            input: input,
            output: output,
            config: stored,
            summary: summary,
            sections: [
                TokenSection(kind: .item, start: 0, count: joint.itemCount),
                TokenSection(kind: .metadata, start: joint.itemCount, count: joint.vocabulary.count - joint.itemCount),
            ]
        )
        return MetaProd2VecResult(
            model: model,
            unknownItemRows: joint.unknownItemRows,
            itemsWithoutMetadata: joint.itemsWithoutMetadata,
            droppedValues: joint.droppedValues
        )
    }
}
