// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Data-parallel training across the processes of a ``ProcessGroup`` (Ji et al. 2016/2019,
/// "Parallelizing Word2Vec in Shared and Distributed Memory"): each process trains its shard of the
/// sequences with its own Hogwild threads, from the same initial model (same seed), and every
/// ``syncEvery`` tokens the processes replace both matrices by their average (an all-reduce). The
/// learning rate follows the progress of all processes together.
///
/// The whole matrices are averaged: the output matrix's rows are touched everywhere by the
/// negatives, so a list of touched rows would save little and cost a pass per token. Row-wise
/// Adagrad's accumulators stay each process's own.
public struct DataParallel: Sendable {
    /// The processes training together.
    public var group: any ProcessGroup
    /// Tokens (after sub-sampling is decided: the corpus's own) each process trains between two
    /// synchronisations. Default 1,000,000.
    public var syncEvery: Int

    public init(group: any ProcessGroup, syncEvery: Int = 1_000_000) {
        self.group = group
        self.syncEvery = syncEvery
    }

    /// Throws unless ``syncEvery`` is positive.
    public func validate() throws {
        if syncEvery < 1 { throw ConfigurationError(setting: "sync_every", "must be at least 1 token") }
    }

    /// Bytes each process sends (and receives) in one synchronisation of two `rows` × `stride`
    /// matrices: both matrices and the progress counter.
    public static func bytesPerSynchronization(rows: Int, stride: Int) -> Int {
        2 * rows * stride * MemoryLayout<Float>.size + MemoryLayout<Int64>.size
    }
}
