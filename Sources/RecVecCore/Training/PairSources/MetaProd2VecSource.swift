// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Meta-Prod2Vec (Vasile, Smirnova & Conneau, RecSys 2016): prod2vec's skip-gram with the items'
/// side information embedded in the same space, as extra inputs and outputs.
///
/// The paper's loss is L = L(J|I) + λ·(L(M|I) + L(J|M) + L(M|M) + L(I|M)), where for each centre
/// item I of a sequence, J ranges over the items of its context window, M(x) is the set of
/// metadata values of item x, and "A|B" means B (input vector) predicts A (output vector) under
/// SGNS with negatives from one unigram^0.75 pool over items and metadata values together:
///
/// - J|I: I predicts each context item J (prod2vec itself), weight 1.
/// - M|I: I predicts each metadata value of each context item, m ∈ M(J).
/// - J|M: each value of the centre's metadata, m ∈ M(I), predicts each context item J.
/// - M|M: each m ∈ M(I) predicts each m′ ∈ M(J) of each context item.
/// - I|M: each m ∈ M(I) predicts I itself (no window involved).
///
/// Grouping (how the kernel is fed): the kernel trains many inputs against one output with one set
/// of negatives. Because "J is in the window of I" is symmetric (exactly for fixed and full windows,
/// in distribution for word2vec's shrinking window), the pairs of each windowed term are generated
/// from the other end, grouped by output: at centre I with window W and window metadata M(W),
/// J|I is W → I; M|I is W → m for each m ∈ M(I); J|M is M(W) → I; M|M is M(W) → m for each
/// m ∈ M(I); and I|M is M(I) → I. Over a whole sequence these are exactly the pairs defined above.
/// Each term's λ is the kernel's per-example `weight:`.
///
/// Items without metadata: they have no M(I), so they produce no M|I, M|M, I|M examples of their
/// own, and no J|M examples as inputs; they still train J|I as in prod2vec and are predicted by
/// the metadata of neighbours that have some (J|M). If no item had metadata, this would be
/// prod2vec (with metadata tokens only in the negative pool).
///
/// Sub-sampling of frequent items happens here, by the items' own counts (the trainer runs with
/// sampling off so that metadata counts do not change the items' keep probabilities).
/// The metadata table is read-only while training, hence `@unchecked Sendable`.
public struct MetaProd2VecSource: PairSource, @unchecked Sendable {
    @usableFromInline let context: ContextWindow
    @usableFromInline let offsets: UnsafeMutablePointer<Int32>
    @usableFromInline let values: UnsafeMutablePointer<Int32>
    /// The most values any item has (scratch sizing).
    @usableFromInline let maxValues: Int
    @usableFromInline let itemCount: Int
    @usableFromInline let weights: (ji: Float, mi: Float, jm: Float, mm: Float, im: Float)
    @usableFromInline let subsampler: Subsampler
    @usableFromInline let groups: GroupNegativeSampler?
    @usableFromInline let groupK: Int
    private let storage: Storage

    private final class Storage: @unchecked Sendable {
        let offsets: UnsafeMutablePointer<Int32>
        let values: UnsafeMutablePointer<Int32>
        init(_ offsets: [Int32], _ values: [Int32]) {
            self.offsets = .allocate(capacity: offsets.count)
            self.offsets.initialize(from: offsets, count: offsets.count)
            self.values = .allocate(capacity: max(1, values.count))
            self.values.initialize(from: values, count: values.count)
        }
        deinit {
            offsets.deallocate()
            values.deallocate()
        }
    }

    /// - Parameters:
    ///   - table: the joint vocabulary and each item's metadata token ids.
    ///   - weights: the terms' weights (J|I, λ_MI, λ_JM, λ_MM, λ_IM).
    ///   - window: the context size on each side.
    ///   - mode: which tokens around a centre are its context.
    ///   - sample: the sub-sampling threshold, applied to items by their counts.
    ///   - groupNegatives: when given, `groupK` extra negatives from the group of each item target.
    ///   - groupK: the number of group negatives per item target.
    public init(
        table: MetadataVocabulary,
        weights: (ji: Float, mi: Float, jm: Float, mm: Float, im: Float),
        window: Int,
        mode: WindowMode,
        sample: Double,
        groupNegatives: GroupNegativeSampler? = nil,
        groupK: Int = 0
    ) {
        context = ContextWindow(window: window, mode: mode)
        storage = Storage(table.offsets, table.values)
        offsets = storage.offsets
        values = storage.values
        itemCount = table.itemCount
        var most = 0
        for i in 0..<table.itemCount { most = max(most, Int(table.offsets[i + 1] - table.offsets[i])) }
        maxValues = most
        self.weights = weights
        let itemCounts = Array(table.vocabulary.counts.prefix(table.itemCount))
        subsampler = Subsampler(
            counts: itemCounts + Array(repeating: 0, count: table.vocabulary.count - table.itemCount),
            sample: sample
        )
        groups = groupNegatives
        self.groupK = groupNegatives == nil ? 0 : groupK
    }

    /// One skip-gram step (inputs `ids` predict `target`) plus its group negatives when `target` is an item.
    @inlinable @inline(__always)
    func step(_ target: Int32, _ ids: UnsafePointer<Int32>, _ count: Int, _ weight: Float, kernel: inout TrainingKernel)
    {
        if count == 0 || weight == 0 { return }
        kernel.skipGram(center: target, contexts: ids, count: count, weight: weight)
        if let groups, Int(target) < itemCount {
            kernel.groupNegatives(
                positive: target,
                contexts: ids,
                count: count,
                sampler: groups,
                k: groupK,
                weight: weight
            )
        }
    }

    @inlinable
    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        let total = sequence.count
        if total == 0 { return }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: total) { kept in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: total) { positions in
                var n = 0
                for i in 0..<total where !subsampler.isActive || subsampler.keep(sequence[i], &kernel.rng) {
                    kept[n] = sequence[i]
                    positions[n] = sequence.positions[i]
                    n += 1
                }
                if n == 0 { return }
                let slice = SequenceSlice(
                    tokens: UnsafeBufferPointer(rebasing: kept[0..<n]),
                    positions: UnsafeBufferPointer(rebasing: positions[0..<n]),
                    index: sequence.index
                )
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, n * maxValues)) { windowMeta in
                    trainKept(slice, windowMeta: windowMeta.baseAddress!, kernel: &kernel)
                }
            }
        }
    }

    /// The five terms for every centre of `sequence` (already sub-sampled).
    @inlinable
    func trainKept(_ sequence: SequenceSlice, windowMeta: UnsafeMutablePointer<Int32>, kernel: inout TrainingKernel) {
        for i in 0..<sequence.count {
            let item = sequence[i]
            let own = values + Int(offsets[Int(item)])
            let ownCount = Int(offsets[Int(item) + 1] - offsets[Int(item)])
            let nc = sequence.count > 1 ? context.collect(sequence, at: i, kernel: &kernel) : 0
            // M(W): the metadata of the window's items.
            var nm = 0
            for c in 0..<nc {
                let j = Int(kernel.contexts[c])
                for v in Int(offsets[j])..<Int(offsets[j + 1]) {
                    windowMeta[nm] = values[v]
                    nm += 1
                }
            }
            step(item, kernel.contexts, nc, weights.ji, kernel: &kernel)  // J|I
            for m in 0..<ownCount { step(own[m], kernel.contexts, nc, weights.mi, kernel: &kernel) }  // M|I
            step(item, windowMeta, nm, weights.jm, kernel: &kernel)  // J|M
            for m in 0..<ownCount { step(own[m], windowMeta, nm, weights.mm, kernel: &kernel) }  // M|M
            step(item, own, ownCount, weights.im, kernel: &kernel)  // I|M
        }
    }
}
