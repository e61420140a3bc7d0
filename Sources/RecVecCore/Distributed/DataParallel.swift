// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Data-parallel training across the processes of a ``ProcessGroup`` (after Ji et al. 2016/2019,
/// "Parallelizing Word2Vec in Shared and Distributed Memory"): each process trains its shard of the
/// sequences with its own Hogwild threads, from the same initial model (same seed), and every
/// ``syncEvery`` tokens the processes merge what each changed since the last synchronisation (an
/// all-reduce) and carry on from the merged model. The learning rate follows the progress of all
/// processes together.
///
/// The default merge averages the processes' changes (``Merge/mean``, model averaging) and each
/// process trains at the learning rate times the number of processes, up to 4 times
/// (``learningRateScale``): a row that moves steadily moves as far in a round as one process
/// would have moved it over all the processes' tokens, and a row that each process brought to its
/// optimum within the round (a frequent word) lands at the mean of those optima instead of
/// overshooting it. Adding the changes up (``Merge/sum``) applies every step, as Hogwild threads
/// do, but the rows each process settles within a round are moved N times too far: with 4
/// processes it diverged on Gutenberg even with full synchronisations every 100 k tokens. Measured
/// on Gutenberg (docs/benchmarks.md, skip-gram, 3 epochs, analogy accuracy; one process 0.327):
/// 2 processes — mean 0.332, sum 0.318, changed-mean 0.263; 4 processes — mean 0.334, sum
/// diverged, changed-mean 0.157; 8 processes — mean at × 4 0.270, at × 8 0.256 (6 epochs: 0.362
/// and 0.330, one process 0.370). CBOW (one process 0.312): 0.297 with 2 processes (sum alike),
/// 0.277 with 4, and with 8 0.226 at × 4 where × 8 nearly diverged (0.022): past 4, the per-step
/// learning rate costs more than the averaged steps' slower pace, hence the cap
/// (``automaticLearningRateScaleLimit``); with 8 or more processes give more epochs. Those are one
/// seed each, and a seed moves the accuracy by about ±0.01: paired over 16 seeds, 2 processes are
/// 0.0055 ± 0.0038 behind one with skip-gram and 0.0087 ± 0.0052 with CBOW (95 % intervals). On
/// yoochoose (item2vec) 2 processes are within 0.01 of one (hr@20 +0.0095 ± 0.0025 over 20 splits
/// × seeds). A
/// training that diverges stops at the epoch's end with an error naming the merge, and writes
/// nothing.
///
/// Frequent words change in every round, so their rows (the hot rows) are also merged every
/// ``hotSyncEvery`` tokens, which costs little. Each process keeps one copy of both matrices
/// (the state at the last synchronisation) and sends one float a row more.
///
/// Only the rows some process touched since the last synchronisation are exchanged (after an
/// all-reduce of a count a row), or the whole matrices when nearly every row was touched (the
/// output matrix's rows are reached everywhere by the negatives; a small catalog's input rows by
/// every round) — see ``packingThreshold``. Row-wise Adagrad's accumulators stay each process's
/// own.
public struct DataParallel: Sendable {
    /// The processes training together.
    public var group: any ProcessGroup
    /// Tokens (after sub-sampling is decided: the corpus's own) each process trains between two
    /// synchronisations. Default 1,000,000 — shortened on a small corpus, see
    /// ``minimumSynchronizationsPerEpoch``.
    public var syncEvery: Int

    /// The fewest full synchronisations an epoch: when the largest process's share of an epoch
    /// holds fewer than this many times ``syncEvery`` tokens, the full synchronisations come every
    /// share ÷ this many tokens instead (rounded up), so that the processes never train a whole
    /// epoch apart. `nil`: ``syncEvery`` as given. Default 4. Measured on yoochoose (item2vec,
    /// 2 processes, 30 k tokens each an epoch, 20 splits × seeds): hr@20 −0.008 ± 0.003 against
    /// one process with one full synchronisation an epoch, −0.003 ± 0.003 with four.
    public var minimumSynchronizationsPerEpoch: Int? = 4

    /// How the processes' changes are merged at a synchronisation. Default ``Merge/mean``.
    public var merge: Merge = .mean

    /// What each process multiplies the learning rate (its start and its minimum) by. `nil`
    /// (default): the number of processes with ``Merge/mean``, at most
    /// ``automaticLearningRateScaleLimit`` — the mean of N changes each made at N times the rate
    /// moves a steadily moving row as far as one process's would at the rate over the same tokens
    /// (the linear scaling rule) — and 1 with the other merges, which do not divide a row's change
    /// by the number of processes that made it. See ``resolvedLearningRateScale``.
    public var learningRateScale: Double? = nil

    /// Tokens each process trains between two synchronisations of the hot rows alone — the tokens
    /// frequent enough to occur at least once in that many tokens of the corpus (the first ids:
    /// the vocabulary is sorted by count) — between the full ones every ``syncEvery`` (after Ji et
    /// al. 2019's more frequent synchronisation of frequent words). Frequent words change in every
    /// short round and their merged step goes stale first; the hot rows are few, so this costs
    /// little. Default 25,000; `nil` (or at least ``syncEvery``): every synchronisation is a full one.
    /// Measured (CBOW on Gutenberg, 2 processes against one, 3 epochs, 16 seeds, analogy accuracy):
    /// −0.0087 ± 0.0052 with hot rows every 25,000 tokens, −0.0100 ± 0.0040 every 5,000, and
    /// −0.0215 ± 0.0042 without them.
    public var hotSyncEvery: Int? = 25_000

    /// Ways of merging what the processes changed since the last synchronisation.
    public enum Merge: String, Sendable, CaseIterable {
        /// Each row moves by the mean change of the processes that changed it.
        case changedMean = "changed-mean"
        /// Each row moves by the mean change over all processes (model averaging); with
        /// ``DataParallel/learningRateScale`` at its default the processes train at N times the
        /// learning rate (at most 4 times).
        case mean
        /// Each row moves by the sum of the changes (every step applied, as Hogwild threads apply
        /// theirs, but each computed without the others' since the synchronisation).
        case sum
    }

    public init(group: any ProcessGroup, syncEvery: Int = 1_000_000, merge: Merge = .mean) {
        self.group = group
        self.syncEvery = syncEvery
        self.merge = merge
    }

    /// The largest factor ``resolvedLearningRateScale`` chooses by itself: 4. With 8 processes on
    /// Gutenberg (3 epochs) × 4 reached 0.270 analogy accuracy with skip-gram and 0.226 with CBOW,
    /// × 8 0.256 and 0.022 (CBOW's loss near divergence): one step at 8 times the rate does more
    /// harm than the slower pace of the averaged steps.
    public static let automaticLearningRateScaleLimit = 4.0

    /// The factor each process's learning rate is multiplied by: ``learningRateScale``, or by
    /// default the number of processes (at most ``automaticLearningRateScaleLimit``) with
    /// ``Merge/mean`` and 1 with the other merges.
    public var resolvedLearningRateScale: Double {
        learningRateScale ?? (merge == .mean ? min(Double(group.size), Self.automaticLearningRateScaleLimit) : 1)
    }

    /// Throws unless ``syncEvery``, ``hotSyncEvery``, ``minimumSynchronizationsPerEpoch`` and
    /// ``learningRateScale`` are positive.
    public func validate() throws {
        if let scale = learningRateScale, !(scale > 0 && scale.isFinite) {
            throw ConfigurationError(setting: "sync_alpha_scale", "must be a positive number")
        }
        if syncEvery < 1 { throw ConfigurationError(setting: "sync_every", "must be at least 1 token") }
        if let m = minimumSynchronizationsPerEpoch, m < 1 {
            throw ConfigurationError(setting: "minimum_synchronizations_per_epoch", "must be at least 1 (or off)")
        }
        if let hot = hotSyncEvery, hot < 1 {
            throw ConfigurationError(setting: "sync_hot_every", "must be at least 1 token (or off)")
        }
    }

    /// Tokens each process trains between two full synchronisations when the largest process's
    /// share of an epoch is `largestShare` tokens: ``syncEvery``, or less on a small corpus (see
    /// ``minimumSynchronizationsPerEpoch``); at least 1.
    public func fullInterval(largestShare: Int) -> Int {
        guard let m = minimumSynchronizationsPerEpoch else { return syncEvery }
        return max(1, min(syncEvery, (largestShare + m - 1) / m))
    }

    /// A matrix's touched rows are packed and exchanged alone when fewer than this share of its
    /// rows was touched by any process; otherwise the whole matrix goes (packing would copy nearly
    /// all of it to save little).
    public static let packingThreshold = 0.9

    /// Bytes each process sends (and receives) in one synchronisation of two `rows` × `stride`
    /// matrices of which `touched` rows (of the two together; default all) were changed by some
    /// process: a count a row of each, the touched rows (or whole matrices, see
    /// ``packingThreshold``), and the progress counter.
    public static func bytesPerSynchronization(rows: Int, stride: Int, touched: (input: Int, output: Int)? = nil) -> Int
    {
        func matrix(_ t: Int) -> Int {
            (rows + (Double(t) < packingThreshold * Double(rows) ? t : rows) * stride) * MemoryLayout<Float>.size
        }
        return matrix(touched?.input ?? rows) + matrix(touched?.output ?? rows) + MemoryLayout<Int64>.size
    }
}
