// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

#include "RecVecMPI.h"

// Only with the MPI trait (which defines RECVEC_WITH_MPI); otherwise nothing here is built or linked.
#if defined(RECVEC_WITH_MPI)

#include <limits.h>
#include <mpi.h>
#include <stdlib.h>

/// The most elements one MPI call moves (its counts are ints).
static const int64_t piece = INT_MAX / 2;

int recvec_mpi_init(void) {
    int provided = 0;
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
}

void recvec_mpi_finalize(void) { MPI_Finalize(); }

void recvec_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

int recvec_mpi_rank(void) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

int recvec_mpi_size(void) {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

static int allreduce(void *values, int64_t count, MPI_Datatype type, int64_t width) {
    char *p = values;
    for (int64_t done = 0; done < count; done += piece) {
        int64_t n = count - done < piece ? count - done : piece;
        int rc = MPI_Allreduce(MPI_IN_PLACE, p + done * width, (int)n, type, MPI_SUM, MPI_COMM_WORLD);
        if (rc != MPI_SUCCESS) return rc;
    }
    return MPI_SUCCESS;
}

int recvec_mpi_allreduce_float(float *values, int64_t count) {
    return allreduce(values, count, MPI_FLOAT, sizeof(float));
}

int recvec_mpi_allreduce_double(double *values, int64_t count) {
    return allreduce(values, count, MPI_DOUBLE, sizeof(double));
}

int recvec_mpi_allreduce_int64(int64_t *values, int64_t count) {
    return allreduce(values, count, MPI_INT64_T, sizeof(int64_t));
}

int recvec_mpi_allgather_count(int64_t count, int64_t *counts) {
    return MPI_Allgather(&count, 1, MPI_INT64_T, counts, 1, MPI_INT64_T, MPI_COMM_WORLD);
}

int recvec_mpi_allgatherv(const void *bytes, int64_t count, void *all, const int64_t *counts) {
    int size = recvec_mpi_size();
    int *lengths = malloc(sizeof(int) * (size_t)size);
    int *starts = malloc(sizeof(int) * (size_t)size);
    int64_t total = 0;
    for (int r = 0; r < size; r++) {
        lengths[r] = (int)counts[r];
        starts[r] = (int)total;
        total += counts[r];
    }
    int rc = -1;
    if (total <= INT_MAX) {
        rc = MPI_Allgatherv(bytes, (int)count, MPI_BYTE, all, lengths, starts, MPI_BYTE, MPI_COMM_WORLD);
    }
    free(lengths);
    free(starts);
    return rc;
}

int recvec_mpi_broadcast(void *bytes, int64_t count, int root) {
    char *p = bytes;
    for (int64_t done = 0; done < count; done += piece) {
        int64_t n = count - done < piece ? count - done : piece;
        int rc = MPI_Bcast(p + done, (int)n, MPI_BYTE, root, MPI_COMM_WORLD);
        if (rc != MPI_SUCCESS) return rc;
    }
    return MPI_SUCCESS;
}

#endif
