// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// A 2vec model in evaluations: trains the engine on the training sequences (item2vec = skip-gram,
/// or CBOW) and recommends through ``EmbeddingRecommender``.
public struct EmbeddingRecommenderModel: RecommenderModel {
    public var name: String
    public var training: TrainingConfig
    public var minCount: Int
    public var scoring: RecommendationScoring
    public var weighting: HistoryWeighting
    var mapped: MappedRecommender?
    /// Item side information keyed by the data set's item strings (for group negatives).
    public var metadata: ItemMetadata? = nil
    /// Cosine scoring through an HNSW index over the trained items, built at the end of `fit` with
    /// these parameters (queries use their `efSearch`): the top items of each test case are found
    /// without scoring the whole catalog, approximately. `nil` (default): every item is scored; dual
    /// scoring always scores every item (a tuning trial may draw it).
    public var approximateSearch: HNSWParameters? = nil

    public init(
        name: String,
        training: TrainingConfig,
        minCount: Int = 1,
        scoring: RecommendationScoring = .cosine,
        weighting: HistoryWeighting = .init()
    ) {
        self.name = name
        self.training = training
        self.minCount = minCount
        self.scoring = scoring
        self.weighting = weighting
    }

    public var config: [String: String] {
        let t = training
        var c = [
            "architecture": t.architecture.rawValue, "dim": String(t.dim), "window": String(t.window),
            "window_mode": t.windowMode.rawValue, "negative": String(t.negative), "ns_exponent": String(t.nsExponent),
            "sample": String(t.sample), "alpha": String(t.startAlpha), "epochs": String(t.epochs),
            "min_count": String(minCount), "scoring": scoring.rawValue, "last_n": String(weighting.lastN),
            "decay": String(weighting.decay), "per_pair_negatives": String(t.perPairNegatives ?? false),
            "negative_share": String(t.negativeShare ?? 0),
        ]
        if let g = t.meta?.groupNegatives { c["group_negatives"] = "\(g.field):\(g.k)" }
        if let loss = t.loss { c["loss"] = loss.rawValue }
        c["search"] = MappedRecommender.searchConfig(approximateSearch, scoring: scoring)
        return c
    }

    public var usesTimes: Bool { training.needsTimes }

    public mutating func fit(_ data: TrainingData) throws {
        var model: EmbeddingModel
        let dataIDs: [Int32]
        do {  // the corpus goes before scoring's copies are made
            let built = try DataCorpus(data, minCount: minCount, withTimes: training.needsTimes, withDocuments: false)
            var inputs = ModelInputs()
            if training.meta?.groupNegatives != nil { inputs.metadata = metadata }
            model = try Trainer(config: training).train(built.corpus, inputs: inputs)
            dataIDs = built.dataIDs
        }
        model.dropUnscored(scoring)
        mapped = MappedRecommender(
            recommender: try EmbeddingRecommender(
                model: model,
                scoring: scoring,
                weighting: weighting,
                search: MappedRecommender.search(model, approximateSearch, scoring: scoring, threads: training.threads)
            ),
            dataIDs: dataIDs,
            itemCount: data.items.count
        )
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        mapped?.score(history: history, into: &scores) ?? false
    }

    public func approximateTop(history: [Int32], k: Int, excluding excluded: Set<Int32>) -> [Int32]? {
        mapped?.approximateTop(history: history, k: k, excluding: excluded)
    }
}

/// An ``EmbeddingRecommender`` over a model's own token ids, seen through a data set's item ids.
struct MappedRecommender: Sendable {
    let recommender: EmbeddingRecommender
    /// Data-set item id → model token id (−1: not in the model).
    let toModel: [Int32]
    /// Model token id → data-set item id (−1: not in the data).
    let toData: [Int32]

    init(recommender: EmbeddingRecommender, dataIDs: [Int32], itemCount: Int) {
        self.recommender = recommender
        var toModel = [Int32](repeating: -1, count: itemCount)
        for (m, d) in dataIDs.enumerated() where d >= 0 { toModel[Int(d)] = Int32(m) }
        self.toModel = toModel
        toData = dataIDs
    }

    func score(history: [Int32], into scores: inout [Float]) -> Bool {
        var modelScores: [Float] = []
        guard recommender.score(history: history.map { toModel[Int($0)] }, into: &modelScores) else { return false }
        copy(modelScores, into: &scores)
        return true
    }

    /// For cosine scoring with `parameters`: an approximate search over `model`'s items, its HNSW
    /// index built now on `threads`; `nil` (exact scoring) otherwise.
    static func search(
        _ model: EmbeddingModel,
        _ parameters: HNSWParameters?,
        scoring: RecommendationScoring,
        threads: Int?
    ) -> ItemSearch? {
        guard let parameters, scoring == .cosine else { return nil }
        let unit = model.input.normalizedRows()
        let index = HNSWIndex.build(vectors: unit, count: model.itemCount, parameters: parameters, threads: threads)
        return ItemSearch(unitVectors: unit, itemCount: model.itemCount, index: index)
    }

    /// The `config` entry of an approximate search (only cosine scoring searches an index).
    static func searchConfig(_ parameters: HNSWParameters?, scoring: RecommendationScoring) -> String? {
        guard let p = parameters, scoring == .cosine else { return nil }
        return "hnsw m=\(p.m) ef_construction=\(p.efConstruction) ef_search=\(p.efSearch)"
    }

    /// The `k` best data-set items for `history` through the recommender's HNSW index, leaving out
    /// `excluded` (data-set ids); `nil` when it has none (see
    /// ``EmbeddingRecommender/approximateNearest(history:top:excluding:)``).
    func approximateTop(history: [Int32], k: Int, excluding excluded: Set<Int32>) -> [Int32]? {
        let modelExcluded = Set(excluded.lazy.map { self.toModel[Int($0)] }.filter { $0 >= 0 })
        guard
            let found = recommender.approximateNearest(
                history: history.map { toModel[Int($0)] },
                top: k,
                excluding: modelExcluded
            )
        else { return nil }
        return found.lazy.map { self.toData[Int($0.id)] }.filter { $0 >= 0 }
    }

    /// Scores every item against a raw query vector in the model's space (see
    /// ``EmbeddingRecommender/score(vector:into:)``).
    func score(vector: [Float], into scores: inout [Float]) {
        var modelScores: [Float] = []
        recommender.score(vector: vector, into: &modelScores)
        copy(modelScores, into: &scores)
    }

    /// Writes scores indexed by model token into the data set's item ids.
    private func copy(_ modelScores: [Float], into scores: inout [Float]) {
        for (m, s) in modelScores.enumerated() where toData[m] >= 0 { scores[Int(toData[m])] = s }
    }
}

/// A blend of embedding similarity and co-occurrence (the Meta-Prod2Vec paper's best results mixed
/// embeddings with co-occurrence counts): α · e + (1 − α) · c, with e the embedding score mapped to
/// [0, 1] and c the co-occurrence score divided by its maximum; α is tuned on validation.
public struct MixModel: RecommenderModel {
    public var name = MixDefinition.name.rawValue
    public var embedding: EmbeddingRecommenderModel
    public var cooccurrence: CooccurrenceModel
    /// Weight of the embedding score.
    public var alpha: Double

    public init(embedding: EmbeddingRecommenderModel, cooccurrence: CooccurrenceModel, alpha: Double = 0.5) {
        self.embedding = embedding
        self.cooccurrence = cooccurrence
        self.alpha = alpha
    }

    public var config: [String: String] {
        var c = embedding.config
        c["alpha"] = String(alpha)
        c["cooccurrence_window"] = String(cooccurrence.window)
        return c
    }

    public var usesTimes: Bool { embedding.usesTimes }

    public mutating func fit(_ data: TrainingData) throws {
        try embedding.fit(data)
        try cooccurrence.fit(data)
    }

    /// Both component scores, each normalized to [0, 1] (−∞ where the component has no opinion).
    func componentScores(history: [Int32], count: Int) -> (e: [Float], c: [Float])? {
        var e = [Float](repeating: -.infinity, count: count)
        var c = e
        let hasE = embedding.score(history: history, into: &e)
        let hasC = cooccurrence.score(history: history, into: &c)
        if !hasE && !hasC { return nil }
        let maxC = c.lazy.filter { $0 > -.infinity }.max() ?? 1
        for i in 0..<count {
            if e[i] > -.infinity {
                e[i] = embedding.scoring == .cosine ? (e[i] + 1) / 2 : 1 / (1 + expf(-e[i]))
            }
            if c[i] > -.infinity && maxC > 0 { c[i] /= maxC }
        }
        return (e, c)
    }

    static func blend(_ e: [Float], _ c: [Float], alpha: Float, into scores: inout [Float]) {
        for i in 0..<e.count {
            let hasE = e[i] > -.infinity
            let hasC = c[i] > -.infinity
            if !hasE && !hasC { continue }
            scores[i] = alpha * (hasE ? e[i] : 0) + (1 - alpha) * (hasC ? c[i] : 0)
        }
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let (e, c) = componentScores(history: history, count: scores.count) else { return false }
        Self.blend(e, c, alpha: Float(alpha), into: &scores)
        return true
    }
}

/// Vectors trained elsewhere (word2vec text or binary files, e.g. from gensim), evaluated through
/// exactly the same recommender, protocol and metrics as RecVec's own models. `fit` only loads
/// them: train them on the same training split (`evaluate --export-split`).
public struct PretrainedVectorsModel: RecommenderModel {
    public var name: String
    public var inputPath: String
    /// Output (context) vectors, for dual scoring.
    public var outputPath: String?
    public var scoring: RecommendationScoring
    public var weighting: HistoryWeighting
    /// As ``EmbeddingRecommenderModel/approximateSearch``: cosine scoring through an HNSW index over
    /// the loaded items (built in `fit`), so that vectors from elsewhere are ranked the same way as
    /// RecVec's own under `evaluate --search hnsw`.
    public var approximateSearch: HNSWParameters? = nil
    /// Threads that build that index; `nil`: all cores. One thread makes the graph, and so the
    /// approximate ranking, reproducible, as the engine models' `--threads 1` does.
    public var indexThreads: Int? = nil
    var mapped: MappedRecommender?

    public init(
        name: String,
        inputPath: String,
        outputPath: String? = nil,
        scoring: RecommendationScoring = .cosine,
        weighting: HistoryWeighting = .init()
    ) {
        self.name = name
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.scoring = scoring
        self.weighting = weighting
    }

    public var config: [String: String] {
        var c = [
            "vectors": inputPath, "output_vectors": outputPath ?? "", "scoring": scoring.rawValue,
            "last_n": String(weighting.lastN), "decay": String(weighting.decay),
        ]
        c["search"] = MappedRecommender.searchConfig(approximateSearch, scoring: scoring)
        return c
    }

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        var model = try Word2VecFormat.read(from: inputPath)
        if let outputPath {
            let output = try Word2VecFormat.read(from: outputPath)
            guard output.vocabulary.tokens == model.vocabulary.tokens, output.dim == model.dim else {
                throw InputError(
                    file: outputPath,
                    "output vectors must list the same tokens, in the same order, as \(inputPath)"
                )
            }
            model.output = output.input
        }
        var index: [String: Int32] = [:]
        for (i, item) in data.items.enumerated() { index[Self.token(item)] = Int32(i) }
        mapped = MappedRecommender(
            recommender: try EmbeddingRecommender(
                model: model,
                scoring: scoring,
                weighting: weighting,
                search: MappedRecommender.search(model, approximateSearch, scoring: scoring, threads: indexThreads)
            ),
            dataIDs: model.vocabulary.tokens.map { index[$0] ?? -1 },
            itemCount: data.items.count
        )
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        mapped?.score(history: history, into: &scores) ?? false
    }

    public func approximateTop(history: [Int32], k: Int, excluding excluded: Set<Int32>) -> [Int32]? {
        mapped?.approximateTop(history: history, k: k, excluding: excluded)
    }

    /// An item id as a word2vec token: whitespace replaced by "_".
    public static func token(_ item: String) -> String {
        String(item.map { $0 == " " || $0 == "\t" ? "_" : $0 })
    }
}

extension EmbeddingModel {
    /// Drops the output vectors when `scoring` never reads them (every scoring but dual): a model
    /// trained for an evaluation is scored, not saved, and its output matrix is as large as its
    /// input matrix.
    mutating func dropUnscored(_ scoring: RecommendationScoring) {
        if scoring != .dual { output = nil }
    }
}
