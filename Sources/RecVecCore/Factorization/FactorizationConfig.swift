// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of ALS (Hu, Koren & Volinsky 2008) and BPR (Rendle et al. 2009).
public struct FactorizationConfig: Sendable, Codable, Equatable {
    public init() {}
}

extension Trainer {
    /// Trains ALS (Hu, Koren & Volinsky 2008) and BPR (Rendle et al. 2009) on `corpus`.
    func trainFactorization(
        _ corpus: Corpus, inputs: ModelInputs, onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        throw ConfigurationError(option: "--model", "als/bpr is not available yet")
    }
}
