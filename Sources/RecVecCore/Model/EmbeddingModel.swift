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
    /// How many processes trained the model together (``DataParallel``); `nil`: one.
    public var processes: Int? = nil
    /// What each of those processes multiplied the learning rate (its start and its minimum) by
    /// (``DataParallel/resolvedLearningRateScale``); `nil` with one process.
    public var learningRateScale: Double? = nil

    public init(epochLosses: [Double], epochExamples: [Int], trainSeconds: Double, corpusTokens: Int) {
        self.epochLosses = epochLosses
        self.epochExamples = epochExamples
        self.trainSeconds = trainSeconds
        self.corpusTokens = corpusTokens
    }

    /// Input tokens per second over all epochs (the same definition gensim's benchmark uses).
    public var tokensPerSecond: Double {
        trainSeconds > 0 ? Double(corpusTokens) * Double(epochLosses.count) / trainSeconds : 0
    }

    /// What is wrong with a summary read from a file, or `nil`: negative counts or seconds, and
    /// totals (tokens over all epochs, examples over all epochs) that overflow `Int`.
    var problem: String? {
        guard corpusTokens >= 0 else { return "corpus tokens \(corpusTokens) are negative" }
        if let processes, processes < 1 { return "\(processes) processes" }
        if let scale = learningRateScale, !(scale > 0 && scale.isFinite) {
            return "learning-rate scale \(scale) is invalid"
        }
        guard trainSeconds >= 0, trainSeconds.isFinite else { return "training seconds \(trainSeconds) are invalid" }
        guard !corpusTokens.multipliedReportingOverflow(by: epochLosses.count).overflow else {
            return "\(corpusTokens) corpus tokens × \(epochLosses.count) epochs overflow"
        }
        var total = 0
        for n in epochExamples {
            guard n >= 0 else { return "an epoch has \(n) examples" }
            let (sum, overflow) = total.addingReportingOverflow(n)
            if overflow { return "the examples of all epochs overflow" }
            total = sum
        }
        return nil
    }
}

/// What the tokens of one section of a model's vocabulary are.
public enum TokenKind: String, Sendable, Codable, CaseIterable {
    /// Items (or words): what similarity queries and recommendations return.
    case item
    /// Documents of paragraph vectors (PV-DBOW, PV-DM): one vector per sequence id, token `doc:ID`.
    case document
    /// Users of user-prod2vec, ALS and BPR: token `user:ID`.
    case user
    /// Side-information values of Meta-Prod2Vec: token `FIELD=VALUE`.
    case metadata
    /// Content tokens of Content2vec (words of titles, tags…): token `text:WORD`.
    case word
}

/// A run of consecutive token ids of one kind.
public struct TokenSection: Sendable, Codable, Equatable {
    public var kind: TokenKind
    /// First token id of the section.
    public var start: Int
    /// Number of tokens.
    public var count: Int

    public init(kind: TokenKind, start: Int, count: Int) {
        self.kind = kind
        self.start = start
        self.count = count
    }

    /// The token ids of the section.
    public var range: Range<Int> { start..<(start + count) }
}

/// A trained (or imported) embedding model: the vocabulary, the input vectors that queries use,
/// the output (context) vectors when known, and how it was made.
///
/// The vocabulary is cut into ``sections``: items always come first (ids `0..<itemCount`), then
/// whatever else the model embeds in the same space (documents, users, metadata values, content
/// words). Similarity queries and recommendations return items only.
public struct EmbeddingModel: Sendable {
    /// The tokens, most frequent first.
    public var vocabulary: Vocabulary
    /// Input ("word") vectors, one row per token: what similarity queries use.
    public var input: EmbeddingMatrix
    /// Output ("context") vectors; `nil` for vectors imported from word2vec files. With
    /// hierarchical softmax, row `n` is the vector of inner node `n` of ``hierarchicalTree()``
    /// (the last row unused), not of token `n`.
    public var output: EmbeddingMatrix?
    /// The hyperparameters it was trained with (defaults for imported vectors).
    public var config: TrainingConfig
    /// Loss and speed of training; `nil` for imported vectors.
    public var summary: TrainingSummary?
    /// The kinds of token, in id order: items first, covering the whole vocabulary.
    public private(set) var sections: [TokenSection]
    /// A sequence model's network (GRU4Rec), which reads a history in order and scores every item;
    /// `nil` for the embedding models. Its output item vectors are ``input``'s rows.
    public var network: GRU4RecWeights?

    /// `sections` default to one item section over the whole vocabulary; otherwise they must start
    /// with the items and tile `0..<vocabulary.count` in order.
    public init(
        vocabulary: Vocabulary,
        input: EmbeddingMatrix,
        output: EmbeddingMatrix?,
        config: TrainingConfig,
        summary: TrainingSummary? = nil,
        sections: [TokenSection]? = nil,
        network: GRU4RecWeights? = nil
    ) {
        precondition(vocabulary.count == input.rows, "one input row per token")
        precondition(output == nil || (output!.rows == input.rows && output!.dim == input.dim))
        self.vocabulary = vocabulary
        self.input = input
        self.output = output
        self.config = config
        self.summary = summary
        let sections = sections ?? [TokenSection(kind: .item, start: 0, count: vocabulary.count)]
        precondition(
            Self.isValid(sections, count: vocabulary.count),
            "sections must start with the items and tile the vocabulary"
        )
        self.sections = sections
        precondition(network == nil || network!.itemCount == sections[0].count, "one network output per item")
        self.network = network
    }

    /// Whether `sections` start with the items and tile `0..<count` in order (sums checked for
    /// overflow: sections may come from a file).
    static func isValid(_ sections: [TokenSection], count: Int) -> Bool {
        guard let first = sections.first, first.kind == .item, first.start == 0 else { return false }
        var next = 0
        for s in sections {
            if s.start != next || s.count < 0 || s.count > count - next { return false }
            next += s.count
        }
        return next == count
    }

    /// Number of items: token ids `0..<itemCount` are items.
    public var itemCount: Int { sections[0].count }

    /// The section of `kind`, if the model has one.
    public func section(_ kind: TokenKind) -> TokenSection? { sections.first { $0.kind == kind } }

    /// The kind of token `id`.
    public func kind(of id: Int32) -> TokenKind {
        sections.first { $0.range.contains(Int(id)) }?.kind ?? .item
    }

    /// Vector dimension.
    public var dim: Int { input.dim }

    /// The tokens the output layer predicted in training (leading ids): the items for paragraph
    /// vectors and user-prod2vec (documents and users are inputs only), else the whole vocabulary.
    public var outputTokenCount: Int {
        section(.document) != nil || section(.user) != nil ? itemCount : vocabulary.count
    }

    /// For a model trained with hierarchical softmax, its tree, rebuilt from the stored counts of
    /// the first ``outputTokenCount`` tokens (``HuffmanTree`` is a pure function of the counts, so
    /// this is the tree training used; the file stores no extra bytes). `nil` for the other losses.
    /// Output row `n` is then inner node `n`, not a token.
    public func hierarchicalTree() -> HuffmanTree? {
        guard config.resolvedLoss == .hierarchical, output != nil, outputTokenCount > 0 else { return nil }
        return HuffmanTree(counts: Array(vocabulary.counts[0..<outputTokenCount]))
    }

    /// The input vector of `token`.
    public func vector(for token: String) throws -> [Float] {
        try input.vector(Int(vocabulary.requireID(of: token)))
    }

    /// Whether both models have the same vocabulary and bit-identical matrices.
    public func isIdentical(to other: EmbeddingModel) -> Bool {
        guard vocabulary == other.vocabulary, sections == other.sections, input.isIdentical(to: other.input),
            network == other.network
        else {
            return false
        }
        switch (output, other.output) {
        case (nil, nil): return true
        case (let a?, let b?): return a.isIdentical(to: b)
        default: return false
        }
    }
}
