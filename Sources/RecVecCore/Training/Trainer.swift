// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import Synchronization

/// Progress of a running training, sent a few times a second.
public struct TrainingProgress: Sendable {
    /// 1-based epoch.
    public var epoch: Int
    public var epochs: Int
    /// Fraction of all epochs done, 0...1.
    public var fraction: Double
    /// Input tokens per second so far.
    public var tokensPerSecond: Double
    /// Mean loss per example so far in this epoch (from the first thread).
    public var loss: Double
    public var elapsedSeconds: Double
    public var remainingSeconds: Double
}

/// The result of one epoch.
public struct EpochResult: Sendable {
    /// 1-based epoch.
    public var epoch: Int
    public var epochs: Int
    /// Mean loss per positive example.
    public var loss: Double
    /// Summed loss (double precision).
    public var totalLoss: Double
    public var examples: Int
    public var seconds: Double
    public var tokensPerSecond: Double
    /// The learning rate the first thread had reached when the epoch ended: it falls linearly with
    /// the progress of the whole training (of all processes together when they train together),
    /// from ``TrainingConfig/alpha`` to its minimum at the end of the last epoch.
    public var learningRate = 0.0
    /// Data-parallel training (``Trainer/distribution``): synchronisations so far, the bytes each
    /// process sent for them, and the seconds they took (all 0 when the process trains alone).
    public var synchronizations = 0
    public var synchronizedBytes = 0
    public var synchronizationSeconds = 0.0
}

/// What a training reports while it runs.
public enum TrainingEvent: Sendable {
    /// Across processes only, once before the first epoch: how they will synchronise.
    case synchronizationPlan(SynchronizationPlan)
    case progress(TrainingProgress)
    case epochFinished(EpochResult)
}

/// Trains embeddings: epochs over the sequences, Hogwild threads, a linearly decaying learning
/// rate, sub-sampling, and the model's ``PairSource`` feeding the shared ``TrainingKernel``.
public struct Trainer: Sendable {
    public var config: TrainingConfig
    /// Training spread over several processes, each on its share of the sequences; `nil`: this
    /// process trains alone. Only the engine's own runs (skip-gram, CBOW and the models trained
    /// through ``run(sequences:counts:input:output:corpusTokens:source:sideData:onEvent:)``) use it.
    public var distribution: DataParallel? = nil

    public init(config: TrainingConfig, distribution: DataParallel? = nil) {
        self.config = config
        self.distribution = distribution
    }

    /// Trains a model on `corpus` with ``config``'s architecture.
    public func train(_ corpus: Corpus, onEvent: (@Sendable (TrainingEvent) -> Void)? = nil) throws -> EmbeddingModel {
        try config.validate()
        switch config.architecture {
        case .skipGram:
            return try train(
                corpus,
                source: SkipGramSource(
                    window: config.window,
                    mode: config.windowMode,
                    share: config.resolvedNegativeShare
                ),
                onEvent: onEvent
            )
        case .cbow:
            return try train(
                corpus,
                source: CBOWSource(window: config.window, mode: config.windowMode, mean: config.cbowMean),
                onEvent: onEvent
            )
        }
    }

    /// Trains a model on `corpus`, with `source` producing the examples.
    public func train<Source: PairSource>(
        _ corpus: Corpus,
        source: Source,
        onEvent: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> EmbeddingModel {
        try config.validate()
        let vocabulary = corpus.vocabulary
        let input = EmbeddingMatrix(rows: vocabulary.count, dim: config.dim)
        let output = EmbeddingMatrix(rows: vocabulary.count, dim: config.dim)
        Self.initialize(input, seed: config.seed)
        let summary = try run(
            sequences: corpus.sequences,
            counts: vocabulary.counts,
            input: input,
            output: output,
            corpusTokens: corpus.rawTokenCount,
            source: source,
            sideData: corpus,
            onEvent: onEvent
        )
        return EmbeddingModel(vocabulary: vocabulary, input: input, output: output, config: config, summary: summary)
    }

    /// Uniform in [−0.5/dim, 0.5/dim), as the word2vec tool starts its input vectors.
    static func initialize(_ m: EmbeddingMatrix, seed: UInt64) {
        var rng = FastRandom(seed: seed ^ 0x5EED_0F_1A7E_4B1E)
        let scale = 1 / Float(m.dim)
        for r in 0..<m.rows {
            let p = m.row(r)
            for c in 0..<m.dim { p[c] = (rng.nextUnitFloat() - 0.5) * scale }
        }
    }

    /// Runs the epochs over existing matrices (which lets models continue or share training).
    ///
    /// `counts` are the tokens the output layer predicts (output rows `0..<counts.count`): the
    /// negatives' distribution, the softmax's classes, or the leaves of the hierarchical softmax's
    /// tree (``HuffmanTree``, whose inner node `n` is output row `n`). Throws when the loss
    /// refuses that many tokens (see ``TrainingConfig/validateLoss(classes:)``). `sideData`: the
    /// corpus whose per-token and per-sequence data the source reads beside `sequences`; when it is
    /// mapped, its pages go back with the tokens' as the threads walk past them. When it holds
    /// one process's share of its input (``Corpus/processShare``), `sequences` are that share and
    /// this process trains them all; otherwise each process of ``distribution`` takes its share of
    /// `sequences`.
    public func run<Source: PairSource>(
        sequences: Sequences,
        counts: [Int64],
        input: EmbeddingMatrix,
        output: EmbeddingMatrix,
        corpusTokens: Int,
        source: Source,
        sideData: Corpus? = nil,
        onEvent: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> TrainingSummary {
        try config.validateLoss(classes: counts.count)
        let tree = config.resolvedLoss == .hierarchical ? HuffmanTree(counts: counts) : nil
        let threads = max(1, min(config.resolvedThreads, max(1, sequences.count)))
        let epochs = config.epochs
        let sampler = NegativeSampler(counts: counts, exponent: config.nsExponent)
        let subsampler = Subsampler(counts: counts, sample: config.sample)

        // The longest sequence, in one chunked pass that gives a mapped corpus's offset pages back
        // (a billion-token corpus of sessions has a gigabyte of offsets).
        var longest = 1
        var previousOffset: Int? = nil
        sequences.offsets.forEachChunk { chunk, _ in
            for o in chunk {
                if let p = previousOffset { longest = max(longest, o - p) }
                previousOffset = o
            }
        }

        // Across processes (``distribution``): this process's share of the sequences, split by
        // tokens like the threads' shards, and the rounds between synchronisations — as many in
        // every process (the most any share needs), so that the collective calls pair up.
        // A corpus each process read its own part of (``Corpus/processShare``) is that share whole.
        let group = distribution?.group ?? SingleProcess()
        let ranks = group.size
        // Across processes the merge may ask for a larger learning rate (model averaging:
        // ``DataParallel/resolvedLearningRateScale``).
        let alphaScale = ranks > 1 ? distribution!.resolvedLearningRateScale : 1
        let startAlpha = config.startAlpha * alphaScale
        let minAlpha = config.minAlpha * alphaScale
        let mine: Range<Int>
        let shareTokens: [Int]
        if let part = sideData?.processShare, ranks > 1 {
            guard part.size == ranks && part.rank == group.rank else {
                throw ConfigurationError(
                    setting: "distribution",
                    "the corpus is part \(part.rank) of \(part.size) of its input, but this process is \(group.rank) of \(ranks)"
                )
            }
            var counts = [Int64](repeating: 0, count: ranks)
            counts[group.rank] = Int64(sequences.tokenCount)
            try counts.withUnsafeMutableBufferPointer { try group.allReduceSum($0.baseAddress!, count: ranks) }
            shareTokens = counts.map { Int($0) }
            mine = 0..<sequences.count
        } else {
            let rankShares = Self.boundaries(sequences, within: 0..<sequences.count, parts: ranks)
            mine = rankShares[group.rank]..<rankShares[group.rank + 1]
            shareTokens = (0..<ranks).map {
                sequences.offsets[rankShares[$0 + 1]] - sequences.offsets[rankShares[$0]]
            }
        }
        // Tokens of all processes together: the learning rate's schedule and the figures count them.
        let allTokens = shareTokens.reduce(0, +)
        let total = max(1, allTokens * epochs)
        let rawPerToken = Double(corpusTokens) / Double(max(1, allTokens))
        // With hot synchronisations (``DataParallel/hotSyncEvery``) the rounds are that short, and
        // only every `fullEvery`-th (and the last) merges every row; the others merge the hot rows
        // alone: the first `hotRows` ids, the tokens frequent enough to occur in every short round.
        var rounds = 1
        var fullEvery = 1
        var hotRows = 0
        if let distribution, ranks > 1 {
            try distribution.validate()
            let syncEvery = distribution.fullInterval(largestShare: shareTokens.max() ?? 0)
            let step = min(distribution.hotSyncEvery ?? syncEvery, syncEvery)
            for tokens in shareTokens { rounds = max(rounds, (tokens + step - 1) / step) }
            var hotInterval: Int? = nil
            if let hot = distribution.hotSyncEvery, hot < syncEvery {
                fullEvery = max(1, syncEvery / hot)
                hotRows = counts.prefix { Int($0) * hot >= max(1, allTokens) }.count
                hotInterval = hot
            }
            onEvent?(
                .synchronizationPlan(
                    SynchronizationPlan(
                        processes: ranks,
                        fullInterval: syncEvery,
                        hotInterval: hotInterval,
                        hotRows: hotRows,
                        synchronizationsPerEpoch: rounds,
                        merge: distribution.merge,
                        learningRateScale: alphaScale,
                        startAlpha: startAlpha,
                        splitsSequences: source.canSplitSequences,
                        longestSequence: longest
                    )
                )
            )
        }
        // Rounds of equal token counts: cut inside a sequence when the source allows it, so that a
        // round is as long as asked even on long sequences; else at sequence starts.
        let roundRanges = Self.rounds(sequences, within: mine, parts: rounds, split: source.canSplitSequences)
        // The matrices as of the last synchronisation, which every process shares: each sends what it
        // changed since.
        let synced = ranks > 1 ? [input.copy(), output.copy()] : []

        // Row-wise Adagrad's sums of squares, 2 floats per row, only when asked for.
        let adagrad =
            config.optimizer == .adagrad
            ? AdagradAccumulators(inputRows: input.rows, outputRows: output.rows) : nil
        // Each thread's kernel (its random state and sums change on every window) and buffers on
        // cache lines of their own (``ThreadScratch``).
        let kernels = UnsafeMutablePointer<UnsafeMutablePointer<TrainingKernel>>.allocate(capacity: threads)
        let buffers = UnsafeMutablePointer<UnsafeMutablePointer<Int32>>.allocate(capacity: threads)
        let positionBuffers = UnsafeMutablePointer<UnsafeMutablePointer<Int>>.allocate(capacity: threads)
        for t in 0..<threads {
            kernels[t] = ThreadScratch.allocate(TrainingKernel.self, count: 1)
            kernels[t].initialize(
                to: TrainingKernel(
                    input: input,
                    output: output,
                    negative: config.negative,
                    sampler: sampler,
                    contextCapacity: longest,
                    seed: config.seed &+ UInt64(group.rank * threads + t + 1) &* 0x9E37_79B9_7F4A_7C15,
                    alpha: Float(startAlpha),
                    loss: config.resolvedLoss,
                    tree: tree,
                    classes: counts.count,
                    adagrad: adagrad
                )
            )
            buffers[t] = ThreadScratch.allocate(count: longest)
            positionBuffers[t] = ThreadScratch.allocate(count: longest)
        }
        defer {
            for t in 0..<threads {
                kernels[t].pointee.deallocate()
                kernels[t].deinitialize(count: 1)
                kernels[t].deallocate()
                buffers[t].deallocate()
                positionBuffers[t].deallocate()
            }
            kernels.deallocate()
            buffers.deallocate()
            positionBuffers.deallocate()
        }

        let done = Atomic<Int>(0)
        // The next piece of the round for a thread to take (``pieceCount(tokens:threads:)``).
        let nextPiece = Atomic<Int>(0)
        let clock = ContinuousClock()
        let start = clock.now
        var losses: [Double] = []
        var exampleCounts: [Int] = []
        let shared = SharedPointers(kernels: kernels, buffers: buffers, positions: positionBuffers)
        // Tokens trained by all processes, as of the last synchronisation (this process's alone
        // when it trains alone), and what the synchronisations cost so far.
        var globalDone = 0
        var synchronizations = 0
        var synchronizedBytes = 0
        var synchronizationSeconds = 0.0

        for epoch in 0..<epochs {
            let epochStart = clock.now
            let doneBefore = globalDone
            for t in 0..<threads {
                kernels[t].pointee.loss = 0
                kernels[t].pointee.examples = 0
            }
            for round in 0..<rounds {
                // The round in pieces of roughly equal token counts (the same every epoch), which
                // the threads take one at a time.
                let (roundTokens, roundSequences) = roundRanges[round]
                let pieces = Self.boundaries(
                    sequences,
                    within: roundSequences,
                    parts: Self.pieceCount(tokens: roundTokens.count, threads: threads)
                )
                nextPiece.store(0, ordering: .relaxed)
                let (globalBase, localBase) = (globalDone, done.load(ordering: .relaxed))
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    let kernel = shared.kernels[t]
                    let buffer = shared.buffers[t]
                    let positions = shared.positions[t]
                    var local = 0
                    var lastReport = clock.now
                    while true {
                        let piece = nextPiece.wrappingAdd(1, ordering: .relaxed).oldValue
                        if piece + 1 >= pieces.count { break }
                        let (first, end) = (pieces[piece], pieces[piece + 1])
                        // A mapped corpus's pages behind this thread go back every 16 MB of tokens.
                        var released = (token: max(sequences.offsets[first], roundTokens.lowerBound), sequence: first)
                        for s in first..<end {
                            // The round's part of the sequence: all of it unless the round ends inside.
                            let lo = max(sequences.offsets[s], roundTokens.lowerBound)
                            let hi = min(sequences.offsets[s + 1], roundTokens.upperBound)
                            var n = 0
                            sequences.tokens.withUnsafeBufferPointer { tokens in
                                if subsampler.isActive {
                                    for i in lo..<hi where subsampler.keep(tokens[i], &kernel.pointee.rng) {
                                        buffer[n] = tokens[i]
                                        positions[n] = i
                                        n += 1
                                    }
                                } else {
                                    for i in lo..<hi {
                                        buffer[i - lo] = tokens[i]
                                        positions[i - lo] = i
                                    }
                                    n = hi - lo
                                }
                            }
                            source.train(
                                SequenceSlice(
                                    tokens: UnsafeBufferPointer(start: buffer, count: n),
                                    positions: UnsafeBufferPointer(start: positions, count: n),
                                    index: s
                                ),
                                kernel: &kernel.pointee
                            )
                            local += hi - lo
                            if sequences.isMapped && (hi - released.token >= 1 << 22 || s + 1 == end) {
                                sequences.releasePages(
                                    tokens: released.token..<hi,
                                    sequences: released.sequence..<(s + 1)
                                )
                                sideData?.releaseSideDataPages(
                                    tokens: released.token..<hi,
                                    sequences: released.sequence..<(s + 1)
                                )
                                released = (hi, s + 1)
                            }
                            if local >= 10_000 || s + 1 == end {
                                // Progress of all processes: theirs as of the last synchronisation,
                                // and this round's as this process's times their number (exact alone).
                                let mine = done.wrappingAdd(local, ordering: .relaxed).newValue - localBase
                                let now = globalBase + mine * ranks
                                local = 0
                                let progress = min(1, Double(now) / Double(total))
                                kernel.pointee.alpha = Float(startAlpha - (startAlpha - minAlpha) * progress)
                                if t == 0, let onEvent, clock.now - lastReport > .milliseconds(500) {
                                    lastReport = clock.now
                                    let elapsed = Self.seconds(clock.now - start)
                                    let rate = elapsed > 0 ? Double(now) * rawPerToken / elapsed : 0
                                    let k = kernel.pointee
                                    onEvent(
                                        .progress(
                                            TrainingProgress(
                                                epoch: epoch + 1,
                                                epochs: epochs,
                                                fraction: progress,
                                                tokensPerSecond: rate,
                                                loss: k.examples > 0 ? k.loss / Double(k.examples) : 0,
                                                elapsedSeconds: elapsed,
                                                remainingSeconds: progress > 0 ? elapsed * (1 - progress) / progress : 0
                                            )
                                        )
                                    )
                                }
                            }
                        }
                    }
                }
                if ranks > 1 {
                    let syncStart = clock.now
                    let full = (round + 1) % fullEvery == 0 || round + 1 == rounds
                    synchronizedBytes += try synchronize(
                        [input, output],
                        since: synced,
                        group: group,
                        merge: distribution!.merge,
                        rows: full ? nil : hotRows
                    )
                    var counts: [Int64] = [Int64(done.load(ordering: .relaxed) - localBase)]
                    try counts.withUnsafeMutableBufferPointer { try group.allReduceSum($0.baseAddress!, count: 1) }
                    synchronizedBytes += MemoryLayout<Int64>.size
                    globalDone = globalBase + Int(counts[0])
                    synchronizations += 1
                    synchronizationSeconds += Self.seconds(clock.now - syncStart)
                } else {
                    globalDone = done.load(ordering: .relaxed)
                }
            }
            var totalLoss = 0.0
            var examples = 0
            for t in 0..<threads {
                totalLoss += kernels[t].pointee.loss
                examples += kernels[t].pointee.examples
            }
            if ranks > 1 {
                // Every process reports (and rank 0's file records) the loss of all of them.
                var sums = [totalLoss, Double(examples)]
                try sums.withUnsafeMutableBufferPointer { try group.allReduceSum($0.baseAddress!, count: 2) }
                totalLoss = sums[0]
                examples = Int(sums[1])
            }
            losses.append(examples > 0 ? totalLoss / Double(examples) : 0)
            exampleCounts.append(examples)
            if let onEvent {
                let seconds = Self.seconds(clock.now - epochStart)
                let processed = Double(globalDone - doneBefore) * rawPerToken
                var result = EpochResult(
                    epoch: epoch + 1,
                    epochs: epochs,
                    loss: losses.last!,
                    totalLoss: totalLoss,
                    examples: examples,
                    seconds: seconds,
                    tokensPerSecond: seconds > 0 ? processed / seconds : 0
                )
                result.learningRate = Double(kernels[0].pointee.alpha)
                result.synchronizations = synchronizations
                result.synchronizedBytes = synchronizedBytes
                result.synchronizationSeconds = synchronizationSeconds
                onEvent(.epochFinished(result))
            }
            // A diverged model (steps too large: the learning rate, or the merged steps of many
            // processes) is refused here rather than trained on and written. After the epoch's last,
            // full synchronisation every process holds the same matrices and loss, and decides alike.
            if Self.hasDiverged(loss: losses.last!, input: input, output: output) {
                if ranks > 1 {
                    throw ConfigurationError(
                        setting: "sync_merge",
                        "training across \(ranks) processes diverged in epoch \(epoch + 1) (a loss above 10⁶ an example, or infinite/NaN values in the model, after merging with \(distribution!.merge.rawValue)); \(distribution!.merge == .mean ? "" : "merge with mean, ")lower the learning rate (--alpha, or its scale across processes: --sync-alpha-scale), or synchronise more often (--sync-every, --sync-hot-every)"
                    )
                }
                throw ConfigurationError(
                    setting: "alpha",
                    "training diverged in epoch \(epoch + 1) (a loss above 10⁶ an example, or infinite/NaN values in the model); lower the learning rate"
                )
            }
        }
        let seconds = Self.seconds(clock.now - start)
        var summary = TrainingSummary(
            epochLosses: losses,
            epochExamples: exampleCounts,
            trainSeconds: seconds,
            corpusTokens: corpusTokens
        )
        if ranks > 1 {
            summary.processes = ranks
            summary.learningRateScale = alphaScale
        }
        return summary
    }

    /// An epoch's mean loss an example above which a model counts as diverged: a healthy model's
    /// is a few units (an untrained one's (1 + k)·ln 2 with k negatives); 10⁶ takes scores in the
    /// hundreds of thousands. Measured: CBOW across 8 processes at 8 times its learning rate ended
    /// its epochs at 5 × 10¹¹ … 10¹⁰ with every value finite.
    static let divergedLoss = 1e6

    /// Whether a training has diverged: its epoch's mean loss an example is not finite or above
    /// ``divergedLoss``, or a matrix holds an infinite or NaN value.
    static func hasDiverged(loss: Double, input: EmbeddingMatrix, output: EmbeddingMatrix) -> Bool {
        !(loss.isFinite && loss <= divergedLoss) || !input.isFinite || !output.isFinite
    }

    /// How many pieces a round of `tokens` is cut into for `threads` threads to take one at a time:
    /// one for a single thread (which then walks the corpus in order, as it always has); otherwise 64
    /// a thread, but none under 4,096 tokens. A thread that falls behind (preempted, or on a busier
    /// core) then holds the others up by what is left of one small piece at the end of the round,
    /// not by the rest of a fixed share: with a fixed half each, the faster of two threads waited
    /// 3–21 % of the epoch for the other (CBOW, 10 M tokens, 2 threads; docs/benchmarks.md).
    static func pieceCount(tokens: Int, threads: Int) -> Int {
        threads <= 1 ? 1 : max(threads, min(threads * 64, tokens / 4096))
    }

    /// The `parts` rounds of the sequences in `range`, as the tokens each trains and the sequences
    /// those overlap. With `split` (``PairSource/canSplitSequences``) the tokens are cut into runs
    /// of equal counts (to a token), a round's first and last sequence possibly in part, and
    /// sequences with no token in a round left out of it; otherwise each round is whole sequences,
    /// from the first whose offset reaches its share of the tokens (``boundaries(_:within:parts:)``).
    static func rounds(
        _ sequences: Sequences,
        within range: Range<Int>,
        parts: Int,
        split: Bool
    ) -> [(tokens: Range<Int>, sequences: Range<Int>)] {
        let offsets = sequences.offsets
        guard split else {
            let cuts = boundaries(sequences, within: range, parts: parts)
            return (0..<parts).map { p in (offsets[cuts[p]]..<offsets[cuts[p + 1]], cuts[p]..<cuts[p + 1]) }
        }
        func reaching(_ target: Int, from lo: Int) -> Int {
            firstSequence(sequences, reaching: target, in: lo..<range.upperBound)
        }
        let base = offsets[range.lowerBound]
        let span = offsets[range.upperBound] - base
        var result: [(tokens: Range<Int>, sequences: Range<Int>)] = []
        result.reserveCapacity(parts)
        var first = range.lowerBound
        for p in 0..<parts {
            let tokens = (base + span * p / parts)..<(base + span * (p + 1) / parts)
            if tokens.isEmpty {
                result.append((tokens, first..<first))
                continue
            }
            // The sequence holding the round's first token (the last whose offset is at most it,
            // past any empty ones), and the first sequence starting at or after its end.
            first = reaching(tokens.lowerBound + 1, from: first + 1) - 1
            let end = reaching(tokens.upperBound, from: first + 1)
            result.append((tokens, first..<end))
        }
        return result
    }

    /// `parts + 1` sequence indices splitting the sequences in `range` into `parts` runs of roughly
    /// equal token counts: part `p` starts at the first sequence whose offset reaches `p/parts` of
    /// the range's tokens (a binary search over the offsets).
    static func boundaries(_ sequences: Sequences, within range: Range<Int>, parts: Int) -> [Int] {
        var cuts = [Int](repeating: range.upperBound, count: parts + 1)
        cuts[0] = range.lowerBound
        let base = sequences.offsets[range.lowerBound]
        let span = sequences.offsets[range.upperBound] - base
        for p in 1..<max(1, parts) {
            cuts[p] = firstSequence(sequences, reaching: base + span * p / parts, in: cuts[p - 1]..<range.upperBound)
        }
        return cuts
    }

    /// The first sequence index in `range.lowerBound...range.upperBound` whose offset reaches
    /// `target` (`range.upperBound` when none before it does): a binary search over the offsets.
    static func firstSequence(_ sequences: Sequences, reaching target: Int, in range: Range<Int>) -> Int {
        var (lo, hi) = (range.lowerBound, range.upperBound)
        while lo < hi {
            let mid = (lo + hi) / 2
            if sequences.offsets[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Merges what the processes of `group` changed since the last synchronisation (`matrices` −
    /// `synced`) by `merge`, in every process; the result is both the matrices and the new `synced`.
    /// Returns the bytes this process sent (as many as it received).
    ///
    /// With ``DataParallel/Merge/changedMean`` a row one process alone changed (a rare item, seen
    /// in one shard) moves as far as that process moved it, and a row every process changed (a
    /// frequent item) by the mean of their steps, as model averaging does.
    ///
    /// The processes first all-reduce a count a row (how many changed it); when some rows were
    /// touched by none of them (a large catalog, short rounds), only the touched rows' changes are
    /// packed and all-reduced, otherwise the whole matrix (``DataParallel/packingThreshold``).
    /// With `rows`, only that many first rows are merged (a hot synchronisation); the others keep
    /// what they changed for the next full one.
    @discardableResult
    func synchronize(
        _ matrices: [EmbeddingMatrix],
        since synced: [EmbeddingMatrix],
        group: any ProcessGroup,
        merge: DataParallel.Merge = .changedMean,
        rows first: Int? = nil
    ) throws -> Int {
        var sent = 0
        for (whole, base) in zip(matrices, synced) {
            // `rows`: only the first rows (the hot ones) are merged; the others keep their changes.
            let m = (rows: min(first ?? whole.rows, whole.rows), stride: whole.stride)
            let (p, b, stride) = (whole.base, base.base, m.stride)
            // How many processes changed each row: 1 here when this one did. `p` becomes the change.
            var changed = [Float](repeating: 0, count: m.rows)
            for r in 0..<m.rows where Self.subtract(b + r * stride, from: p + r * stride, count: stride) {
                changed[r] = 1
            }
            try changed.withUnsafeMutableBufferPointer { try group.allReduceSum($0.baseAddress!, count: m.rows) }
            sent += m.rows * MemoryLayout<Float>.size
            let touched = changed.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
            func scale(_ r: Int) -> Float {
                switch merge {
                case .changedMean: 1 / max(1, changed[r])
                case .mean: 1 / Float(group.size)
                case .sum: 1
                }
            }
            if Double(touched) < DataParallel.packingThreshold * Double(m.rows) {
                // Only the rows someone touched travel; the others' change is zero everywhere.
                let packed = UnsafeMutablePointer<Float>.allocate(capacity: max(1, touched * stride))
                defer { packed.deallocate() }
                var k = 0
                for r in 0..<m.rows where changed[r] > 0 {
                    (packed + k * stride).update(from: p + r * stride, count: stride)
                    k += 1
                }
                try group.allReduceSum(packed, count: touched * stride)
                sent += touched * stride * MemoryLayout<Float>.size
                k = 0
                for r in 0..<m.rows {
                    let (row, old) = (p + r * stride, b + r * stride)
                    if changed[r] > 0 {
                        Self.apply(packed + k * stride, scaledBy: scale(r), to: old, into: row, count: stride)
                        k += 1
                    } else {
                        row.update(from: old, count: stride)
                    }
                }
            } else {
                try group.allReduceSum(p, count: m.rows * stride)
                sent += m.rows * stride * MemoryLayout<Float>.size
                for r in 0..<m.rows {
                    let row = p + r * stride
                    Self.apply(row, scaledBy: scale(r), to: b + r * stride, into: row, count: stride)
                }
            }
        }
        return sent
    }

    /// `p[i] -= b[i]` over `count` floats; whether any difference is non-zero. The test is an OR of
    /// bit patterns with the sign shifted out (−0 counts as 0), so the loop vectorises.
    @inline(__always)
    static func subtract(_ b: UnsafeMutablePointer<Float>, from p: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        var bits: UInt32 = 0
        for i in 0..<count {
            let d = p[i] - b[i]
            p[i] = d
            bits |= d.bitPattern &<< 1
        }
        return bits != 0
    }

    /// `row[i] = old[i] + change[i] · scale` and `old[i] = row[i]` over `count` floats (`change` may
    /// be `row`).
    @inline(__always)
    static func apply(
        _ change: UnsafeMutablePointer<Float>,
        scaledBy scale: Float,
        to old: UnsafeMutablePointer<Float>,
        into row: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        for i in 0..<count {
            let v = old[i] + change[i] * scale
            row[i] = v
            old[i] = v
        }
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}

/// The per-thread state, handed to the worker closure. Each thread touches only its own slot.
private struct SharedPointers: @unchecked Sendable {
    let kernels: UnsafeMutablePointer<UnsafeMutablePointer<TrainingKernel>>
    let buffers: UnsafeMutablePointer<UnsafeMutablePointer<Int32>>
    let positions: UnsafeMutablePointer<UnsafeMutablePointer<Int>>
}
