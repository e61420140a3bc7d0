// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Paragraph vectors (PV-DBOW, PV-DM) and user-prod2vec in evaluations: each training sequence is
/// a document; a test history is a new document whose vector is inferred with the model frozen
/// (Le & Mikolov 2014), then items are scored against its query vector (PV-DM adds the last items:
/// ``ParagraphVectorInference/queryVector(_:epochs:alpha:seed:)``) — by dot product with the output
/// vectors (`dual`, the score both objectives train; the default here) or cosine with the item vectors.
public struct ParagraphVectorModel: RecommenderModel {
    public var name: String
    public var training: TrainingConfig
    public var minCount: Int
    public var scoring: RecommendationScoring
    /// Only the last `lastN` items of a history are inferred from (0 = all).
    public var lastN: Int
    var fitted: Fitted?

    struct Fitted: Sendable {
        let inference: ParagraphVectorInference
        let recommender: EmbeddingRecommender
        let toModel: [Int32]
        let toData: [Int32]
    }

    public init(name: String, training: TrainingConfig, minCount: Int = 1, scoring: RecommendationScoring = .cosine, lastN: Int = 0) {
        self.name = name
        self.training = training
        self.minCount = minCount
        self.scoring = scoring
        self.lastN = lastN
    }

    public var config: [String: String] {
        let t = training
        let p = t.paragraph ?? ParagraphVectorConfig()
        return [
            "model": t.model?.rawValue ?? "", "dim": String(t.dim), "window": String(t.window),
            "window_mode": t.windowMode.rawValue, "negative": String(t.negative), "ns_exponent": String(t.nsExponent),
            "sample": String(t.sample), "alpha": String(t.startAlpha), "epochs": String(t.epochs),
            "min_count": String(minCount), "scoring": scoring.rawValue, "last_n": String(lastN),
            "train_tokens": String(p.trainTokens), "infer_epochs": String(p.inferEpochs),
        ]
    }

    public mutating func fit(_ data: TrainingData) throws {
        let corpus = try Corpus.from(data.sequences.map { $0.map { String($0) } }, minCount: minCount)
        let model = try Trainer(config: training).train(corpus, inputs: ModelInputs())
        var toModel = [Int32](repeating: -1, count: data.items.count)
        let toData = (0..<model.itemCount).map { Int32(model.vocabulary.tokens[$0])! }
        for (m, d) in toData.enumerated() { toModel[Int(d)] = Int32(m) }
        fitted = Fitted(
            inference: try ParagraphVectorInference(model: model),
            recommender: try EmbeddingRecommender(model: model, scoring: scoring), toModel: toModel, toData: toData)
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let fitted else { return false }
        let recent = lastN > 0 ? Array(history.suffix(lastN)) : history
        let ids = recent.map { fitted.toModel[Int($0)] }.filter { $0 >= 0 }
        if ids.isEmpty { return false }
        // A fixed seed per history: the same history always gets the same vector.
        var seed: UInt64 = 0x9E37_79B9
        for id in ids { seed = (seed ^ UInt64(UInt32(bitPattern: id))) &* 0x100_0000_01B3 }
        let vector = fitted.inference.queryVector(ids, seed: seed)
        var modelScores: [Float] = []
        fitted.recommender.score(vector: vector, into: &modelScores)
        for (m, s) in modelScores.enumerated() { scores[Int(fitted.toData[m])] = s }
        return true
    }
}
