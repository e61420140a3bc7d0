// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of Content2vec (Nedelec, Smirnova & Vasile, "Specializing Joint
/// Representations for the task of Product Recommendation", DLRS 2017).
///
/// Each item is represented as v_i = b_i + c_i: a behaviour vector b_i learned from the event
/// sequences, plus a content vector c_i = mean of the item's content-word vectors + P·f_i, where
/// f_i are the item's dense content features and P a learned projection (the paper's
/// "Content2Vec+" keeps such a residual behaviour part next to the content embedding). Items with
/// content but no events ("cold" items) get v_i = c_i.
public struct Content2vecConfig: Sendable, Codable, Equatable {
    /// Probability of dropping the behaviour part b_i of an example (training on c_i alone), so
    /// that the content part must predict the context on its own. Default 0.5.
    public var dropout = 0.5
    /// Content tokens carried by fewer items are dropped (a token of one item cannot transfer
    /// anything to another). Default 2.
    public var minCount = 2
    /// Metadata fields whose values are text, cut into lower-case words (`text:WORD`); the values
    /// of the other fields are single tokens (`text:FIELD=VALUE`). Default `["title"]`.
    public var textFields = ["title"]
    /// A file of precomputed dense features (`item v1 v2 …` per line), if any.
    public var contentVectors: String? = nil
    /// Pretrained word vectors (word2vec text or binary) for the content tokens, if any.
    public var wordVectors: String? = nil
    /// Subtract the mean item vector from every item and content-token vector of the model (the
    /// first step of Mu & Viswanath's "all-but-the-top", ICLR 2018). Content vectors are means of
    /// token vectors and share one large common direction, which makes content-heavy items (cold
    /// and rare ones) close in cosine to every history; centring removes it. Default `false`.
    public var centre = false
    /// How an item's token vectors are combined: the plain mean (default), or weighted by each
    /// token's inverse document frequency among the items (so rare, specific tokens — a title word,
    /// a franchise — count more than a genre that half the catalog shares).
    public var weighting: TokenWeighting = .mean
    /// The published model's settings (``Content2vecCNNConfig``: CF, TextCNN and dense modules
    /// trained on pairwise similarity) when the encoder is ``Encoder/cnn``; `nil` for the additive
    /// model above (``Encoder/mean``, the default).
    public var cnn: Content2vecCNNConfig? = nil

    /// How an item's content becomes its vector.
    public enum Encoder: String, Sendable, Codable, CaseIterable {
        /// The additive model: behaviour vector + weighted mean of the token vectors + projected
        /// features, trained through the skip-gram kernel.
        case mean
        /// The published model: separate modules (CF, TextCNN over the content words, dense
        /// features) trained on pairwise similarity (``Content2vecCNNConfig``).
        case cnn
    }

    /// The encoder ``cnn`` selects.
    public var encoder: Encoder { cnn == nil ? .mean : .cnn }

    /// Weights of an item's tokens in its content vector.
    public enum TokenWeighting: String, Sendable, Codable, CaseIterable {
        /// Equal weights.
        case mean
        /// Proportional to log(items with metadata / items carrying the token).
        case idf
    }

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first option out of range.
    public func validate() throws {
        if !(dropout >= 0 && dropout < 1) {
            throw ConfigurationError(setting: "content_dropout", "must be in [0, 1) (got \(dropout))")
        }
        if minCount < 1 {
            throw ConfigurationError(setting: "content_min_count", "must be at least 1 (got \(minCount))")
        }
        try cnn?.validate()
    }
}

/// Content handed to Content2vec directly (instead of through the files its config names), and
/// where its notes about the inputs go.
public struct Content2vecInputs: Sendable {
    /// Dense content features; when `nil`, ``Content2vecConfig/contentVectors`` is read, if set.
    public var contentVectors: ContentVectors? = nil
    /// Pretrained word vectors; when `nil`, ``Content2vecConfig/wordVectors`` is read, if set.
    public var wordVectors: EmbeddingModel? = nil
    /// Receives one-line notes: how many items are warm and cold, tokens kept, content rows that
    /// name items found neither in the events nor in the metadata.
    public var report: (@Sendable (String) -> Void)? = nil

    public init() {}
}

extension Trainer {
    /// Trains Content2vec (Nedelec, Smirnova & Vasile 2017) on `corpus`, with the content of
    /// `inputs` (metadata fields, dense feature vectors, pretrained word vectors).
    ///
    /// The model's item section holds every item with events or content: items with events first
    /// (the corpus's order), then cold items (content only, sorted by id). Input rows are the final
    /// vectors b_i + c_i (c_i alone for cold items; b_i alone for items without content); output
    /// rows are the learned output vectors, zero for cold items — so `dual` scoring gives a cold
    /// item 0 for every history, and only `cosine` scoring can recommend it on its merits. The
    /// content tokens follow as a ``TokenKind/word`` section (`text:WORD`, `text:FIELD=VALUE`),
    /// each row the content vector of an item with only that token.
    func trainContent2vec(
        _ corpus: Corpus,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        let options = config.content ?? Content2vecConfig()
        try options.validate()
        let vectors =
            try inputs.content.contentVectors ?? options.contentVectors.map { try ContentVectors.read(path: $0) }
        let wordVectors =
            try inputs.content.wordVectors ?? options.wordVectors.map { try Word2VecFormat.read(from: $0) }
        if inputs.metadata == nil && vectors == nil {
            throw ConfigurationError(
                setting: "model",
                "content2vec needs content: a metadata file and/or content vectors"
            )
        }
        if wordVectors != nil && inputs.metadata == nil {
            throw ConfigurationError(
                setting: "word_vectors",
                "pretrained word vectors need content words: give a metadata file"
            )
        }
        let content = try ItemContent(
            items: corpus.vocabulary.tokens,
            metadata: inputs.metadata,
            fields: inputs.metadataFields,
            textFields: options.textFields,
            minCount: options.minCount,
            weighting: options.weighting,
            vectors: vectors,
            wordVectors: wordVectors
        )
        inputs.content.report?(content.summary)

        if config.resolvedLoss != .negative {
            throw ConfigurationError(
                setting: "loss",
                "content2vec trains its content towers with negative sampling only (got \(config.resolvedLoss.rawValue))"
            )
        }
        if let cnn = options.cnn {
            return try trainContent2vecCNN(corpus, content: content, options: options, cnn: cnn, onEvent: onEvent)
        }
        let dim = config.dim
        let behaviour = EmbeddingMatrix(rows: content.warmCount, dim: dim)
        let output = EmbeddingMatrix(rows: content.warmCount, dim: dim)
        Self.initialize(behaviour, seed: config.seed)
        let parameters = Content2vecParameters(content: content, dim: dim)
        let source = Content2vecSource(
            parameters: parameters,
            window: config.window,
            mode: config.windowMode,
            dropout: Float(options.dropout)
        )
        let summary = try withExtendedLifetime(parameters) {
            try run(
                sequences: corpus.sequences,
                counts: corpus.vocabulary.counts,
                input: behaviour,
                output: output,
                corpusTokens: corpus.rawTokenCount,
                source: source,
                onEvent: onEvent
            )
        }

        // The model: items (warm, then cold) with their combined vectors, then the content tokens.
        let itemCount = content.items.count
        let rows = itemCount + content.words.count
        let input = EmbeddingMatrix(rows: rows, dim: dim)
        let finalOutput = EmbeddingMatrix(rows: rows, dim: dim)
        for item in 0..<itemCount {
            source.content(of: item, into: input.row(item), stride: input.stride)
            if item < content.warmCount {
                Kernels.add(behaviour.row(item), input.row(item), count: input.stride)
                finalOutput.row(item).update(from: output.row(item), count: output.stride)
            }
        }
        for word in 0..<content.words.count {
            parameters.wordVector(word, into: input.row(itemCount + word))
        }
        if options.centre { Self.centre(input, itemCount: itemCount) }
        var counts = corpus.vocabulary.counts
        counts += Array(repeating: 0, count: itemCount - content.warmCount)
        counts += content.wordCounts
        var trained = config
        trained.content = options
        return EmbeddingModel(
            vocabulary: Vocabulary(tokens: content.items + content.words, counts: counts),
            input: input,
            output: finalOutput,
            config: trained,
            summary: summary,
            sections: [
                TokenSection(kind: .item, start: 0, count: itemCount),
                TokenSection(kind: .word, start: itemCount, count: content.words.count),
            ]
        )
    }

    /// Subtracts the mean of the first `itemCount` rows from every row.
    static func centre(_ m: EmbeddingMatrix, itemCount: Int) {
        let mean = EmbeddingMatrix(rows: 1, dim: m.dim)
        for r in 0..<itemCount { Kernels.add(m.row(r), mean.row(0), count: m.stride) }
        Kernels.scale(mean.row(0), by: 1 / Float(max(1, itemCount)), count: m.stride)
        for r in 0..<m.rows { Kernels.axpy(-1, mean.row(0), m.row(r), count: m.stride) }
    }
}
