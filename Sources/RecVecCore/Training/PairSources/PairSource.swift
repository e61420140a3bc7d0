// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// A model, seen by the trainer: a way of turning one sequence into training examples for the
/// shared ``TrainingKernel``.
///
/// The trainer is generic over its pair source, so each model's loop is specialized and inlined:
/// no existential call, allocation or reference counting per example.
public protocol PairSource: Sendable {
    /// Feeds the examples of one (already sub-sampled) sequence to `kernel`.
    func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel)

    /// Whether a sequence may be trained in consecutive pieces, each passed to
    /// ``train(_:kernel:)`` as a sequence of its own, losing nothing but the contexts that would
    /// reach across a cut — true of finite windows over an order, as the word2vec tool's cut of long
    /// sentences is. Across processes a round between two synchronisations may then end inside a
    /// sequence, so a long one (a text prepared into 10,000-token lines) does not stretch a short
    /// round. Default `false`: a sequence is a whole (a set whose every pair matters, a window
    /// spanning all of it).
    var canSplitSequences: Bool { get }
}

extension PairSource {
    /// `false`: the sequences are trained whole.
    public var canSplitSequences: Bool { false }
}

/// One sequence as a pair source sees it: the tokens that survived sub-sampling, where each was in
/// the corpus (to look up per-token side data: times, baskets, weights), and which sequence it is
/// (to look up its document, user or global-context item).
public struct SequenceSlice {
    /// The kept token ids, in order.
    public let tokens: UnsafeBufferPointer<Int32>
    /// For each kept token, its index in the corpus's flat token array (`Corpus.sequences.tokens`,
    /// and so in `Corpus.times`, `.baskets`, `.weights`).
    public let positions: UnsafeBufferPointer<Int>
    /// The sequence's index in the corpus.
    public let index: Int

    @inlinable
    public init(tokens: UnsafeBufferPointer<Int32>, positions: UnsafeBufferPointer<Int>, index: Int) {
        self.tokens = tokens
        self.positions = positions
        self.index = index
    }

    /// Calls `body` with a slice over `tokens` (positions 0, 1, 2, …), e.g. to train or infer on
    /// one sequence outside a corpus.
    public static func with<R>(_ tokens: [Int32], index: Int = 0, _ body: (SequenceSlice) throws -> R) rethrows -> R {
        let positions = Array(0..<tokens.count)
        return try tokens.withUnsafeBufferPointer { t in
            try positions.withUnsafeBufferPointer { p in try body(SequenceSlice(tokens: t, positions: p, index: index))
            }
        }
    }

    /// Number of kept tokens.
    @inlinable public var count: Int { tokens.count }
    @inlinable public subscript(i: Int) -> Int32 { tokens[i] }
}

/// The context of position `i`: a window drawn according to `mode`.
@usableFromInline
struct ContextWindow: Sendable {
    @usableFromInline let window: Int
    @usableFromInline let mode: WindowMode

    @usableFromInline init(window: Int, mode: WindowMode) {
        self.window = window
        self.mode = mode
    }

    /// Copies the context ids of position `i` of `sequence` into `kernel.contexts`; returns how many.
    @inlinable @inline(__always)
    func collect(_ sequence: SequenceSlice, at i: Int, kernel: inout TrainingKernel) -> Int {
        let n = sequence.count
        let lo: Int
        let hi: Int
        switch mode {
        case .full:
            lo = 0
            hi = n
        case .fixed:
            lo = max(0, i - window)
            hi = min(n, i + window + 1)
        case .shrink:
            let b = 1 + kernel.rng.next(below: window)
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
        }
        var count = 0
        let out = kernel.contexts
        for j in lo..<hi where j != i {
            out[count] = sequence[j]
            count += 1
        }
        return count
    }
}

/// Skip-gram with negative sampling (Mikolov et al. 2013a, 2013b): every context token predicts
/// the centre token. On purchase sequences this is prod2vec (Grbovic et al. 2015); with
/// ``WindowMode/full`` on sets it is item2vec (Barkan & Koenigstein 2016).
public struct SkipGramSource: PairSource {
    @usableFromInline let context: ContextWindow
    @usableFromInline let share: Int

    /// `share`: how many contexts of a window share one draw of negatives (1: fresh negatives for
    /// every pair, the word2vec tool's way; `Int.max`: the whole window's; see
    /// ``TrainingConfig/resolvedNegativeShare``).
    public init(window: Int, mode: WindowMode, share: Int = Int.max) {
        precondition(share >= 1, "at least one context a draw")
        context = ContextWindow(window: window, mode: mode)
        self.share = share
    }

    /// True unless the window spans the whole sequence (``WindowMode/full``).
    public var canSplitSequences: Bool { context.mode != .full }

    @inlinable
    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        if sequence.count < 2 { return }
        for i in 0..<sequence.count {
            let n = context.collect(sequence, at: i, kernel: &kernel)
            kernel.skipGram(center: sequence[i], contexts: kernel.contexts, count: n, share: share)
        }
    }
}

/// Continuous bag of words (Mikolov et al. 2013a): the mean (or sum) of the context predicts the
/// centre token.
public struct CBOWSource: PairSource {
    @usableFromInline let context: ContextWindow
    @usableFromInline let mean: Bool

    public init(window: Int, mode: WindowMode, mean: Bool) {
        context = ContextWindow(window: window, mode: mode)
        self.mean = mean
    }

    /// True unless the window spans the whole sequence (``WindowMode/full``).
    public var canSplitSequences: Bool { context.mode != .full }

    @inlinable
    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        if sequence.count < 2 { return }
        for i in 0..<sequence.count {
            let n = context.collect(sequence, at: i, kernel: &kernel)
            kernel.cbow(center: sequence[i], contexts: kernel.contexts, count: n, mean: mean)
        }
    }
}
