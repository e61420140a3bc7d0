// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of paragraph vectors (Le & Mikolov 2014) and user-prod2vec (Grbovic et al. 2015).
public struct ParagraphVectorConfig: Sendable, Codable, Equatable {
    public init() {}
}
