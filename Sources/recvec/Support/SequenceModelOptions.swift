// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The options of bagged-prod2vec, global context, time-aware windows and event weights (train, evaluate, tune).
struct SequenceModelOptions: ParsableArguments {
    /// Writes these options into `config`.
    func apply(to config: inout TrainingConfig) throws {}
}
