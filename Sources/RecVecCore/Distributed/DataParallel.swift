// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Data-parallel training across the processes of a ``ProcessGroup`` (after Ji et al. 2016/2019,
/// "Parallelizing Word2Vec in Shared and Distributed Memory"): each process trains its shard of the
/// sequences with its own Hogwild threads, from the same initial model (same seed), and every
/// ``syncEvery`` tokens the processes merge what each changed since the last synchronisation (an
/// all-reduce) and carry on from the merged model. The learning rate follows the progress of all
/// processes together.
///
/// The default merge moves each row by the mean of the changes of the processes that changed it: a
/// rare item seen by one process keeps that process's whole step, a frequent item seen by all moves
/// by their mean (model averaging). Measured with 2 processes (docs/benchmarks.md): on yoochoose,
/// item2vec's hr@20 is that of one process (0.537 against 0.534); on Gutenberg, skip-gram's analogy
/// accuracy falls from 0.327 to 0.277 — a frequent word moves by the mean of two steps, as if the
/// learning rate were halved (one process at half the rate: 0.264). Summing the changes instead
/// (``Merge/sum``) applies every step but each computed without the others' for a whole round, and
/// does worse (0.138 at 1 M tokens a round, 0.248 at 25 k). Each process keeps one copy of both
/// matrices (the state at the last synchronisation) and sends one float a row more.
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
    /// synchronisations. Default 1,000,000.
    public var syncEvery: Int

    /// How the processes' changes are merged at a synchronisation. Default ``Merge/changedMean``.
    public var merge: Merge = .changedMean

    /// Ways of merging what the processes changed since the last synchronisation.
    public enum Merge: String, Sendable, CaseIterable {
        /// Each row moves by the mean change of the processes that changed it.
        case changedMean = "changed-mean"
        /// Each row moves by the mean change over all processes (model averaging).
        case mean
        /// Each row moves by the sum of the changes (every step applied, as Hogwild threads apply
        /// theirs, but each computed without the others' since the synchronisation).
        case sum
    }

    public init(group: any ProcessGroup, syncEvery: Int = 1_000_000, merge: Merge = .changedMean) {
        self.group = group
        self.syncEvery = syncEvery
        self.merge = merge
    }

    /// Throws unless ``syncEvery`` is positive.
    public func validate() throws {
        if syncEvery < 1 { throw ConfigurationError(setting: "sync_every", "must be at least 1 token") }
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
