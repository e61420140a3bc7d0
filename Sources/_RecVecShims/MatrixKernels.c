// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Register-tiled single-precision matrix products for x86-64 CPUs with AVX2 and FMA, or AVX-512.
// Each function carries its own `target` attribute, so the package builds for baseline x86-64 (and
// arm64, where only the stubs at the end are compiled); RecVecCore's `VectorKernel` asks the CPU at
// run time (recvec_vector_level) and calls a variant only when the CPU has it.
//
// Summation order, the property MatrixProducts documents: every element of a result is computed
// by the same chain of operations wherever it lies in the tiling, so splitting rows or columns
// over threads never changes a number.
// - A·B and Aᵀ·B: c = c₀ + a₀b₀ + a₁b₁ + … one fused multiply-add per p, p in order (c₀ = 0, or C
//   when accumulating). Blocking k only stores and reloads the running sum, which is exact: the
//   AVX2 and AVX-512 variants give identical results.
// - A·Bᵀ: dot products along k in vector lanes (lane l sums p ≡ l mod the width, in order), then a
//   fixed reduction tree over the lanes, then the result is added to C when accumulating. The AVX2
//   and AVX-512 variants differ (8 against 16 lanes), within float rounding.

#include "RecVecShims.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "VectorReduce.h"

int recvec_vector_level(void) {
    __builtin_cpu_init();
    int level = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        level = 1;
        if (__builtin_cpu_supports("avx512f")) level = 2;
    }
    return level;
}

#define RV_AVX2 __attribute__((target("avx2,fma")))
#define RV_AVX512 __attribute__((target("avx512f,avx2,fma")))
#define RV_INLINE static inline __attribute__((always_inline))
// k is cut into blocks of this many steps in A·B and Aᵀ·B, so a panel of B stays in L1.
#define RV_KC 256

static inline long rv_min(long a, long b) { return a < b ? a : b; }

// MARK: - AVX-512

// C[MR × 32] (masked to `nr` ≤ 32 columns) over `kc` steps of p, A(i, p) = a[i·rsA + p·csA],
// B(p, j) = b[p·ldb + j]. MR is a constant at every call site, so the loops unroll and the
// accumulators live in registers.
RV_AVX512 RV_INLINE void rv512_tile(
    const int MR, long kc, const float *a, long rsA, long csA, const float *b, long ldb, int nr, float *c, long ldc,
    int loadC) {
    __mmask16 m0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1);
    __mmask16 m1 = nr >= 32 ? (__mmask16)0xFFFF : nr <= 16 ? (__mmask16)0 : (__mmask16)((1u << (nr - 16)) - 1);
    __m512 x0[8], x1[8];
    for (int r = 0; r < MR; r++) {
        if (loadC) {
            x0[r] = _mm512_maskz_loadu_ps(m0, c + r * ldc);
            x1[r] = _mm512_maskz_loadu_ps(m1, c + r * ldc + 16);
        } else {
            x0[r] = _mm512_setzero_ps();
            x1[r] = _mm512_setzero_ps();
        }
    }
    for (long p = 0; p < kc; p++) {
        const float *bp = b + p * ldb;
        const float *ap = a + p * csA;
        __m512 b0 = _mm512_maskz_loadu_ps(m0, bp);
        __m512 b1 = _mm512_maskz_loadu_ps(m1, bp + 16);
        for (int r = 0; r < MR; r++) {
            __m512 s = _mm512_set1_ps(ap[r * rsA]);
            x0[r] = _mm512_fmadd_ps(s, b0, x0[r]);
            x1[r] = _mm512_fmadd_ps(s, b1, x1[r]);
        }
    }
    for (int r = 0; r < MR; r++) {
        _mm512_mask_storeu_ps(c + r * ldc, m0, x0[r]);
        _mm512_mask_storeu_ps(c + r * ldc + 16, m1, x1[r]);
    }
}

// C (m × n) (+)= A·B with A(i, p) = a[i·rsA + p·csA] and B(p, j) = b[p·ldb + j].
RV_AVX512 static void rv512_gemm(
    long m, long n, long k, const float *a, long rsA, long csA, const float *b, long ldb, float *c, long ldc,
    int accumulate) {
    for (long p0 = 0; p0 < k; p0 += RV_KC) {
        long kc = rv_min(RV_KC, k - p0);
        int loadC = accumulate || p0 > 0;
        for (long j0 = 0; j0 < n; j0 += 32) {
            int nr = (int)rv_min(32, n - j0);
            const float *bj = b + p0 * ldb + j0;
            long i0 = 0;
            for (; i0 + 8 <= m; i0 += 8)
                rv512_tile(8, kc, a + i0 * rsA + p0 * csA, rsA, csA, bj, ldb, nr, c + i0 * ldc + j0, ldc, loadC);
            if (m - i0 >= 4) {
                rv512_tile(4, kc, a + i0 * rsA + p0 * csA, rsA, csA, bj, ldb, nr, c + i0 * ldc + j0, ldc, loadC);
                i0 += 4;
            }
            if (m - i0 >= 2) {
                rv512_tile(2, kc, a + i0 * rsA + p0 * csA, rsA, csA, bj, ldb, nr, c + i0 * ldc + j0, ldc, loadC);
                i0 += 2;
            }
            if (m - i0 >= 1)
                rv512_tile(1, kc, a + i0 * rsA + p0 * csA, rsA, csA, bj, ldb, nr, c + i0 * ldc + j0, ldc, loadC);
        }
    }
}

// C[MR × NR] of A·Bᵀ: rows ar[r] of A and br[s] of B, k long; NR = 4, MR ≤ 4 (constant). `valid`
// columns of the NR are stored.
RV_AVX512 RV_INLINE void rv512_dot_tile(
    const int MR, long k, const float *a, long lda, const float *const br[4], int valid, float *c, long ldc,
    int accumulate) {
    __m512 x[4][4];
    for (int r = 0; r < MR; r++)
        for (int s = 0; s < 4; s++) x[r][s] = _mm512_setzero_ps();
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        __m512 vb[4];
        for (int s = 0; s < 4; s++) vb[s] = _mm512_loadu_ps(br[s] + p);
        for (int r = 0; r < MR; r++) {
            __m512 va = _mm512_loadu_ps(a + r * lda + p);
            for (int s = 0; s < 4; s++) x[r][s] = _mm512_fmadd_ps(va, vb[s], x[r][s]);
        }
    }
    if (p < k) {
        __mmask16 mask = (__mmask16)((1u << (k - p)) - 1);
        __m512 vb[4];
        for (int s = 0; s < 4; s++) vb[s] = _mm512_maskz_loadu_ps(mask, br[s] + p);
        for (int r = 0; r < MR; r++) {
            __m512 va = _mm512_maskz_loadu_ps(mask, a + r * lda + p);
            for (int s = 0; s < 4; s++) x[r][s] = _mm512_fmadd_ps(va, vb[s], x[r][s]);
        }
    }
    for (int r = 0; r < MR; r += 2) {
        __m256 zero = _mm256_setzero_ps();
        __m256 second[4];
        for (int s = 0; s < 4; s++) second[s] = r + 1 < MR ? recvec_halves512(x[r + 1][s]) : zero;
        __m256 sums = recvec_reduce8(recvec_halves512(x[r][0]), recvec_halves512(x[r][1]), recvec_halves512(x[r][2]),
                                 recvec_halves512(x[r][3]), second[0], second[1], second[2], second[3]);
        float out[8];
        _mm256_storeu_ps(out, sums);
        for (int rr = 0; rr < 2 && r + rr < MR; rr++) {
            float *cr = c + (r + rr) * ldc;
            for (int s = 0; s < valid; s++) cr[s] = accumulate ? cr[s] + out[rr * 4 + s] : out[rr * 4 + s];
        }
    }
}

// C (m × n) (+)= A·Bᵀ, A m × k (lda), B n × k (ldb).
RV_AVX512 static void rv512_gemm_nt(
    long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc, int accumulate) {
    for (long j0 = 0; j0 < n; j0 += 4) {
        int valid = (int)rv_min(4, n - j0);
        const float *br[4];
        // Past the last column, repeat it: computed, never stored.
        for (int s = 0; s < 4; s++) br[s] = b + (j0 + (s < valid ? s : valid - 1)) * ldb;
        long i0 = 0;
        for (; i0 + 4 <= m; i0 += 4) rv512_dot_tile(4, k, a + i0 * lda, lda, br, valid, c + i0 * ldc + j0, ldc, accumulate);
        if (m - i0 >= 2) {
            rv512_dot_tile(2, k, a + i0 * lda, lda, br, valid, c + i0 * ldc + j0, ldc, accumulate);
            i0 += 2;
        }
        if (m - i0 >= 1) rv512_dot_tile(1, k, a + i0 * lda, lda, br, valid, c + i0 * ldc + j0, ldc, accumulate);
    }
}

// MARK: - AVX2 + FMA

RV_AVX2 RV_INLINE __m256i rv_mask8(int count) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lanes);
}

// C[MR × 16] over `kc` steps (see rv512_tile); `full` (a constant) when all 16 columns are there,
// else the `nr` < 16 present ones are read and written through masks.
RV_AVX2 RV_INLINE void rv256_tile(
    const int MR, const int full, long kc, const float *a, long rsA, long csA, const float *b, long ldb, int nr,
    float *c, long ldc, int loadC) {
    __m256i m0 = full ? _mm256_set1_epi32(-1) : rv_mask8(nr);
    __m256i m1 = full ? _mm256_set1_epi32(-1) : rv_mask8(nr - 8);
    __m256 x0[6], x1[6];
    for (int r = 0; r < MR; r++) {
        if (loadC) {
            x0[r] = full ? _mm256_loadu_ps(c + r * ldc) : _mm256_maskload_ps(c + r * ldc, m0);
            x1[r] = full ? _mm256_loadu_ps(c + r * ldc + 8) : _mm256_maskload_ps(c + r * ldc + 8, m1);
        } else {
            x0[r] = _mm256_setzero_ps();
            x1[r] = _mm256_setzero_ps();
        }
    }
    for (long p = 0; p < kc; p++) {
        const float *bp = b + p * ldb;
        const float *ap = a + p * csA;
        __m256 b0 = full ? _mm256_loadu_ps(bp) : _mm256_maskload_ps(bp, m0);
        __m256 b1 = full ? _mm256_loadu_ps(bp + 8) : _mm256_maskload_ps(bp + 8, m1);
        for (int r = 0; r < MR; r++) {
            __m256 s = _mm256_broadcast_ss(ap + r * rsA);
            x0[r] = _mm256_fmadd_ps(s, b0, x0[r]);
            x1[r] = _mm256_fmadd_ps(s, b1, x1[r]);
        }
    }
    for (int r = 0; r < MR; r++) {
        if (full) {
            _mm256_storeu_ps(c + r * ldc, x0[r]);
            _mm256_storeu_ps(c + r * ldc + 8, x1[r]);
        } else {
            _mm256_maskstore_ps(c + r * ldc, m0, x0[r]);
            _mm256_maskstore_ps(c + r * ldc + 8, m1, x1[r]);
        }
    }
}

RV_AVX2 RV_INLINE void rv256_rows(
    const int full, long m, long kc, const float *a, long rsA, long csA, const float *b, long ldb, int nr, float *c,
    long ldc, int loadC) {
    long i0 = 0;
    for (; i0 + 6 <= m; i0 += 6) rv256_tile(6, full, kc, a + i0 * rsA, rsA, csA, b, ldb, nr, c + i0 * ldc, ldc, loadC);
    if (m - i0 >= 4) {
        rv256_tile(4, full, kc, a + i0 * rsA, rsA, csA, b, ldb, nr, c + i0 * ldc, ldc, loadC);
        i0 += 4;
    }
    if (m - i0 >= 2) {
        rv256_tile(2, full, kc, a + i0 * rsA, rsA, csA, b, ldb, nr, c + i0 * ldc, ldc, loadC);
        i0 += 2;
    }
    if (m - i0 >= 1) rv256_tile(1, full, kc, a + i0 * rsA, rsA, csA, b, ldb, nr, c + i0 * ldc, ldc, loadC);
}

RV_AVX2 static void rv256_gemm(
    long m, long n, long k, const float *a, long rsA, long csA, const float *b, long ldb, float *c, long ldc,
    int accumulate) {
    for (long p0 = 0; p0 < k; p0 += RV_KC) {
        long kc = rv_min(RV_KC, k - p0);
        int loadC = accumulate || p0 > 0;
        for (long j0 = 0; j0 < n; j0 += 16) {
            int nr = (int)rv_min(16, n - j0);
            const float *ap = a + p0 * csA;
            const float *bj = b + p0 * ldb + j0;
            if (nr == 16) rv256_rows(1, m, kc, ap, rsA, csA, bj, ldb, nr, c + j0, ldc, loadC);
            else rv256_rows(0, m, kc, ap, rsA, csA, bj, ldb, nr, c + j0, ldc, loadC);
        }
    }
}

// C[MR × 4] of A·Bᵀ (see rv512_dot_tile), MR ≤ 2.
RV_AVX2 RV_INLINE void rv256_dot_tile(
    const int MR, long k, const float *a, long lda, const float *const br[4], int valid, float *c, long ldc,
    int accumulate) {
    __m256 x[2][4];
    for (int r = 0; r < MR; r++)
        for (int s = 0; s < 4; s++) x[r][s] = _mm256_setzero_ps();
    long p = 0;
    for (; p + 8 <= k; p += 8) {
        __m256 vb[4];
        for (int s = 0; s < 4; s++) vb[s] = _mm256_loadu_ps(br[s] + p);
        for (int r = 0; r < MR; r++) {
            __m256 va = _mm256_loadu_ps(a + r * lda + p);
            for (int s = 0; s < 4; s++) x[r][s] = _mm256_fmadd_ps(va, vb[s], x[r][s]);
        }
    }
    if (p < k) {
        __m256i mask = rv_mask8((int)(k - p));
        __m256 vb[4];
        for (int s = 0; s < 4; s++) vb[s] = _mm256_maskload_ps(br[s] + p, mask);
        for (int r = 0; r < MR; r++) {
            __m256 va = _mm256_maskload_ps(a + r * lda + p, mask);
            for (int s = 0; s < 4; s++) x[r][s] = _mm256_fmadd_ps(va, vb[s], x[r][s]);
        }
    }
    __m256 zero = _mm256_setzero_ps();
    __m256 sums = recvec_reduce8(x[0][0], x[0][1], x[0][2], x[0][3], MR > 1 ? x[1][0] : zero, MR > 1 ? x[1][1] : zero,
                             MR > 1 ? x[1][2] : zero, MR > 1 ? x[1][3] : zero);
    float out[8];
    _mm256_storeu_ps(out, sums);
    for (int r = 0; r < MR; r++) {
        float *cr = c + r * ldc;
        for (int s = 0; s < valid; s++) cr[s] = accumulate ? cr[s] + out[r * 4 + s] : out[r * 4 + s];
    }
}

RV_AVX2 static void rv256_gemm_nt(
    long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c, long ldc, int accumulate) {
    for (long j0 = 0; j0 < n; j0 += 4) {
        int valid = (int)rv_min(4, n - j0);
        const float *br[4];
        for (int s = 0; s < 4; s++) br[s] = b + (j0 + (s < valid ? s : valid - 1)) * ldb;
        long i0 = 0;
        for (; i0 + 2 <= m; i0 += 2) rv256_dot_tile(2, k, a + i0 * lda, lda, br, valid, c + i0 * ldc + j0, ldc, accumulate);
        if (m - i0 >= 1) rv256_dot_tile(1, k, a + i0 * lda, lda, br, valid, c + i0 * ldc + j0, ldc, accumulate);
    }
}

// MARK: - Entry points

// An empty sum (k = 0) is 0: without accumulation C is cleared.
static void rv_clear(long m, long n, float *c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) c[i * ldc + j] = 0;
}

void recvec_sgemm_nn(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (!accumulate) rv_clear(m, n, c, ldc);
        return;
    }
    if (level >= 2) rv512_gemm(m, n, k, a, lda, 1, b, ldb, c, ldc, accumulate);
    else rv256_gemm(m, n, k, a, lda, 1, b, ldb, c, ldc, accumulate);
}

void recvec_sgemm_tn(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (!accumulate) rv_clear(m, n, c, ldc);
        return;
    }
    if (level >= 2) rv512_gemm(m, n, k, a, 1, lda, b, ldb, c, ldc, accumulate);
    else rv256_gemm(m, n, k, a, 1, lda, b, ldb, c, ldc, accumulate);
}

void recvec_sgemm_nt(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (!accumulate) rv_clear(m, n, c, ldc);
        return;
    }
    if (level >= 2) rv512_gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    else rv256_gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

#else

// Other architectures: no variant here; RecVecCore uses its portable kernels and never calls these.
int recvec_vector_level(void) { return 0; }

void recvec_sgemm_nn(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate) {
    (void)level, (void)m, (void)n, (void)k, (void)a, (void)lda, (void)b, (void)ldb, (void)c, (void)ldc, (void)accumulate;
    __builtin_trap();
}

void recvec_sgemm_tn(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate) {
    (void)level, (void)m, (void)n, (void)k, (void)a, (void)lda, (void)b, (void)ldb, (void)c, (void)ldc, (void)accumulate;
    __builtin_trap();
}

void recvec_sgemm_nt(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate) {
    (void)level, (void)m, (void)n, (void)k, (void)a, (void)lda, (void)b, (void)ldb, (void)c, (void)ldc, (void)accumulate;
    __builtin_trap();
}

#endif
