// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// How a trainer turns gradients into updates.
public enum Optimizer: String, Sendable, Codable, CaseIterable {
    /// Stochastic gradient descent with the configured (linearly decaying) learning rate.
    case sgd
    /// Adagrad (Duchi, Hazan & Singer 2011): each parameter's step is the learning rate divided by
    /// the square root of the sum of its squared gradients so far, so often-updated coordinates
    /// (popular items) slow down and rare ones keep learning. BPR: one accumulator per parameter,
    /// the memory of the factors twice. The shared kernel: row-wise Adagrad, one accumulator per
    /// row of each matrix (2 floats per token), stepping by the linearly decaying learning rate
    /// divided by the row's √(sum of mean squared gradients).
    case adagrad

    /// Adagrad's accumulators start here (as TensorFlow's and Keras's do), which bounds the first
    /// steps at η·|g|/√0.1 instead of η whatever the gradient's size.
    public static let adagradInitialAccumulator: Float = 0.1

    /// The models that train with Adagrad so far; the others refuse it. BPR keeps one accumulator
    /// per factor; the models of the shared kernel (negative sampling) keep row-wise accumulators,
    /// one per row of each matrix (see ``TrainingKernel``'s `adagradApply`).
    public static let adagradModels: [ModelName] = [
        "bpr", "skipgram", "cbow", "item2vec", "prod2vec", "bagged-prod2vec", "meta-prod2vec", "user-prod2vec",
        "pv-dbow", "pv-dm",
    ]
}
