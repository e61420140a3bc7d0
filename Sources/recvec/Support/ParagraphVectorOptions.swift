// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The options of paragraph vectors and user-prod2vec (train, evaluate, tune).
struct ParagraphVectorOptions: ParsableArguments {
    @Flag(
        help:
            "pv-dbow: train only the document vectors, not the item vectors (faster; items then have no vectors of their own)."
    )
    var documentsOnly = false

    @Option(help: "Inference passes over a new document (recvec infer, evaluations).")
    var inferEpochs: Int = 20

    @Option(help: "Starting learning rate of inference (default: the training's).")
    var inferAlpha: Double?

    /// The options as their typed configuration, validated.
    func config() throws -> ParagraphVectorConfig {
        var p = ParagraphVectorConfig()
        p.trainTokens = !documentsOnly
        p.inferEpochs = inferEpochs
        p.inferAlpha = inferAlpha
        try p.validate()
        return p
    }

    func validate() throws { _ = try FlagNames.mapping { try config() } }
}
