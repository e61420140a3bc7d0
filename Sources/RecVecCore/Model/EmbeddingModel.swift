// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// What training measured: per-epoch loss and speed.
public struct TrainingSummary: Sendable, Codable, Equatable {
    /// Mean loss per positive example, one value per epoch.
    public var epochLosses: [Double]
    /// Positive examples trained per epoch.
    public var epochExamples: [Int]
    /// Wall-clock seconds of training (reading excluded).
    public var trainSeconds: Double
    /// Tokens of the input before filtering, the basis of tokens/s.
    public var corpusTokens: Int

    public init(epochLosses: [Double], epochExamples: [Int], trainSeconds: Double, corpusTokens: Int) {
        self.epochLosses = epochLosses
        self.epochExamples = epochExamples
        self.trainSeconds = trainSeconds
        self.corpusTokens = corpusTokens
    }

    /// Input tokens per second over all epochs (the same definition gensim's benchmark uses).
    public var tokensPerSecond: Double {
        trainSeconds > 0 ? Double(corpusTokens * epochLosses.count) / trainSeconds : 0
    }
}

/// A trained (or imported) embedding model: the vocabulary, the input vectors that queries use,
/// the output (context) vectors when known, and how it was made.
public struct EmbeddingModel: Sendable {
    /// The tokens, most frequent first.
    public var vocabulary: Vocabulary
    /// Input ("word") vectors, one row per token: what similarity queries use.
    public var input: EmbeddingMatrix
    /// Output ("context") vectors; `nil` for vectors imported from word2vec files.
    public var output: EmbeddingMatrix?
    /// The hyperparameters it was trained with (defaults for imported vectors).
    public var config: TrainingConfig
    /// Loss and speed of training; `nil` for imported vectors.
    public var summary: TrainingSummary?

    public init(
        vocabulary: Vocabulary, input: EmbeddingMatrix, output: EmbeddingMatrix?, config: TrainingConfig,
        summary: TrainingSummary? = nil
    ) {
        precondition(vocabulary.count == input.rows, "one input row per token")
        precondition(output == nil || (output!.rows == input.rows && output!.dim == input.dim))
        self.vocabulary = vocabulary
        self.input = input
        self.output = output
        self.config = config
        self.summary = summary
    }

    /// Vector dimension.
    public var dim: Int { input.dim }

    /// The input vector of `token`.
    public func vector(for token: String) throws -> [Float] {
        try input.vector(Int(vocabulary.requireID(of: token)))
    }

    /// Whether both models have the same vocabulary and bit-identical matrices.
    public func isIdentical(to other: EmbeddingModel) -> Bool {
        guard vocabulary == other.vocabulary, input.isIdentical(to: other.input) else { return false }
        switch (output, other.output) {
        case (nil, nil): return true
        case let (a?, b?): return a.isIdentical(to: b)
        default: return false
        }
    }
}
