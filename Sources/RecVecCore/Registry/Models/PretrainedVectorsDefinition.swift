// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// `vectors:FILE[:OUTPUT_FILE]`: word2vec files trained elsewhere (gensim, fastText, the word2vec
/// tool) on the same training split (`evaluate --export-split`), evaluated through exactly the same
/// recommender, protocol and metrics as RecVec's own models.
public enum PretrainedVectorsDefinition: ArgumentTakingDefinition {
    public static let name: ModelName = "vectors"
    public static let aliases: [String] = []
    public static let summary = "word2vec vectors trained elsewhere on the same split (vectors:FILE[:OUTPUT_FILE])"
    public static let reference = ""
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> PretrainedVectorsModel {
        let parts = (s.argument ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        guard let input = parts.first, !input.isEmpty else {
            throw ConfigurationError(
                setting: "models",
                "vectors: needs a file, as vectors:IN.txt or vectors:IN.txt:OUT.txt"
            )
        }
        var model = PretrainedVectorsModel(
            name: name.rawValue,
            inputPath: input,
            outputPath: parts.count > 1 ? parts[1] : nil,
            scoring: s.scoring,
            weighting: s.weighting
        )
        model.approximateSearch = s.approximateSearch
        model.indexThreads = s.training.threads
        return model
    }

    public static let tuning: TuningSpace? = nil
}
