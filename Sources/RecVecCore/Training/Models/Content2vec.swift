// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of Content2vec (Nedelec, Smirnova & Vasile 2017).
public struct Content2vecConfig: Sendable, Codable, Equatable {
    public init() {}
}

extension Trainer {
    /// Trains Content2vec (Nedelec, Smirnova & Vasile 2017) on `corpus`.
    func trainContent2vec(
        _ corpus: Corpus, inputs: ModelInputs, onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        throw ConfigurationError(option: "--model", "content2vec is not available yet")
    }
}
