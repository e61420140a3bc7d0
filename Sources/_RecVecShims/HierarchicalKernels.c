// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Hierarchical softmax on whole windows (RecVecCore's TrainingKernel+Hierarchical), for x86-64 CPUs
// with AVX2 and FMA; each function carries its own target attribute and is called only when
// recvec_vector_level (MatrixKernels.c) says the CPU has them. AVX-512 CPUs run the same AVX2 code.
//
// In skip-gram every context vector v_c of a window predicts the same centre, so all of them walk
// the same path of inner-node vectors u_l (Ji et al. 2016, "Parallelizing word2vec in shared and
// distributed memory"): the window's work is three small matrix products instead of count × length
// separate dot products and axpys, which are limited by loads and stores, not by arithmetic:
//
//     S = V·Uᵀ (scores)    ΔV = G·U    ΔU = Gᵀ·V    (G: the steps, from S, computed by the caller)
//
// Matrices are given as a base pointer and row ids: row r of V is vbase + ids[r]·stride. Only the
// first n columns (a multiple of 8, at most stride) are read or written.

#include "RecVecShims.h"


#if defined(__x86_64__)
#include <immintrin.h>
#include "VectorReduce.h"

#define HS_AVX2 __attribute__((target("avx2,fma")))
#define HS_INLINE static inline __attribute__((always_inline))

// S[MR × 4] = the dot products of rows vr[0..<MR] (MR ≤ 2, a constant) with rows ur[0..<4]; the first
// `valid` columns are stored (past them ur repeats a row: computed, never stored).
HS_AVX2 HS_INLINE void hs256_score_tile(
    const int MR, const float *const vr[2], const float *const ur[4], long n, float *s, long lds, int valid) {
    __m256 x[2][4];
    for (int r = 0; r < 2; r++)
        for (int q = 0; q < 4; q++) x[r][q] = _mm256_setzero_ps();
    for (long p = 0; p < n; p += 8) {
        __m256 u[4];
        for (int q = 0; q < 4; q++) u[q] = _mm256_loadu_ps(ur[q] + p);
        for (int r = 0; r < MR; r++) {
            __m256 v = _mm256_loadu_ps(vr[r] + p);
            for (int q = 0; q < 4; q++) x[r][q] = _mm256_fmadd_ps(v, u[q], x[r][q]);
        }
    }
    __m256 sums = recvec_reduce8(x[0][0], x[0][1], x[0][2], x[0][3], x[1][0], x[1][1], x[1][2], x[1][3]);
    float out[8];
    _mm256_storeu_ps(out, sums);
    for (int r = 0; r < MR; r++)
        for (int q = 0; q < valid; q++) s[r * lds + q] = out[r * 4 + q];
}

HS_AVX2 static void hs256_scores(
    const float *v, const int32_t *vids, long count, const float *u, const int32_t *uids, long length, long stride,
    long n, float *scores) {
    for (long l0 = 0; l0 < length; l0 += 4) {
        int valid = (int)(length - l0 < 4 ? length - l0 : 4);
        const float *ur[4];
        for (int q = 0; q < 4; q++) ur[q] = u + (long)uids[l0 + (q < valid ? q : valid - 1)] * stride;
        long c = 0;
        for (; c + 2 <= count; c += 2) {
            const float *vr[2] = {v + (long)vids[c] * stride, v + (long)vids[c + 1] * stride};
            hs256_score_tile(2, vr, ur, n, scores + c * length + l0, length, valid);
        }
        if (c < count) {
            const float *vr[2] = {v + (long)vids[c] * stride, v + (long)vids[c] * stride};
            hs256_score_tile(1, vr, ur, n, scores + c * length + l0, length, valid);
        }
    }
}

// D[MR × 8·NV] at column `col` (MR ≤ 4, NV ≤ 2, constants): D_r = Σ_l G[r, l] · u_l, G row-major with
// row stride `ldg`; D's rows are `ldd` apart.
HS_AVX2 HS_INLINE void hs256_dv_tile(
    const int MR, const int NV, const float *g, long ldg, const float *u, const int32_t *uids, long length,
    long stride, long col, float *d, long ldd) {
    __m256 x[4][2];
    for (int r = 0; r < 4; r++)
        for (int k = 0; k < 2; k++) x[r][k] = _mm256_setzero_ps();
    for (long l = 0; l < length; l++) {
        const float *ul = u + (long)uids[l] * stride + col;
        __m256 u0 = _mm256_loadu_ps(ul);
        __m256 u1 = NV > 1 ? _mm256_loadu_ps(ul + 8) : u0;
        for (int r = 0; r < MR; r++) {
            __m256 s = _mm256_broadcast_ss(g + r * ldg + l);
            x[r][0] = _mm256_fmadd_ps(s, u0, x[r][0]);
            if (NV > 1) x[r][1] = _mm256_fmadd_ps(s, u1, x[r][1]);
        }
    }
    for (int r = 0; r < MR; r++) {
        _mm256_storeu_ps(d + r * ldd + col, x[r][0]);
        if (NV > 1) _mm256_storeu_ps(d + r * ldd + col + 8, x[r][1]);
    }
}

// U[QR × 8·NV] at column `col` (QR ≤ 4, NV ≤ 2): u_{l0+q} += Σ_c G[c, l0 + q] · v_c.
HS_AVX2 HS_INLINE void hs256_du_tile(
    const int QR, const int NV, const float *g, long ldg, long l0, const float *v, const int32_t *vids, long count,
    float *u, const int32_t *uids, long stride, long col) {
    __m256 x[4][2];
    float *ur[4];
    for (int q = 0; q < QR; q++) {
        ur[q] = u + (long)uids[l0 + q] * stride + col;
        x[q][0] = _mm256_loadu_ps(ur[q]);
        x[q][1] = NV > 1 ? _mm256_loadu_ps(ur[q] + 8) : x[q][0];
    }
    for (long c = 0; c < count; c++) {
        const float *vc = v + (long)vids[c] * stride + col;
        __m256 v0 = _mm256_loadu_ps(vc);
        __m256 v1 = NV > 1 ? _mm256_loadu_ps(vc + 8) : v0;
        for (int q = 0; q < QR; q++) {
            __m256 s = _mm256_broadcast_ss(g + c * ldg + l0 + q);
            x[q][0] = _mm256_fmadd_ps(s, v0, x[q][0]);
            if (NV > 1) x[q][1] = _mm256_fmadd_ps(s, v1, x[q][1]);
        }
    }
    for (int q = 0; q < QR; q++) {
        _mm256_storeu_ps(ur[q], x[q][0]);
        if (NV > 1) _mm256_storeu_ps(ur[q] + 8, x[q][1]);
    }
}

// ΔV for rows c0..<c0 + MR of every column block.
HS_AVX2 HS_INLINE void hs256_dv_rows(
    const int MR, const float *g, long ldg, const float *u, const int32_t *uids, long length, long stride, long n,
    float *d, long ldd) {
    long col = 0;
    for (; col + 16 <= n; col += 16) hs256_dv_tile(MR, 2, g, ldg, u, uids, length, stride, col, d, ldd);
    if (col < n) hs256_dv_tile(MR, 1, g, ldg, u, uids, length, stride, col, d, ldd);
}

// ΔU for nodes l0..<l0 + QR, added in place, of every column block.
HS_AVX2 HS_INLINE void hs256_du_rows(
    const int QR, const float *g, long ldg, long l0, const float *v, const int32_t *vids, long count, float *u,
    const int32_t *uids, long stride, long n) {
    long col = 0;
    for (; col + 16 <= n; col += 16) hs256_du_tile(QR, 2, g, ldg, l0, v, vids, count, u, uids, stride, col);
    if (col < n) hs256_du_tile(QR, 1, g, ldg, l0, v, vids, count, u, uids, stride, col);
}

HS_AVX2 static void hs256_update(
    const float *vsrc, float *vdst, const int32_t *vids, long count, float *u, const int32_t *uids, long length,
    long stride, long n, const float *g, bool updateU, float *scratch) {
    // 1. ΔV = G·U from the old U, into scratch (count × n).
    long c = 0;
    for (; c + 4 <= count; c += 4)
        hs256_dv_rows(4, g + c * length, length, u, uids, length, stride, n, scratch + c * n, n);
    if (count - c >= 2) {
        hs256_dv_rows(2, g + c * length, length, u, uids, length, stride, n, scratch + c * n, n);
        c += 2;
    }
    if (c < count) hs256_dv_rows(1, g + c * length, length, u, uids, length, stride, n, scratch + c * n, n);
    // 2. U += Gᵀ·V from the old V (the nodes of a path are distinct rows).
    if (updateU) {
        long l = 0;
        for (; l + 4 <= length; l += 4) hs256_du_rows(4, g, length, l, vsrc, vids, count, u, uids, stride, n);
        if (length - l >= 2) {
            hs256_du_rows(2, g, length, l, vsrc, vids, count, u, uids, stride, n);
            l += 2;
        }
        if (l < length) hs256_du_rows(1, g, length, l, vsrc, vids, count, u, uids, stride, n);
    }
    // 3. V += ΔV, one row after the other (a window may hold one id twice: both steps land).
    for (c = 0; c < count; c++) {
        float *row = vdst + (long)vids[c] * stride;
        const float *delta = scratch + c * n;
        for (long p = 0; p < n; p += 8)
            _mm256_storeu_ps(row + p, _mm256_add_ps(_mm256_loadu_ps(row + p), _mm256_loadu_ps(delta + p)));
    }
}


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
    if (level >= 1) hs256_scores(v, vids, count, u, uids, length, stride, n, scores);
}

double recvec_hs_steps(int level, float *scores, long count, const uint8_t *codes, long length, float limit,
                       float alpha) {
    return level >= 1 ? hs256_steps(scores, count, codes, length, limit, alpha) : 0;
}

void recvec_hs_update(
    int level, const float *vsrc, float *vdst, const int32_t *vids, long count, float *u, const int32_t *uids,
    long length, long stride, long n, const float *g, bool updateU, float *scratch) {
    if (level >= 1) hs256_update(vsrc, vdst, vids, count, u, uids, length, stride, n, g, updateU, scratch);
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
