// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// How a training across processes will synchronise, as the trainer settled it before the first
/// epoch (``TrainingEvent/synchronizationPlan(_:)``): the intervals it chose from
/// ``DataParallel`` and the corpus, the merge and the learning rate the processes train at. Made by
/// the trainer (its memberwise initialiser is internal).
public struct SynchronizationPlan: Sendable, Equatable {
    /// Processes training together.
    public var processes: Int
    /// Tokens each process trains between two full synchronisations (see
    /// ``DataParallel/fullInterval(largestShare:)``).
    public var fullInterval: Int
    /// Tokens each process trains between two synchronisations of the hot rows alone; `nil` when
    /// every synchronisation is a full one.
    public var hotInterval: Int?
    /// The hot rows: the first ids, the tokens that occur at least once in ``hotInterval`` tokens.
    public var hotRows: Int
    /// Synchronisations (hot and full) in an epoch.
    public var synchronizationsPerEpoch: Int
    /// How the changes are merged.
    public var merge: DataParallel.Merge
    /// The factor each process's learning rate is multiplied by
    /// (``DataParallel/resolvedLearningRateScale``).
    public var learningRateScale: Double
    /// The learning rate the processes start at (the configured one times ``learningRateScale``).
    public var startAlpha: Double
    /// Whether a round may end inside a sequence (``PairSource/canSplitSequences``), so that every
    /// round trains its share of the tokens to a token.
    public var splitsSequences: Bool
    /// The longest sequence of the corpus, in tokens.
    public var longestSequence: Int

    /// Tokens each process trains in a round, between any two synchronisations: ``hotInterval``, or
    /// ``fullInterval`` without hot ones.
    public var roundInterval: Int { hotInterval ?? fullInterval }

    /// Whether the rounds are uneven: they end between sequences (``splitsSequences`` is false) and
    /// the longest sequence is longer than a round (``roundInterval``), so a round holding it is
    /// that much longer and rounds around it may hold no sequence at all (and still synchronise).
    public var roundsStretchedBySequences: Bool {
        !splitsSequences && longestSequence > roundInterval
    }
}
