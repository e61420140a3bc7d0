// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The options of Meta-Prod2Vec (train, evaluate, tune).
struct MetaProd2VecOptions: ParsableArguments {
    /// Writes these options into `config`.
    func apply(to config: inout TrainingConfig) throws {}
}
