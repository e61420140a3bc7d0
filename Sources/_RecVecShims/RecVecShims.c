// The inline shims are in include/RecVecShims.h; the matrix kernels in MatrixKernels.c.
