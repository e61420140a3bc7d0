// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

extension GRU4RecLoss: ExpressibleByArgument {}

/// The options of GRU4Rec (train, evaluate, tune). Each is optional: unset, the model's default
/// applies (see ``GRU4RecConfig``); the layer size defaults to --dim, and --epochs and --alpha (the
/// learning rate) are the shared options.
struct GRU4RecOptions: ParsableArguments {
    @Option(help: "gru4rec: GRU layer sizes, comma-separated, input first (default: one layer of --dim units).")
    var gruLayers: String?

    @Option(help: "gru4rec: cross-entropy or bpr-max (default cross-entropy).")
    var gruLoss: GRU4RecLoss?

    @Option(help: "gru4rec: sessions per minibatch (default 32).")
    var gruBatch: Int?

    @Option(help: "gru4rec: negatives sampled per minibatch, shared by its sessions (default 2048).")
    var gruSamples: Int?

    @Option(help: "gru4rec: negatives are drawn ∝ count^x (default 0.5).")
    var gruSampleAlpha: Double?

    @Option(help: "gru4rec: dropout on the input item vectors (default 0).")
    var gruDropoutEmbedding: Double?

    @Option(help: "gru4rec: dropout on each layer's output (default 0).")
    var gruDropoutHidden: Double?

    @Option(help: "gru4rec: momentum of Adagrad's steps (default 0).")
    var gruMomentum: Double?

    @Option(help: "gru4rec with bpr-max: weight of the score regularization (default 1).")
    var gruBpreg: Double?

    @Option(help: "gru4rec with bpr-max: ELU α applied to the scores first; 0 = none (default 0.5).")
    var gruElu: Double?

    @Option(
        help:
            "gru4rec with cross-entropy: logq correction of the sampling bias (default 0; the official yoochoose setting uses 1)."
    )
    var gruLogq: Double?

    @Option(help: "gru4rec: share input and output item vectors, true or false (default true).")
    var gruConstrainedEmbedding: Bool?

    @Option(help: "gru4rec without constrained embedding: input item vector size; 0 = one-hot input (default 0).")
    var gruEmbedding: Int?

    /// The options as their typed configuration, with the shared learning rate (--alpha) when given,
    /// validated.
    func config(learningRate: Double?) throws -> GRU4RecConfig {
        var g = GRU4RecConfig()
        if let gruLayers {
            let sizes = gruLayers.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else {
                throw ConfigurationError(
                    setting: "gru_layers",
                    "'\(gruLayers)' is not a list of sizes such as 100 or 200,100"
                )
            }
            g.layers = sizes.map { $0! }
        }
        if let learningRate { g.learningRate = learningRate }
        if let gruLoss { g.loss = gruLoss }
        if let gruBatch { g.batchSize = gruBatch }
        if let gruSamples { g.nSample = gruSamples }
        if let gruSampleAlpha { g.sampleAlpha = gruSampleAlpha }
        if let gruDropoutEmbedding { g.dropoutEmbedding = gruDropoutEmbedding }
        if let gruDropoutHidden { g.dropoutHidden = gruDropoutHidden }
        if let gruMomentum { g.momentum = gruMomentum }
        if let gruBpreg { g.bpreg = gruBpreg }
        if let gruElu { g.eluParam = gruElu }
        if let gruLogq { g.logq = gruLogq }
        if let gruConstrainedEmbedding { g.constrainedEmbedding = gruConstrainedEmbedding }
        if let gruEmbedding { g.embedding = gruEmbedding }
        try g.validate()
        return g
    }
}
