// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The processes of one run spread over several machines (or several processes of one): their
/// number, this process's place among them, and the collective operations training, evaluation
/// and tuning need.
///
/// The library knows nothing of the engine behind it: the `recvec` tool supplies one over MPI
/// (built with the `MPI` package trait and launched by `mpirun` or `srun`), tests an in-process one,
/// and ``SingleProcess`` is the group of one. Every process must make the same calls in the same
/// order (as MPI's collectives require); a process that fails ends the whole run, so a group never
/// waits on a peer that has gone.
public protocol ProcessGroup: Sendable {
    /// This process's place, `0..<size`; rank 0 writes the outputs.
    var rank: Int { get }
    /// How many processes the run has.
    var size: Int { get }

    /// Replaces `count` floats at `values`, in every process, by their sum over the processes.
    func allReduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) throws
    /// Replaces `count` doubles at `values`, in every process, by their sum over the processes.
    func allReduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) throws
    /// Replaces `count` integers at `values`, in every process, by their sum over the processes.
    func allReduceSum(_ values: UnsafeMutablePointer<Int64>, count: Int) throws
    /// Every process's `bytes`, in rank order, in every process.
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
    /// Rank `root`'s `bytes`, in every process (the others' arguments are ignored).
    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8]
}

extension ProcessGroup {
    /// Whether this process is rank 0, the one that writes files.
    public var isRoot: Bool { rank == 0 }

    /// Whether the run has more than one process.
    public var isDistributed: Bool { size > 1 }

    /// Rank 0's decision, in every process: `decide` runs on rank 0 only.
    public func decidedByRoot(_ decide: () throws -> Bool) throws -> Bool {
        let mine: [UInt8] = isRoot ? [try decide() ? 1 : 0] : [0]
        return try broadcast(mine, root: 0).first == 1
    }

    /// `count` consecutive items split into `size` contiguous parts of nearly equal size: this
    /// rank's part (the first `count % size` parts are one longer).
    public func share(of count: Int) -> Range<Int> { Self.share(of: count, rank: rank, size: size) }

    /// Rank `rank`'s part of `count` items split into `size` contiguous parts.
    public static func share(of count: Int, rank: Int, size: Int) -> Range<Int> {
        let base = count / size
        let extra = count % size
        let lo = rank * base + min(rank, extra)
        return lo..<(lo + base + (rank < extra ? 1 : 0))
    }
}

/// The group of one process: every collective returns its input.
public struct SingleProcess: ProcessGroup {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allReduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) throws {}
    public func allReduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) throws {}
    public func allReduceSum(_ values: UnsafeMutablePointer<Int64>, count: Int) throws {}
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { [bytes] }
    public func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] { bytes }
}
