// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
// The system's MPI (Open MPI or MPICH), for the MPI trait only. Its include path comes from
// pkg-config ("mpi": Debian's libopenmpi-dev and libmpich-dev both provide it).
#include <mpi.h>
