// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The output layer the 2vec models train: how the probability of the target given the input is
/// modelled (Mikolov et al. 2013b).
public enum TrainingLoss: String, Sendable, Codable, CaseIterable {
    /// Negative sampling (SGNS): the target against `negative` tokens drawn from unigram^ns_exponent.
    case negative
    /// The exact softmax over every token, computed in blocks of inputs against all output vectors:
    /// O(V) per example, for catalogs up to tens of thousands of items (see
    /// ``TrainingConfig/softmaxMaxItems``).
    case softmax
    /// Hierarchical softmax (Morin & Bengio 2005): a ``HuffmanTree`` over the vocabulary by
    /// frequency, one output vector per inner node, O(log V) per example.
    case hierarchical

    /// The default refusal threshold of ``softmax``: tokens the output layer may have.
    public static let defaultSoftmaxMaxItems = 50_000
}
