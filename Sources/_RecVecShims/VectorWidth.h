// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Private to the shim target, and included more than once on purpose (no include guard): the vector
// operations of one width, for the kernels written once for both widths (NegativeSamplingBody.h,
// HierarchicalBody.h). Define RECVEC_WIDTH as 256 (AVX2 and FMA) or 512 (AVX-512 foundation), then
// include it; it replaces the width defined before:
//   VW_VEC          the vector type (__m256, __m512)
//   VW_LANES        its floats (8, 16)
//   VW_TARGET       the attribute of the functions that use it (their `target`)
//   VW_LOAD(p), VW_STORE(p, x), VW_ZERO(), VW_SET1(x), VW_ADD(a, b), VW_MUL(a, b), VW_FMA(a, b, c) = a·b + c
//   VW_HALVES8(x)   x folded to 8 lanes for recvec_reduce8 (AVX2: x itself; AVX-512: recvec_halves512)
// The includer has included <immintrin.h> and VectorReduce.h.

#undef VW_VEC
#undef VW_LANES
#undef VW_TARGET
#undef VW_LOAD
#undef VW_STORE
#undef VW_ZERO
#undef VW_SET1
#undef VW_ADD
#undef VW_MUL
#undef VW_FMA
#undef VW_HALVES8

#if RECVEC_WIDTH == 256
#define VW_VEC __m256
#define VW_LANES 8
#define VW_TARGET __attribute__((target("avx2,fma")))
#define VW_LOAD(p) _mm256_loadu_ps(p)
#define VW_STORE(p, x) _mm256_storeu_ps(p, x)
#define VW_ZERO() _mm256_setzero_ps()
#define VW_SET1(x) _mm256_set1_ps(x)
#define VW_ADD(a, b) _mm256_add_ps(a, b)
#define VW_MUL(a, b) _mm256_mul_ps(a, b)
#define VW_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VW_HALVES8(x) (x)
#elif RECVEC_WIDTH == 512
#define VW_VEC __m512
#define VW_LANES 16
#define VW_TARGET __attribute__((target("avx512f,avx2,fma")))
#define VW_LOAD(p) _mm512_loadu_ps(p)
#define VW_STORE(p, x) _mm512_storeu_ps(p, x)
#define VW_ZERO() _mm512_setzero_ps()
#define VW_SET1(x) _mm512_set1_ps(x)
#define VW_ADD(a, b) _mm512_add_ps(a, b)
#define VW_MUL(a, b) _mm512_mul_ps(a, b)
#define VW_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define VW_HALVES8(x) recvec_halves512(x)
#else
#error "RECVEC_WIDTH must be 256 or 512"
#endif
