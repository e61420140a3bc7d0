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
        let mapped: MappedRecommender
    }

    public init(
        name: String,
        training: TrainingConfig,
        minCount: Int = 1,
        scoring: RecommendationScoring = .cosine,
        lastN: Int = 0
    ) {
        self.name = name
        self.training = training
        self.minCount = minCount
        self.scoring = scoring
        self.lastN = lastN
    }

    public var config: [String: String] {
        let t = training
        let p = t.paragraph ?? ParagraphVectorConfig()
        var c = [
            "model": t.model?.rawValue ?? "", "dim": String(t.dim), "window": String(t.window),
            "window_mode": t.windowMode.rawValue, "negative": String(t.negative), "ns_exponent": String(t.nsExponent),
            "sample": String(t.sample), "alpha": String(t.startAlpha), "epochs": String(t.epochs),
            "min_count": String(minCount), "scoring": scoring.rawValue, "last_n": String(lastN),
            "train_tokens": String(p.trainTokens), "infer_epochs": String(p.inferEpochs),
        ]
        if let loss = t.loss { c["loss"] = loss.rawValue }
        return c
    }

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        let built = try DataCorpus(data, minCount: minCount)
        let model = try Trainer(config: training).train(built.corpus, inputs: ModelInputs())
        // Items first in the model, in the corpus's order.
        fitted = Fitted(
            inference: try ParagraphVectorInference(model: model),
            mapped: MappedRecommender(
                recommender: try EmbeddingRecommender(model: model, scoring: scoring),
                dataIDs: built.dataIDs,
                itemCount: data.items.count
            )
        )
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let fitted else { return false }
        let recent = lastN > 0 ? Array(history.suffix(lastN)) : history
        let ids = recent.map { fitted.mapped.toModel[Int($0)] }.filter { $0 >= 0 }
        if ids.isEmpty { return false }
        // A fixed seed per history: the same history always gets the same vector.
        var seed: UInt64 = 0x9E37_79B9
        for id in ids { seed = (seed ^ UInt64(UInt32(bitPattern: id))) &* 0x100_0000_01B3 }
        fitted.mapped.score(vector: fitted.inference.queryVector(ids, seed: seed), into: &scores)
        return true
    }
}
