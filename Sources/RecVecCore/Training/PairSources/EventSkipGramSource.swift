// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Skip-gram over event sequences with what the events carry (Grbovic et al. 2015; Grbovic &
/// Cheng 2018):
///
/// - **bagged-prod2vec** (`baskets` given): the context of an item is the items of the
///   neighbouring baskets within the window (counted in baskets), never those of its own basket;
/// - **time-aware windows** (`maxGap`): a context event must lie within `maxGap` seconds of the centre;
/// - **per-event weights** (`weights`): the centre event's weight scales its updates;
/// - **global context** (`contextItems`): the sequence's context item (e.g. the booked listing)
///   is predicted by every token of the sequence, as one more positive pair.
///
/// Side data is looked up through ``SequenceSlice/positions``, so sub-sampling keeps it aligned.
public struct EventSkipGramSource: PairSource {
    @usableFromInline let window: Int
    @usableFromInline let mode: WindowMode
    @usableFromInline let baskets: FlatArray<Int32>?
    @usableFromInline let times: FlatArray<Double>?
    @usableFromInline let maxGap: Double
    @usableFromInline let weights: FlatArray<Float>?
    @usableFromInline let contextItems: FlatArray<Int32>?
    @usableFromInline let share: Int

    /// Each side array, when given, is parallel to the corpus (per token, or per sequence for
    /// `contextItems`); `maxGap` needs `times`. `share`: contexts per draw of negatives, as in
    /// ``SkipGramSource``.
    public init(
        window: Int,
        mode: WindowMode,
        baskets: FlatArray<Int32>? = nil,
        times: FlatArray<Double>? = nil,
        maxGap: Double? = nil,
        weights: FlatArray<Float>? = nil,
        contextItems: FlatArray<Int32>? = nil,
        share: Int = Int.max
    ) {
        precondition(maxGap == nil || times != nil, "time-aware windows need times")
        precondition(share >= 1, "at least one context a draw")
        self.share = share
        self.window = window
        self.mode = mode
        self.baskets = baskets
        self.times = maxGap == nil ? nil : times
        self.maxGap = maxGap ?? .infinity
        self.weights = weights
        self.contextItems = contextItems
    }

    /// True unless the window spans the whole sequence (``WindowMode/full``): baskets, times, weights
    /// and the global context item are looked up by position and sequence, which a piece keeps.
    public var canSplitSequences: Bool { mode != .full }

    @inlinable
    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        let n = sequence.count
        if n == 0 { return }
        let global = contextItems?[sequence.index] ?? -1
        for i in 0..<n {
            let centre = sequence[i]
            let weight = weights?[sequence.positions[i]] ?? 1
            let reach = mode == .shrink ? 1 + kernel.rng.next(below: window) : (mode == .full ? n : window)
            var count = 0
            if let baskets {
                // Neighbouring baskets: basket numbers within `reach` of the centre's, its own excluded.
                let b = Int(baskets[sequence.positions[i]])
                var j = i - 1
                while j >= 0, b - Int(baskets[sequence.positions[j]]) <= reach {
                    if baskets[sequence.positions[j]] != b && isNearInTime(sequence, i, j) {
                        kernel.contexts[count] = sequence[j]
                        count += 1
                    }
                    j -= 1
                }
                j = i + 1
                while j < n, Int(baskets[sequence.positions[j]]) - b <= reach {
                    if baskets[sequence.positions[j]] != b && isNearInTime(sequence, i, j) {
                        kernel.contexts[count] = sequence[j]
                        count += 1
                    }
                    j += 1
                }
            } else {
                for j in max(0, i - reach)..<min(n, i + reach + 1) where j != i && isNearInTime(sequence, i, j) {
                    kernel.contexts[count] = sequence[j]
                    count += 1
                }
            }
            kernel.skipGram(center: centre, contexts: kernel.contexts, count: count, share: share, weight: weight)
            if global >= 0 && global != centre {
                kernel.contexts[0] = centre
                kernel.skipGram(center: global, contexts: kernel.contexts, count: 1, weight: weight)
            }
        }
    }

    @inlinable @inline(__always)
    func isNearInTime(_ sequence: SequenceSlice, _ i: Int, _ j: Int) -> Bool {
        guard let times else { return true }
        return abs(times[sequence.positions[j]] - times[sequence.positions[i]]) <= maxGap
    }
}
