// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Private to the shim target: lane reductions shared by the vector kernels of MatrixKernels.c,
// HierarchicalKernels.c and NegativeSamplingKernels.c (each includes it inside its own
// `#if defined(__x86_64__)` block).

#ifndef RECVEC_VECTOR_REDUCE_H
#define RECVEC_VECTOR_REDUCE_H

#include <immintrin.h>

// The sums of the lanes of eight 8-lane vectors, in order: [Σv₀, …, Σv₇]. The same tree for each.
static inline __attribute__((always_inline, target("avx2,fma"))) __m256 recvec_reduce8(
    __m256 v0, __m256 v1, __m256 v2, __m256 v3, __m256 v4, __m256 v5, __m256 v6, __m256 v7) {
    __m256 t0 = _mm256_hadd_ps(v0, v1);
    __m256 t1 = _mm256_hadd_ps(v2, v3);
    __m256 t2 = _mm256_hadd_ps(v4, v5);
    __m256 t3 = _mm256_hadd_ps(v6, v7);
    __m256 u0 = _mm256_hadd_ps(t0, t1);
    __m256 u1 = _mm256_hadd_ps(t2, t3);
    __m256 low = _mm256_permute2f128_ps(u0, u1, 0x20);
    __m256 high = _mm256_permute2f128_ps(u0, u1, 0x31);
    return _mm256_add_ps(low, high);
}

// The two 8-lane halves of a 16-lane vector, added: [x₀ + x₈, …, x₇ + x₁₅].
static inline __attribute__((always_inline, target("avx512f,avx2,fma"))) __m256 recvec_halves512(__m512 x) {
    __m256 low = _mm512_castps512_ps256(x);
    __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1));
    return _mm256_add_ps(low, high);
}

#endif
