// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Every setting any model reads, grouped by concern, each group a typed configuration with
/// documented defaults. Front ends (the CLI's option groups, a library user) fill it in once;
/// each ``ModelDefinition`` picks the groups it uses and applies its own defaults.
public struct ModelSettings: Sendable {
    /// The engine's hyperparameters (dimension, window, negatives, learning rate, epochs, threads,
    /// seed). ``TrainingConfig/model``, ``TrainingConfig/windowMode`` and the model-specific parts are set
    /// by each model's definition, from the fields below.
    public var training = TrainingConfig()
    /// The window mode; `nil`: the model's default (word2vec's shrinking windows, or the whole
    /// sequence for item2vec).
    public var windowMode: WindowMode? = nil
    /// Paragraph vectors and user-prod2vec.
    public var paragraph = ParagraphVectorConfig()
    /// bagged-prod2vec and the practitioners' options (global context, time windows, weights).
    public var sequenceOptions = SequenceOptionsConfig()
    /// Meta-Prod2Vec, and group negatives for the skip-gram models.
    public var meta = MetaProd2VecConfig()
    /// Content2vec.
    public var content = Content2vecConfig()
    /// ALS and BPR.
    public var factorization = FactorizationConfig()
    /// EASE.
    public var ease = EASEConfig()
    /// Content kNN's token weights (its tokens are ``content``'s: text fields, minimum count).
    public var contentKNN = ContentKNNConfig()
    /// GRU4Rec.
    public var gru4rec = GRU4RecConfig()

    /// Items seen fewer times in training are dropped. Default 5.
    public var minCount = 5
    /// How embedding models score items for a history. Default cosine.
    public var scoring: RecommendationScoring = .cosine
    /// Paragraph vectors: how items are scored against an inferred document (`nil`: dual, the
    /// score their objectives train).
    public var paragraphScoring: RecommendationScoring? = nil
    /// How a history's items are weighted.
    public var weighting = HistoryWeighting()
    /// Embedding models with cosine scoring: find each test case's top items through an HNSW index
    /// built after training with these parameters, instead of scoring every item (approximate;
    /// for large catalogs). `nil` (default): exact.
    public var approximateSearch: HNSWParameters? = nil
    /// Co-occurrence window for cooccurrence and mix; 0 = the whole sequence.
    public var cooccurrenceWindow = 0
    /// Session-kNN: neighbours, and the most recent sessions sampled per query.
    public var sknnNeighbors = 100
    public var sknnSample = 1000
    /// V-SKNN.
    public var vsknn = VSKNNConfig()
    /// STAN.
    public var stan = STANConfig()
    /// mix: the embedding weight; `nil` tunes it on validation.
    public var mixAlpha: Double? = nil
    /// Item side information, keyed by the data set's item strings.
    public var metadata: ItemMetadata? = nil
    /// The metadata fields the side-information models use (e.g. genre, tag); empty = all.
    public var metadataFields: [String] = []
    /// The argument of a `NAME:ARGUMENT` model entry (`vectors:FILE[:OUTPUT_FILE]`).
    public var argument: String? = nil

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first nonsensical setting.
    public func validate() throws {
        var t = training
        if let windowMode { t.windowMode = windowMode }
        try t.validate()
        try paragraph.validate()
        try sequenceOptions.validate()
        try meta.validate()
        try content.validate()
        try factorization.validate()
        try ease.validate()
        try vsknn.validate()
        try stan.validate()
        try gru4rec.validate()
        try weighting.validate()
        if let approximateSearch {
            try approximateSearch.validate()
            if scoring != .cosine {
                throw ConfigurationError(
                    setting: "search",
                    "an HNSW index answers cosine queries only; use scoring cosine, or exact search with \(scoring.rawValue)"
                )
            }
        }
        if minCount < 1 { throw ConfigurationError(setting: "min_count", "must be at least 1") }
        if cooccurrenceWindow < 0 {
            throw ConfigurationError(setting: "cooccurrence_window", "must be 0 (whole sequence) or positive")
        }
        if sknnNeighbors < 1 { throw ConfigurationError(setting: "sknn_neighbors", "must be at least 1") }
        if sknnSample < 1 { throw ConfigurationError(setting: "sknn_sample", "must be at least 1") }
        if let mixAlpha, !(mixAlpha >= 0 && mixAlpha <= 1) {
            throw ConfigurationError(setting: "mix_alpha", "must be in [0, 1]")
        }
    }

    /// The engine's configuration with `model`, `architecture` and the window mode set (the
    /// model's default window mode unless one was chosen); model-specific parts cleared.
    public func engine(
        model: ModelName?,
        architecture: Architecture,
        windowMode defaultMode: WindowMode = .shrink
    )
        -> TrainingConfig
    {
        var t = training
        t.model = model
        t.architecture = architecture
        t.windowMode = windowMode ?? defaultMode
        t.paragraph = nil
        t.sequenceOptions = nil
        t.meta = nil
        t.content = nil
        t.factorization = nil
        t.gru4rec = nil
        return t
    }
}
