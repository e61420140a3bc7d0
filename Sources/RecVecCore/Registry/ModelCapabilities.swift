// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The kind of model, for help texts and tables.
public enum ModelFamily: String, Sendable, CaseIterable, Codable {
    /// Counting baselines that every learned model must beat (popularity, co-occurrence, session-kNN, Markov).
    case baseline
    /// The 2vec family: item vectors learned by the shared kernel (word2vec and its descendants).
    case embedding
    /// Matrix factorization, user and item vectors (ALS, BPR).
    case factorization
    /// Models of the order of events (recurrent networks: GRU4Rec).
    case sequence
}

/// What a model needs beyond the sequences of items.
public struct ModelNeeds: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Item side information (an `item_id field value` file).
    public static let metadata = ModelNeeds(rawValue: 1 << 0)
    /// Item content: side information or dense content vectors (either will do).
    public static let content = ModelNeeds(rawValue: 1 << 1)
    /// Event times (time-aware models: gru4rec orders its training sessions by them); an input
    /// without times is still read, in the file's order.
    public static let timestamps = ModelNeeds(rawValue: 1 << 2)
    /// Baskets: a basket column, or events of a sequence that share a time.
    public static let baskets = ModelNeeds(rawValue: 1 << 3)
    /// The id of each sequence (a document, a user), which gets a vector of its own.
    public static let sequenceIDs = ModelNeeds(rawValue: 1 << 4)

    /// Each need in words, for help texts and errors.
    public var names: [String] {
        let all: [(ModelNeeds, String)] = [
            (.metadata, "metadata"), (.content, "content"), (.timestamps, "timestamps"), (.baskets, "baskets"),
            (.sequenceIDs, "sequence ids"),
        ]
        return all.filter { contains($0.0) }.map(\.1)
    }
}

/// What a model offers beyond scoring a history.
public struct ModelOffers: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Trains into a model file (`train`, `tune --output`), which `similar`, `recommend` and `serve` read.
    public static let modelFile = ModelOffers(rawValue: 1 << 0)
    /// A vector per document (sequence) beside the items (`doc:ID` tokens).
    public static let documentVectors = ModelOffers(rawValue: 1 << 1)
    /// A vector per user beside the items (`user:ID` tokens).
    public static let userVectors = ModelOffers(rawValue: 1 << 2)
    /// Vectors for items without events, from their content (cold start).
    public static let coldStartItems = ModelOffers(rawValue: 1 << 3)
    /// `recvec infer`: the vector of an unseen document, inferred with the model frozen.
    public static let inference = ModelOffers(rawValue: 1 << 4)
    /// Side-information values (`FIELD=VALUE`) in the same space as the items.
    public static let metadataVectors = ModelOffers(rawValue: 1 << 5)

    /// Each offer in words, for help texts.
    public var names: [String] {
        let all: [(ModelOffers, String)] = [
            (.modelFile, "model file"), (.documentVectors, "document vectors"), (.userVectors, "user vectors"),
            (.coldStartItems, "cold-start items"), (.inference, "infer"), (.metadataVectors, "metadata vectors"),
        ]
        return all.filter { contains($0.0) }.map(\.1)
    }
}
