// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of bagged-prod2vec and of the practitioners' options (Grbovic & Cheng 2018 and
/// gensim's open requests): a global-context item per sequence, time-aware windows, per-event
/// weights. Each applies when the corpus carries what it needs (baskets, times, weights, context items).
public struct SequenceOptionsConfig: Sendable, Codable, Equatable {
    /// Time-aware windows: a context event must lie within this many seconds of the centre event.
    /// `nil`: no limit.
    public var maxGap: Double? = nil
    /// Scale each centre event's updates by its weight (the corpus's per-event weights). Default `true`.
    public var useWeights = true
    /// Make each sequence's global-context item (e.g. the booked listing) a positive for every
    /// token of the sequence. Default `true`.
    public var useContextItems = true

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first nonsensical option.
    public func validate() throws {
        if let maxGap, !(maxGap > 0 && maxGap.isFinite) {
            throw ConfigurationError(setting: "max_gap", "must be a positive duration")
        }
    }
}

extension TrainingConfig {
    /// Whether training needs event times (baskets by time for a model that needs baskets,
    /// time-aware windows).
    public var needsTimes: Bool {
        let needs = (try? ModelRegistry.definition(for: self))?.needs ?? []
        return !needs.isDisjoint(with: [.baskets, .timestamps]) || sequenceOptions?.maxGap != nil
    }
}
