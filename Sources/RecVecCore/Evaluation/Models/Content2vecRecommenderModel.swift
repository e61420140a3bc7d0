// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Content2vec in evaluations: trains on the training sequences with the data set's metadata (and
/// dense features, pretrained word vectors when configured), and recommends through
/// ``EmbeddingRecommender``. Items of the data set that have content but no training events (cold
/// items, e.g. those `--hide-items` removed) are candidates too, with their content vectors.
///
/// With `dual` scoring and the `mean` encoder cold items have no output vector, so they get no score (−∞: no opinion, and
/// with no training count the popularity fallback never reaches them) rather than the model's 0,
/// which would tie them all and rank the tie by item id — an artifact, not a recommendation.
public struct Content2vecRecommenderModel: RecommenderModel {
    public var name = Content2vecDefinition.name.rawValue
    public var training: TrainingConfig
    public var metadata: ItemMetadata?
    public var metadataFields: [String]
    public var minCount: Int
    public var scoring: RecommendationScoring
    public var weighting: HistoryWeighting
    /// Dense features and word vectors read once and kept across fits (tuning refits many times).
    var inputs = Content2vecInputs()
    var mapped: MappedRecommender?
    /// Data-set ids of the cold items (content only), left unscored under `dual` scoring.
    var coldItems: [Int32] = []

    public init(
        training: TrainingConfig,
        metadata: ItemMetadata?,
        metadataFields: [String] = [],
        minCount: Int = 1,
        scoring: RecommendationScoring = .cosine,
        weighting: HistoryWeighting = .init()
    ) {
        var t = training
        t.model = .content2vec
        if t.content == nil { t.content = Content2vecConfig() }
        self.training = t
        self.metadata = metadata
        self.metadataFields = metadataFields
        self.minCount = minCount
        self.scoring = scoring
        self.weighting = weighting
    }

    public var config: [String: String] {
        let t = training
        let c = t.content ?? Content2vecConfig()
        return [
            "dim": String(t.dim), "window": String(t.window), "window_mode": t.windowMode.rawValue,
            "negative": String(t.negative), "ns_exponent": String(t.nsExponent), "sample": String(t.sample),
            "alpha": String(t.startAlpha), "epochs": String(t.epochs), "min_count": String(minCount),
            "scoring": scoring.rawValue, "last_n": String(weighting.lastN), "decay": String(weighting.decay),
            "content_dropout": String(c.dropout), "content_min_count": String(c.minCount),
            "content_weighting": c.weighting.rawValue, "content_centre": String(c.centre),
            "metadata_fields": metadataFields.joined(separator: ","),
            "text_fields": c.textFields.joined(separator: ","),
            "content_vectors": c.contentVectors ?? "", "word_vectors": c.wordVectors ?? "",
        ].merging(Self.encoderSettings(c)) { a, _ in a }
    }

    /// The encoder and, for ``Content2vecConfig/Encoder/cnn``, its settings.
    static func encoderSettings(_ c: Content2vecConfig) -> [String: String] {
        guard let cnn = c.cnn else { return ["content_encoder": c.encoder.rawValue] }
        return [
            "content_encoder": c.encoder.rawValue,
            "cnn_widths": cnn.widths.map(String.init).joined(separator: ","), "cnn_filters": String(cnn.filters),
            "cnn_word_dim": String(cnn.wordDimension), "cnn_dropout": String(cnn.textDropout),
            "cnn_batch": String(cnn.batch), "cnn_rate": String(cnn.learningRate), "cnn_epochs": String(cnn.epochs),
            "cnn_max_tokens": String(cnn.maxTokens), "cnn_negative_weight": String(cnn.negativeWeight),
        ]
    }

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        let c = training.content ?? Content2vecConfig()
        if inputs.contentVectors == nil, let path = c.contentVectors {
            inputs.contentVectors = try ContentVectors.read(path: path)
        }
        if inputs.wordVectors == nil, let path = c.wordVectors {
            inputs.wordVectors = try Word2VecFormat.read(from: path)
        }
        // Tokens are the data set's item strings, which the metadata and the feature file use.
        let built = try DataCorpus(data, minCount: minCount, withDocuments: false)
        let corpus = built.corpus
        var modelInputs = ModelInputs()
        modelInputs.metadata = metadata
        modelInputs.metadataFields = metadataFields
        modelInputs.content = inputs
        let model = try Trainer(config: training).train(corpus, inputs: modelInputs)
        // The corpus's items first, then the cold items (content only), which are looked up by name.
        var index: [String: Int32] = [:]
        for (i, item) in data.items.enumerated() { index[item] = Int32(i) }
        let dataIDs =
            built.dataIDs + model.vocabulary.tokens[built.dataIDs.count..<model.itemCount].map { index[$0] ?? -1 }
        mapped = MappedRecommender(
            recommender: try EmbeddingRecommender(model: model, scoring: scoring, weighting: weighting),
            dataIDs: dataIDs,
            itemCount: data.items.count
        )
        coldItems = Array(dataIDs[corpus.vocabulary.count...].filter { $0 >= 0 })
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let mapped, mapped.score(history: history, into: &scores) else { return false }
        // The cnn encoder gives cold items output vectors too (the tower's); the mean one does not.
        if scoring == .dual && training.content?.encoder != .cnn {
            for i in coldItems { scores[Int(i)] = -.infinity }
        }
        return true
    }
}

extension Content2vecConfig {
    /// A random point of the tuner's search space around `base`: the dropout, the token count
    /// cut-off, the token weighting and centring, and the encoder (``Encoder/mean`` or
    /// ``Encoder/cnn``, the latter with its own settings drawn by ``Content2vecCNNConfig/sampled(around:rng:)``;
    /// a `base` with the cnn encoder keeps it).
    public static func sampled(around base: Content2vecConfig, rng: inout FastRandom) -> Content2vecConfig {
        var c = base
        let dropouts = [0.0, 0.25, 0.5, 0.75]
        let minCounts = [1, 2, 3, 5]
        c.dropout = dropouts[rng.next(below: dropouts.count)]
        c.minCount = minCounts[rng.next(below: minCounts.count)]
        c.weighting = Content2vecConfig.TokenWeighting.allCases[rng.next(below: 2)]
        c.centre = rng.next(below: 2) == 1
        // A base that asks for the cnn encoder keeps it (`tune --content-encoder cnn` tunes that one).
        let cnn = base.cnn != nil || rng.next(below: 2) == 1
        c.cnn = cnn ? Content2vecCNNConfig.sampled(around: base.cnn ?? .init(), rng: &rng) : nil
        return c
    }
}
