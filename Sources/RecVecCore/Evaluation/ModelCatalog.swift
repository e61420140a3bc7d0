// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The models `evaluate` and `tune` know by name, and how each is built from options.
public enum ModelCatalog {
    /// Every model name, in the order tables list them.
    public static let names = [
        "popularity", "cooccurrence", "sknn", "markov", "item2vec", "prod2vec", "cbow", "mix", "bagged-prod2vec",
        "pv-dbow", "pv-dm", "user-prod2vec", "meta-prod2vec", "content2vec", "als", "bpr",
    ]

    /// Options shared by the models.
    public struct Options: Sendable {
        /// The engine's hyperparameters for item2vec, cbow and mix (architecture is set per model).
        public var training = TrainingConfig()
        public var minCount = 5
        public var scoring: RecommendationScoring = .cosine
        public var weighting = HistoryWeighting()
        /// Co-occurrence window for cooccurrence and mix; 0 = the whole sequence.
        public var cooccurrenceWindow = 0
        public var sknnNeighbors = 100
        public var sknnSample = 1000
        /// mix: the embedding weight; `nil` tunes it on validation.
        public var mixAlpha: Double? = nil
        /// pv-dbow, pv-dm, user-prod2vec: how items are scored against an inferred document
        /// (`nil`: dual, the score their objectives train).
        public var paragraphScoring: RecommendationScoring? = nil
        /// Item side information (meta-prod2vec, content2vec), keyed by the data set's item strings.
        public var metadata: ItemMetadata? = nil
        /// The metadata fields the side-information models use (e.g. genre, tag); empty = all.
        public var metadataFields: [String] = []

        public init() {}
    }

    /// A model by name, or a ``ConfigurationError`` listing the known names.
    public static func make(_ name: String, options o: Options) throws -> any RecommenderModel {
        var skipGram = o.training
        skipGram.architecture = .skipGram
        var cbow = o.training
        cbow.architecture = .cbow
        switch name {
        case "popularity": return PopularityModel()
        case "cooccurrence": return CooccurrenceModel(window: o.cooccurrenceWindow, weighting: o.weighting)
        case "sknn": return SessionKNNModel(neighbors: o.sknnNeighbors, sampleSize: o.sknnSample, weighting: o.weighting)
        case "markov": return MarkovModel()
        case "item2vec", "prod2vec":
            var model = EmbeddingRecommenderModel(name: name, training: skipGram, minCount: o.minCount, scoring: o.scoring, weighting: o.weighting)
            model.metadata = o.metadata
            return model
        case "cbow":
            return EmbeddingRecommenderModel(name: name, training: cbow, minCount: o.minCount, scoring: o.scoring, weighting: o.weighting)
        case "mix":
            return MixModel(
                embedding: EmbeddingRecommenderModel(name: "item2vec", training: skipGram, minCount: o.minCount, scoring: o.scoring, weighting: o.weighting),
                cooccurrence: CooccurrenceModel(window: o.cooccurrenceWindow, weighting: o.weighting),
                alpha: o.mixAlpha ?? .nan)
        case "meta-prod2vec", "content2vec", "als", "bpr", "pv-dbow", "pv-dm", "user-prod2vec", "bagged-prod2vec":
            return try makeFamilyModel(name, options: o)
        case _ where name.hasPrefix("vectors:"):
            // vectors:INPUT[:OUTPUT] — word2vec files trained elsewhere on the same training split.
            let parts = name.dropFirst("vectors:".count).split(separator: ":", maxSplits: 1).map(String.init)
            guard let input = parts.first, !input.isEmpty else {
                throw ConfigurationError(option: "--models", "vectors: needs a file, as vectors:IN.txt or vectors:IN.txt:OUT.txt")
            }
            return PretrainedVectorsModel(
                name: "vectors", inputPath: input, outputPath: parts.count > 1 ? parts[1] : nil, scoring: o.scoring,
                weighting: o.weighting)
        default:
            throw ConfigurationError(option: "--models", "unknown model '\(name)'; known: \(names.joined(separator: ", ")), vectors:FILE[:OUTPUT_FILE]")
        }
    }
}

extension ModelCatalog {
    /// The 2vec family's models and the matrix-factorization baselines, by name.
    static func makeFamilyModel(_ name: String, options o: Options) throws -> any RecommenderModel {
        if name == "als" || name == "bpr" { return try makeFactorization(name, options: o) }
        var training = o.training
        training.model = ModelKind(rawValue: name)
        if name == "meta-prod2vec" { return try makeMetaProd2Vec(options: o) }
        if name == "content2vec" { return try makeContent2vec(options: o) }
        switch training.model {
        case .pvDBOW?, .pvDM?, .userProd2vec?:
            if training.paragraph == nil { training.paragraph = ParagraphVectorConfig() }
            return ParagraphVectorModel(
                name: name, training: training, minCount: o.minCount, scoring: o.paragraphScoring ?? .dual,
                lastN: o.weighting.lastN)
        case .baggedProd2vec?:
            training.architecture = .skipGram
            return EmbeddingRecommenderModel(
                name: name, training: training, minCount: o.minCount, scoring: o.scoring, weighting: o.weighting)
        default:
            throw ConfigurationError(option: "--models", "\(name) is not available in evaluations yet")
        }
    }
}
