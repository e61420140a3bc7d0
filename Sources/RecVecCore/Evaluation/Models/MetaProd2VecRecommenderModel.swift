// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Meta-Prod2Vec (Vasile, Smirnova & Conneau 2016) in evaluations: trains on the training
/// sequences with the data set's item side information, then recommends items only (the model's
/// `FIELD=VALUE` rows are never candidates) through ``EmbeddingRecommender``.
public struct MetaProd2VecRecommenderModel: RecommenderModel {
    public var name = MetaProd2VecDefinition.name.rawValue
    /// The engine's hyperparameters; `training.meta` holds Meta-Prod2Vec's (defaults when `nil`).
    public var training: TrainingConfig
    public var minCount: Int
    public var scoring: RecommendationScoring
    public var weighting: HistoryWeighting
    /// Side information keyed by the data set's item strings.
    public var metadata: ItemMetadata
    public var fields: [String]
    var mapped: MappedRecommender?

    public init(
        training: TrainingConfig,
        metadata: ItemMetadata,
        fields: [String],
        minCount: Int = 1,
        scoring: RecommendationScoring = .cosine,
        weighting: HistoryWeighting = .init()
    ) {
        var t = training
        t.model = .metaProd2vec
        t.architecture = .skipGram
        if t.meta == nil { t.meta = MetaProd2VecConfig() }
        self.training = t
        self.metadata = metadata
        self.fields = fields
        self.minCount = minCount
        self.scoring = scoring
        self.weighting = weighting
    }

    public var config: [String: String] {
        let t = training
        let m = t.meta ?? MetaProd2VecConfig()
        let w = m.termWeights
        var c = EmbeddingRecommenderModel(
            name: name,
            training: t,
            minCount: minCount,
            scoring: scoring,
            weighting: weighting
        ).config
        c["lambda_mi"] = String(w.mi)
        c["lambda_jm"] = String(w.jm)
        c["lambda_mm"] = String(w.mm)
        c["lambda_im"] = String(w.im)
        c["meta_min_count"] = String(m.minCount)
        c["meta_max_values"] = String(m.maxValuesPerItem)
        c["metadata_fields"] = fields.joined(separator: "+")
        c["group_negatives"] = m.groupNegatives.map { "\($0.field):\($0.k)" } ?? ""
        c.removeValue(forKey: "per_pair_negatives")
        c.removeValue(forKey: "negative_share")
        return c
    }

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        // Tokens are the data set's item strings, which is what the metadata file's item ids are.
        var model: EmbeddingModel
        let dataIDs: [Int32]
        do {  // the corpus goes before scoring's copies are made
            let built = try DataCorpus(data, minCount: minCount, withDocuments: false)
            model = try Trainer(config: training).trainMetaProd2Vec(built.corpus, metadata: metadata, fields: fields)
                .model
            // Items first, as in the corpus; the FIELD=VALUE rows map to no item.
            dataIDs = built.dataIDs + [Int32](repeating: -1, count: model.vocabulary.count - built.dataIDs.count)
        }
        model.dropUnscored(scoring)
        mapped = MappedRecommender(
            recommender: try EmbeddingRecommender(model: model, scoring: scoring, weighting: weighting),
            dataIDs: dataIDs,
            itemCount: data.items.count
        )
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        mapped?.score(history: history, into: &scores) ?? false
    }
}

extension MetaProd2VecConfig {
    /// A random point of the tuner's search space around `base`: λ (log-spaced, 0.05…2), and the
    /// cap on values per item.
    public static func sampled(around base: MetaProd2VecConfig?, rng: inout FastRandom) -> MetaProd2VecConfig {
        var m = base ?? MetaProd2VecConfig()
        let lambdas = [0.05, 0.1, 0.25, 0.5, 1, 2]
        m.lambda = lambdas[rng.next(below: lambdas.count)]
        m.lambdaMI = nil
        m.lambdaJM = nil
        m.lambdaMM = nil
        m.lambdaIM = nil
        let caps = [1, 3, 5, 10]
        m.maxValuesPerItem = caps[rng.next(below: caps.count)]
        return m
    }
}
