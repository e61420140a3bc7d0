// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Hierarchical softmax on whole windows (RecVecCore's TrainingKernel+Hierarchical), for x86-64 CPUs
// with AVX2 and FMA or AVX-512; each function carries its own target attribute and is called only when
// recvec_vector_level (MatrixKernels.c) says the CPU has it. The scores and the updates are written
// once (HierarchicalBody.h) and compiled for 8- and 16-float vectors; the steps (σ, log σ, elementwise)
// run the AVX2 code on both.
//
// In skip-gram every context vector v_c of a window predicts the same centre, so all of them walk
// the same path of inner-node vectors u_l (Ji et al. 2016, "Parallelizing word2vec in shared and
// distributed memory"): the window's work is three small matrix products instead of count × length
// separate dot products and axpys, which are limited by loads and stores, not by arithmetic:
//
//     S = V·Uᵀ (scores)    ΔV = G·U    ΔU = Gᵀ·V    (G: the steps, from S, computed by the caller)
//
// Matrices are given as a base pointer and row ids: row r of V is vbase + ids[r]·stride. Only the
// first n columns (a multiple of 8, at most stride) are read or written; on level 2 an n that is a
// multiple of 16 runs the AVX-512 loops, any other the AVX2 ones.

#include "RecVecShims.h"


#if defined(__x86_64__)
#include <immintrin.h>
#include "VectorReduce.h"

#define HS_AVX2 __attribute__((target("avx2,fma")))
#define HS_INLINE static inline __attribute__((always_inline))

// MARK: - Scores and updates, once per instruction set (HierarchicalBody.h)

// AVX2 and FMA: 8 lanes.
#define RECVEC_WIDTH 256
#include "VectorWidth.h"
#define HS_NAME(x) hs256_##x
#include "HierarchicalBody.h"
#undef HS_NAME
#undef RECVEC_WIDTH

// AVX-512 (foundation): 16 lanes; n is the stride (rows are padded with zeros to 16 floats).
#define RECVEC_WIDTH 512
#include "VectorWidth.h"
#define HS_NAME(x) hs512_##x
#include "HierarchicalBody.h"

// MARK: - The steps

// e^x for x in [−limit, 0] (limit ≤ 80): x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor
// polynomial to r⁷ (relative error below 3e-7), 2ⁿ put into the exponent bits.
HS_AVX2 HS_INLINE __m256 hs256_exp(__m256 x) {
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693145751953125f), x);  // ln 2 in two parts
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(1.428606765330187e-06f), r);
    __m256 p = _mm256_set1_ps(1.0f / 5040);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 720));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

// log(1 + e) for e in [0, 1]: 2·atanh(z) with z = e / (2 + e) ≤ 1/3, the series to z¹⁵ (absolute error
// below 2e-7).
HS_AVX2 HS_INLINE __m256 hs256_log1p(__m256 e) {
    __m256 z = _mm256_div_ps(e, _mm256_add_ps(e, _mm256_set1_ps(2)));
    __m256 z2 = _mm256_mul_ps(z, z);
    __m256 p = _mm256_set1_ps(2.0f / 15);
    p = _mm256_fmadd_ps(p, z2, _mm256_set1_ps(2.0f / 13));
    p = _mm256_fmadd_ps(p, z2, _mm256_set1_ps(2.0f / 11));
    p = _mm256_fmadd_ps(p, z2, _mm256_set1_ps(2.0f / 9));
    p = _mm256_fmadd_ps(p, z2, _mm256_set1_ps(2.0f / 7));
    p = _mm256_fmadd_ps(p, z2, _mm256_set1_ps(2.0f / 5));
    p = _mm256_fmadd_ps(p, z2, _mm256_set1_ps(2.0f / 3));
    p = _mm256_fmadd_ps(p, z2, _mm256_set1_ps(2.0f));
    return _mm256_mul_ps(p, z);
}

// The steps and the loss, eight scores at a time. σ and log σ are computed, not looked up (a table
// needs two gathers per value, slower than this arithmetic), with the clamping of RecVecCore's
// SigmoidTable: σ(f) = σ(±limit) beyond ±limit (σ(−limit) for NaN); log σ(x) = x below −limit,
// log σ(limit) above limit, −limit for NaN. Between, both are within about 1e-6 of the table.
HS_AVX2 static double hs256_steps(float *scores, long count, const uint8_t *codes, long length, float limit,
                                  float alpha) {
    __m256d loss0 = _mm256_setzero_pd(), loss1 = _mm256_setzero_pd();
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    const __m256 one = _mm256_set1_ps(1), lim = _mm256_set1_ps(limit), negLim = _mm256_set1_ps(-limit);
    for (long l0 = 0; l0 < length; l0 += 8) {
        long width = length - l0 < 8 ? length - l0 : 8;
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)width), lanes);
        int32_t code[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (long q = 0; q < width; q++) code[q] = codes[l0 + q];
        // A branch (code 1) is a negative label: label 0 and the loss of −s.
        __m256 negative = _mm256_castsi256_ps(
            _mm256_cmpeq_epi32(_mm256_loadu_si256((const __m256i *)code), _mm256_set1_epi32(1)));
        __m256 label = _mm256_andnot_ps(negative, one);
        __m256 flip = _mm256_and_ps(negative, signBit);
        for (long c = 0; c < count; c++) {
            float *row = scores + c * length + l0;
            __m256 f = _mm256_maskload_ps(row, mask);
            // e = e^−min(|f|, limit) (NaN: e^−limit); σ(|f|) = 1/(1 + e), σ(−|f|) = e/(1 + e).
            __m256 a = _mm256_min_ps(_mm256_andnot_ps(signBit, f), lim);
            __m256 e = hs256_exp(_mm256_xor_ps(a, signBit));
            __m256 q = _mm256_div_ps(one, _mm256_add_ps(one, e));
            __m256 positive = _mm256_cmp_ps(f, _mm256_setzero_ps(), _CMP_GE_OQ);
            __m256 sigma = _mm256_blendv_ps(_mm256_mul_ps(e, q), q, positive);
            // log σ(x) = min(x, 0) − log(1 + e^−|x|) for x = ±f.
            __m256 x = _mm256_xor_ps(f, flip);
            __m256 ls = _mm256_sub_ps(_mm256_min_ps(x, _mm256_setzero_ps()), hs256_log1p(e));
            __m256 inside = _mm256_cmp_ps(x, negLim, _CMP_GT_OQ);
            __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
            ls = _mm256_blendv_ps(_mm256_blendv_ps(x, negLim, nan), ls, inside);
            ls = _mm256_and_ps(ls, _mm256_castsi256_ps(mask));
            loss0 = _mm256_add_pd(loss0, _mm256_cvtps_pd(_mm256_castps256_ps128(ls)));
            loss1 = _mm256_add_pd(loss1, _mm256_cvtps_pd(_mm256_extractf128_ps(ls, 1)));
            __m256 g = _mm256_mul_ps(_mm256_sub_ps(label, sigma), _mm256_set1_ps(alpha));
            _mm256_maskstore_ps(row, mask, g);
        }
    }
    double out[4];
    _mm256_storeu_pd(out, _mm256_add_pd(loss0, loss1));
    return -((out[0] + out[1]) + (out[2] + out[3]));
}

void recvec_hs_scores(
    int level, const float *v, const int32_t *vids, long count, const float *u, const int32_t *uids, long length,
    long stride, long n, float *scores) {
    if (level >= 2 && n % 16 == 0)
        hs512_scores(v, vids, count, u, uids, length, stride, n, scores);
    else if (level >= 1)
        hs256_scores(v, vids, count, u, uids, length, stride, n, scores);
}

double recvec_hs_steps(int level, float *scores, long count, const uint8_t *codes, long length, float limit,
                       float alpha) {
    return level >= 1 ? hs256_steps(scores, count, codes, length, limit, alpha) : 0;
}

void recvec_hs_update(
    int level, const float *vsrc, float *vdst, const int32_t *vids, long count, float *u, const int32_t *uids,
    long length, long stride, long n, const float *g, bool updateU, float *scratch) {
    if (level >= 2 && n % 16 == 0)
        hs512_update(vsrc, vdst, vids, count, u, uids, length, stride, n, g, updateU, scratch);
    else if (level >= 1)
        hs256_update(vsrc, vdst, vids, count, u, uids, length, stride, n, g, updateU, scratch);
}

#else

// Other architectures: RecVecCore runs its portable Swift path and never calls these.
void recvec_hs_scores(
    int level, const float *v, const int32_t *vids, long count, const float *u, const int32_t *uids, long length,
    long stride, long n, float *scores) {
    (void)level, (void)v, (void)vids, (void)count, (void)u, (void)uids, (void)length, (void)stride, (void)n;
    (void)scores;
    __builtin_trap();
}

double recvec_hs_steps(int level, float *scores, long count, const uint8_t *codes, long length, float limit,
                       float alpha) {
    (void)level, (void)scores, (void)count, (void)codes, (void)length, (void)limit, (void)alpha;
    __builtin_trap();
}

void recvec_hs_update(
    int level, const float *vsrc, float *vdst, const int32_t *vids, long count, float *u, const int32_t *uids,
    long length, long stride, long n, const float *g, bool updateU, float *scratch) {
    (void)level, (void)vsrc, (void)vdst, (void)vids, (void)count, (void)u, (void)uids, (void)length, (void)stride;
    (void)n, (void)g, (void)updateU, (void)scratch;
    __builtin_trap();
}

#endif
