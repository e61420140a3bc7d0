// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of Meta-Prod2Vec (Vasile, Smirnova & Conneau 2016).
public struct MetaProd2VecConfig: Sendable, Codable, Equatable {
    public init() {}
}

extension Trainer {
    /// Trains Meta-Prod2Vec (Vasile, Smirnova & Conneau 2016) on `corpus`.
    func trainMetaProd2Vec(
        _ corpus: Corpus, inputs: ModelInputs, onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        throw ConfigurationError(option: "--model", "meta-prod2vec is not available yet")
    }
}
