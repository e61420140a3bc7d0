// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

#if MPI
import RecVecCore
import _RecVecMPI

/// The processes of an MPI job (`mpirun`, `srun`): ``ProcessGroup`` over MPI_COMM_WORLD. Built with
/// the `MPI` package trait only. MPI's errors are fatal (its default handler ends the job).
struct MPIProcessGroup: ProcessGroup {
    let rank: Int
    let size: Int

    /// Initialises MPI; call once, before any other MPI call.
    static func start() throws -> MPIProcessGroup {
        guard recvec_mpi_init() == 0 else {
            throw ClusterError("MPI could not be initialised (is this process started by mpirun or srun?)")
        }
        return MPIProcessGroup(rank: Int(recvec_mpi_rank()), size: Int(recvec_mpi_size()))
    }

    func allReduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) throws {
        try check(recvec_mpi_allreduce_float(values, Int64(count)), "all-reduce")
    }

    func allReduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) throws {
        try check(recvec_mpi_allreduce_double(values, Int64(count)), "all-reduce")
    }

    func allReduceSum(_ values: UnsafeMutablePointer<Int64>, count: Int) throws {
        try check(recvec_mpi_allreduce_int64(values, Int64(count)), "all-reduce")
    }

    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var counts = [Int64](repeating: 0, count: size)
        try check(recvec_mpi_allgather_count(Int64(bytes.count), &counts), "all-gather")
        var all = [UInt8](repeating: 0, count: Int(counts.reduce(0, +)))
        try bytes.withUnsafeBytes { mine in
            try all.withUnsafeMutableBytes { out in
                try check(
                    recvec_mpi_allgatherv(mine.baseAddress, Int64(bytes.count), out.baseAddress, counts),
                    "all-gather of \(out.count) bytes"
                )
            }
        }
        var parts: [[UInt8]] = []
        var at = 0
        for c in counts {
            parts.append(Array(all[at..<(at + Int(c))]))
            at += Int(c)
        }
        return parts
    }

    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] {
        var count = [Int64(bytes.count)]
        try check(recvec_mpi_broadcast(&count, 8, Int32(root)), "broadcast")
        var out = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count[0]))
        try out.withUnsafeMutableBytes {
            try check(recvec_mpi_broadcast($0.baseAddress, count[0], Int32(root)), "broadcast")
        }
        return out
    }

    private func check(_ code: Int32, _ what: String) throws {
        if code != 0 { throw ClusterError("MPI \(what) failed (code \(code))") }
    }
}
#endif
