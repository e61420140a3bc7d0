// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of Content2vec as published (Nedelec, Smirnova & Vasile, DLRS 2017):
/// separate modules — CF (the item's prod2vec vector through a learned layer), text (the item's
/// content words through a TextCNN, Kim 2014) and dense content (feature vectors through a learned
/// layer) — summed into one item vector and trained on pairwise similarity: items that occur
/// together in a sequence or basket against sampled negatives, in minibatches, with Adagrad.
///
/// Summing one learned linear map per module is the paper's "Content2Vec-linear" (a linear layer
/// over the concatenated module embeddings) written per block.
public struct Content2vecCNNConfig: Sendable, Codable, Equatable {
    /// Convolution widths in tokens (one bank of filters per width). Default `[1, 2, 3]`.
    public var widths = [1, 2, 3]
    /// Filters per width. Default 64.
    public var filters = 64
    /// Dimension of the learned word vectors the convolutions read (ignored with pretrained word
    /// vectors, whose dimension is used). Default 32.
    public var wordDimension = 32
    /// Dropout on the max-pooled text features while training. Default 0.25.
    public var textDropout = 0.25
    /// Positive pairs per minibatch. Default 128.
    public var batch = 128
    /// Adagrad's step size. Default 0.05.
    public var learningRate = 0.05
    /// Passes over the pairs (one context per item occurrence per pass). Default 5.
    public var epochs = 5
    /// An item's first `maxTokens` content tokens go through the convolutions. Default 48.
    public var maxTokens = 48
    /// The summed weight of a pair's negatives against its positive's 1. Default 0.25.
    ///
    /// Scores are symmetric (v_a·v_b), and a set of vectors cannot score below zero against most
    /// of each other (Σ_ab v_a·v_b = |Σ v|² ≥ 0), so popularity-drawn negatives can only be pushed to
    /// about zero; with word2vec's weight (`negative`, e.g. 5) that term dominates and the towers
    /// learn almost nothing (measured on groceries: the loss stays at its all-zero value). Small
    /// weights let the positives shape the space.
    public var negativeWeight = 0.25

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first option out of range.
    public func validate() throws {
        if widths.isEmpty || widths.contains(where: { $0 < 1 || $0 > 8 }) {
            throw ConfigurationError(setting: "cnn_widths", "needs widths in 1...8 (got \(widths))")
        }
        if Set(widths).count != widths.count {
            throw ConfigurationError(setting: "cnn_widths", "has a width twice (got \(widths))")
        }
        if !(1...4096).contains(filters) {
            throw ConfigurationError(setting: "cnn_filters", "must be in 1...4096 (got \(filters))")
        }
        if !(1...1024).contains(wordDimension) {
            throw ConfigurationError(setting: "cnn_word_dim", "must be in 1...1024 (got \(wordDimension))")
        }
        if !(textDropout >= 0 && textDropout < 1) {
            throw ConfigurationError(setting: "cnn_dropout", "must be in [0, 1) (got \(textDropout))")
        }
        if !(1...65536).contains(batch) {
            throw ConfigurationError(setting: "cnn_batch", "must be in 1...65536 (got \(batch))")
        }
        if !(learningRate > 0 && learningRate.isFinite) {
            throw ConfigurationError(setting: "cnn_rate", "must be a positive number (got \(learningRate))")
        }
        if !(1...10_000).contains(epochs) {
            throw ConfigurationError(setting: "cnn_epochs", "must be in 1...10000 (got \(epochs))")
        }
        if !(negativeWeight > 0 && negativeWeight.isFinite) {
            throw ConfigurationError(
                setting: "cnn_negative_weight",
                "must be a positive number (got \(negativeWeight))"
            )
        }
        if !(1...4096).contains(maxTokens) {
            throw ConfigurationError(setting: "cnn_max_tokens", "must be in 1...4096 (got \(maxTokens))")
        }
    }

    /// A random point of the tuner's search space around `base`: filters, word dimension, dropout,
    /// batch, step size, epochs and the negatives' weight (the widths stay).
    public static func sampled(around base: Content2vecCNNConfig, rng: inout FastRandom) -> Content2vecCNNConfig {
        var c = base
        func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
        c.filters = pick([32, 64, 128])
        c.wordDimension = pick([16, 32, 64])
        c.textDropout = pick([0, 0.25, 0.5])
        c.batch = pick([64, 128, 256])
        c.learningRate = pick([0.02, 0.05, 0.1, 0.2])
        c.epochs = pick([3, 5, 10, 20])
        c.negativeWeight = pick([0.05, 0.25, 1, 5])
        return c
    }
}
