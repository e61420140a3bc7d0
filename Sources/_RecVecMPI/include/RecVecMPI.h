// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// A few MPI calls behind plain C functions (MPI's handles are macros Swift cannot import), built
// only with the MPI package trait. Every call works on MPI_COMM_WORLD, whose errors are fatal: a
// failing call ends the whole job, as MPI's default handler does. Counts are 64-bit; the calls
// split larger buffers into pieces MPI's 32-bit counts can carry.
#ifndef RECVEC_MPI_H
#define RECVEC_MPI_H

#include <stdint.h>

/// Initialises MPI (threads: funneled, only the main thread calls MPI). Returns 0 on success.
int recvec_mpi_init(void);
/// Finalises MPI.
void recvec_mpi_finalize(void);
/// Ends every process of the job with `code`.
void recvec_mpi_abort(int code);
int recvec_mpi_rank(void);
int recvec_mpi_size(void);
/// Sums in place across the processes.
int recvec_mpi_allreduce_float(float *values, int64_t count);
int recvec_mpi_allreduce_double(double *values, int64_t count);
int recvec_mpi_allreduce_int64(int64_t *values, int64_t count);
/// Every process's `count` (one each, rank order) into `counts`.
int recvec_mpi_allgather_count(int64_t count, int64_t *counts);
/// Every process's bytes into `all`, in rank order; `counts` from recvec_mpi_allgather_count.
/// Returns -1 when the total exceeds what one MPI call can gather (2 GiB).
int recvec_mpi_allgatherv(const void *bytes, int64_t count, void *all, const int64_t *counts);
/// `count` bytes from `root` into `bytes` on every process.
int recvec_mpi_broadcast(void *bytes, int64_t count, int root);

#endif
