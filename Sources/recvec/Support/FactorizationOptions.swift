// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The options of ALS and BPR (train, evaluate, tune).
struct FactorizationOptions: ParsableArguments {
    /// Writes these options into `config`.
    func apply(to config: inout TrainingConfig) throws {}
}
