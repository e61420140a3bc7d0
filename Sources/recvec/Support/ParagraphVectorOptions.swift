// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The options of paragraph vectors and user-prod2vec (train, evaluate, tune).
struct ParagraphVectorOptions: ParsableArguments {
    /// Writes these options into `config`.
    func apply(to config: inout TrainingConfig) throws {}
}
