// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of bagged-prod2vec and of the practitioners' options: a global-context item per
/// sequence, time-aware windows, per-event weights.
public struct SequenceOptionsConfig: Sendable, Codable, Equatable {
    public init() {}
}
