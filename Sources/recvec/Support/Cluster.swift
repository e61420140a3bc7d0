// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RecVecCore

#if MPI
import _RecVecMPI
#endif

/// The processes this run of `recvec` is one of: an MPI job's when `mpirun` or `srun` started it
/// and the tool was built with the `MPI` trait, this process alone otherwise.
enum Cluster {
    /// Set once by ``start()``, before any command runs; read-only afterwards.
    nonisolated(unsafe) private(set) static var group: any ProcessGroup = SingleProcess()
    nonisolated(unsafe) private static var startedMPI = false

    /// Joins the MPI job when a launcher started this process; refuses to run as one of several
    /// processes without MPI (each would train alone and write the same files).
    static func start() throws {
        guard let size = launcherSize else { return }
        #if MPI
        group = try MPIProcessGroup.start()
        startedMPI = true
        #else
        if size > 1 {
            throw ClusterError(
                "started as one of \(size) processes, but this recvec was built without MPI: "
                    + "build it with `swift build -c release --traits MPI`"
            )
        }
        #endif
    }

    /// The size of the job a launcher (Open MPI's mpirun, MPICH's Hydra, Slurm's PMI/PMIx) says this
    /// process belongs to; `nil` when none started it.
    static var launcherSize: Int? {
        let environment = ProcessInfo.processInfo.environment
        for name in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_NTASKS"] {
            if let value = environment[name], let size = Int(value) { return size }
        }
        return environment["PMIX_RANK"] != nil ? 1 : nil
    }

    /// "[rank R/N] " before every line of a process of a job of several; empty otherwise.
    static var prefix: String { group.isDistributed ? "[rank \(group.rank)/\(group.size)] " : "" }

    /// Leaves the MPI job after a command that succeeded.
    static func finish() {
        #if MPI
        if startedMPI { recvec_mpi_finalize() }
        #endif
    }

    /// Ends every process of the job: one process's failure must not leave the others waiting in a
    /// collective. No output is half-written: rank 0 writes files through a temporary and renames.
    static func abortJob(code: Int32) -> Never {
        #if MPI
        if startedMPI { recvec_mpi_abort(code) }
        #endif
        exit(code)
    }

    /// Throws unless the job runs in one process: for work that cannot be spread over several.
    static func requireSingleProcess(_ what: String) throws {
        if group.isDistributed {
            throw ClusterError("\(what) runs in one process; start it without mpirun (or with -np 1)")
        }
    }
}

/// A problem of the job itself (MPI, the launcher, a model that cannot be distributed).
struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
