// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Content-only item kNN: cosine between TF-IDF vectors of metadata tokens (Content2vec's tokens)
/// and the recency-weighted history; no behaviour, so cold items (metadata, no events) are scored
/// like any other — the baseline a content model's cold-start figures are compared with.
public enum ContentKNNDefinition: ModelDefinition {
    public static let name: ModelName = "contentknn"
    public static let aliases: [String] = []
    public static let summary =
        "content-only item-kNN: cosine of TF-IDF vectors of metadata tokens with the recency-weighted history; scores cold items"
    public static let reference = ""
    public static let family = ModelFamily.baseline
    public static let needs: ModelNeeds = [.metadata]
    public static let offers: ModelOffers = [.coldStartItems]

    public static func recommender(_ s: ModelSettings) throws -> ContentKNNModel {
        guard let metadata = s.metadata else {
            throw ConfigurationError(setting: "metadata", "\(name) needs item side information (a metadata file)")
        }
        return ContentKNNModel(
            metadata: metadata,
            metadataFields: s.metadataFields,
            textFields: s.content.textFields,
            minCount: s.content.minCount,
            knn: s.contentKNN,
            weighting: s.weighting
        )
    }

    /// The history's weighting (last n, decay), the token count cut-off, the term frequency and idf.
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
        o.weighting = HistoryWeighting(lastN: pick([0, 3, 10, 30]), decay: pick([0, 0.1, 0.3, 0.5]))
        o.content.minCount = pick([1, 2, 3, 5])
        o.contentKNN.termFrequency = pick(ContentKNNConfig.TermFrequency.allCases)
        o.contentKNN.idf = pick([true, false])
        return o
    }
}

extension ModelName {
    /// ``ContentKNNDefinition``.
    public static let contentKNN = ContentKNNDefinition.name
}
