// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The loss GRU4Rec trains with (Hidasi & Karatzoglou 2018), over the scores of a minibatch's
/// targets and its shared negative samples.
public enum GRU4RecLoss: String, Sendable, Codable, CaseIterable {
    /// Softmax over the columns, −log of the target's probability.
    case crossEntropy = "cross-entropy"
    /// −log Σⱼ sⱼ·σ(r_target − rⱼ), sⱼ the softmax over the negatives, plus bpreg·Σⱼ sⱼ·rⱼ².
    case bprMax = "bpr-max"
}

/// Hyperparameters of GRU4Rec (Hidasi et al. 2016; Hidasi & Karatzoglou 2018), named after the
/// official implementation's. The epochs are the shared ``TrainingConfig/epochs``.
public struct GRU4RecConfig: Sendable, Codable, Equatable {
    /// GRU layer sizes, input first; empty: one layer of the shared dimension
    /// (``TrainingConfig/dim``). Default empty.
    public var layers: [Int] = []
    /// The loss. Default cross-entropy.
    public var loss = GRU4RecLoss.crossEntropy
    /// Sessions trained in parallel (the minibatch's rows). Default 32.
    public var batchSize = 32
    /// Negatives drawn per minibatch (shared by its rows), besides the other rows' targets.
    /// Default 2048.
    public var nSample = 2048
    /// Negatives are drawn from popularity^sampleAlpha. Default 0.5.
    public var sampleAlpha = 0.5
    /// Dropout on the input embedding. Default 0.
    public var dropoutEmbedding = 0.0
    /// Dropout on each layer's output. Default 0.
    public var dropoutHidden = 0.0
    /// Adagrad's learning rate. Default 0.05.
    public var learningRate = 0.05
    /// Momentum of Adagrad's steps. Default 0.
    public var momentum = 0.0
    /// BPR-max: the weight of the score regularisation. Default 1.
    public var bpreg = 1.0
    /// BPR-max: scores go through ELU with this α first; 0 disables it. Default 0.5.
    public var eluParam = 0.5
    /// Cross-entropy: subtract logq·log(sampling probability) from each column's score (the
    /// official implementation's correction of the sampling bias). Default 0.
    public var logq = 0.0
    /// Input item vectors: 0 with `constrainedEmbedding` off means a one-hot input (the first
    /// layer's input weights are a per-item table). Ignored when constrained. Default 0.
    public var embedding = 0
    /// The input vectors are the output vectors (shared input/output item vectors). Default true.
    public var constrainedEmbedding = true
    public init() {}

    /// Throws a ``ConfigurationError`` naming the first setting out of range.
    public func validate() throws {
        if layers.contains(where: { $0 < 1 }) {
            throw ConfigurationError(setting: "gru_layers", "layer sizes must be positive (got \(layers))")
        }
        if batchSize < 1 { throw ConfigurationError(setting: "gru_batch", "must be at least 1 (got \(batchSize))") }
        if nSample < 0 { throw ConfigurationError(setting: "gru_samples", "must be 0 or more (got \(nSample))") }
        if !sampleAlpha.isFinite {
            throw ConfigurationError(setting: "gru_sample_alpha", "must be finite (got \(sampleAlpha))")
        }
        for (name, p) in [("gru_dropout_embedding", dropoutEmbedding), ("gru_dropout_hidden", dropoutHidden)]
        where !(p >= 0 && p < 1) {
            throw ConfigurationError(setting: name, "must be in [0, 1) (got \(p))")
        }
        if !(learningRate > 0 && learningRate.isFinite) {
            throw ConfigurationError(setting: "alpha", "GRU4Rec's learning rate must be positive (got \(learningRate))")
        }
        if !(momentum >= 0 && momentum < 1) {
            throw ConfigurationError(setting: "gru_momentum", "must be in [0, 1) (got \(momentum))")
        }
        if !(bpreg >= 0 && bpreg.isFinite) {
            throw ConfigurationError(setting: "gru_bpreg", "must be 0 or more (got \(bpreg))")
        }
        if !(eluParam >= 0 && eluParam.isFinite) {
            throw ConfigurationError(setting: "gru_elu", "must be 0 or more (got \(eluParam))")
        }
        if !(logq >= 0 && logq.isFinite) { throw ConfigurationError(setting: "gru_logq", "must be 0 or more") }
        if embedding < 0 { throw ConfigurationError(setting: "gru_embedding", "must be 0 or more (got \(embedding))") }
    }

    /// How the first layer reads an item.
    var input: GRU4RecInput {
        constrainedEmbedding ? .constrained : embedding > 0 ? .embedding(embedding) : .oneHot
    }
}

/// How the network reads its input item.
enum GRU4RecInput: Equatable {
    /// The item's output vector (shared input/output item vectors).
    case constrained
    /// A separate item embedding of this size.
    case embedding(Int)
    /// One-hot: the first layer's input weights are a table with a row per item.
    case oneHot
}
