// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// How a trainer turns gradients into updates.
public enum Optimizer: String, Sendable, Codable, CaseIterable {
    /// Stochastic gradient descent with the configured (linearly decaying) learning rate.
    case sgd
    /// Adagrad (Duchi, Hazan & Singer 2011): each parameter's step is the learning rate divided by
    /// the square root of the sum of its squared gradients so far, so often-updated coordinates
    /// (popular items) slow down and rare ones keep learning. One accumulator per parameter: the
    /// memory of the factors twice.
    case adagrad

    /// Adagrad's accumulators start here (as TensorFlow's and Keras's do), which bounds the first
    /// steps at η·|g|/√0.1 instead of η whatever the gradient's size.
    public static let adagradInitialAccumulator: Float = 0.1

    /// The models that train with Adagrad so far; the others refuse it.
    public static let adagradModels: [ModelName] = ["bpr"]
}
