// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Skip-gram (prod2vec, item2vec) with group negatives (Grbovic & Cheng 2018): each example is
/// ``SkipGramSource``'s, followed by `k` extra negatives from the centre item's own group.
public struct GroupNegativeSkipGramSource: PairSource {
    @usableFromInline let context: ContextWindow
    @usableFromInline let share: Int
    @usableFromInline let groups: GroupNegativeSampler
    @usableFromInline let k: Int

    /// `share`: contexts per draw of negatives, as in ``SkipGramSource``.
    public init(window: Int, mode: WindowMode, share: Int = Int.max, groups: GroupNegativeSampler, k: Int) {
        precondition(share >= 1, "at least one context a draw")
        context = ContextWindow(window: window, mode: mode)
        self.share = share
        self.groups = groups
        self.k = k
    }

    @inlinable
    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        if sequence.count < 2 { return }
        for i in 0..<sequence.count {
            let n = context.collect(sequence, at: i, kernel: &kernel)
            let centre = sequence[i]
            kernel.forEachShare(of: kernel.contexts, count: n, share: share) { kernel, run, m in
                kernel.skipGram(center: centre, contexts: run, count: m)
                kernel.groupNegatives(positive: centre, contexts: run, count: m, sampler: groups, k: k)
            }
        }
    }
}

extension Trainer {
    /// prod2vec / item2vec (skip-gram) with group negatives from ``MetaProd2VecConfig/groupNegatives``;
    /// the groups come from `inputs.metadata`.
    func trainWithGroupNegatives(
        _ corpus: Corpus,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        guard let g = config.meta?.groupNegatives else { return try train(corpus, onEvent: onEvent) }
        try g.validate()
        guard let metadata = inputs.metadata else {
            throw ConfigurationError(setting: "group_negatives", "needs item side information (a metadata file)")
        }
        if config.architecture != .skipGram {
            throw ConfigurationError(
                setting: "group_negatives",
                "works with skip-gram, not \(config.architecture.rawValue)"
            )
        }
        let groups = try GroupNegativeSampler(
            vocabulary: corpus.vocabulary,
            itemCount: corpus.vocabulary.count,
            metadata: metadata,
            field: g.field,
            exponent: config.nsExponent
        )
        return try train(
            corpus,
            source: GroupNegativeSkipGramSource(
                window: config.window,
                mode: config.windowMode,
                share: config.resolvedNegativeShare,
                groups: groups,
                k: g.k
            ),
            onEvent: onEvent
        )
    }
}
