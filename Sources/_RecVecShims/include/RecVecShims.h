// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// The one thing Swift cannot say: a software prefetch hint. Training touches random rows of
// matrices far larger than the caches; asking for all rows of an example before computing on
// the first lets their cache misses overlap instead of queueing.
#ifndef RECVEC_SHIMS_H
#define RECVEC_SHIMS_H

// Negative sampling: a target scoring at least this much, or a negative scoring at most its opposite,
// gives no step (σ within 0.0025 of 0 or 1) — see SigmoidTable.saturation. Shared by the C kernels and
// the portable Swift loop.
#define RECVEC_SIGMOID_SATURATION 6.0f

static inline __attribute__((always_inline)) void recvec_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

static inline __attribute__((always_inline)) void recvec_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

// Heap memory of a long-running server (see RecVecCore's MemoryRelease). glibc only: elsewhere
// these do nothing.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
static inline void recvec_malloc_fix_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }
static inline void recvec_malloc_trim(void) { malloc_trim(0); }
#else
static inline void recvec_malloc_fix_mmap_threshold(int bytes) { (void)bytes; }
static inline void recvec_malloc_trim(void) {}
#endif

// Adagrad's step for BPR (see BPR.adagradStep): each factor's gradient from the old values, its
// sum of squares grown by g², and the factor moved by eta·g/√sum — four floats at a time with a
// vector square root (Swift's SIMD square root runs lane by lane). `count` is a multiple of 4 in
// training; the tail serves tests.
typedef float recvec_float4 __attribute__((ext_vector_type(4)));
static inline void recvec_bpr_adagrad(float *user, float *pos, float *neg, float *su, float *sp, float *sn,
                                      long count, float g, float eta, float lambda) {
    long c = 0;
    for (; c + 4 <= count; c += 4) {
        recvec_float4 u, p, n, a, b, d;
        __builtin_memcpy(&u, user + c, 16);
        __builtin_memcpy(&p, pos + c, 16);
        __builtin_memcpy(&n, neg + c, 16);
        __builtin_memcpy(&a, su + c, 16);
        __builtin_memcpy(&b, sp + c, 16);
        __builtin_memcpy(&d, sn + c, 16);
        recvec_float4 gu = lambda * u - g * (p - n);
        recvec_float4 gp = lambda * p - g * u;
        recvec_float4 gn = lambda * n + g * u;
        a += gu * gu;
        b += gp * gp;
        d += gn * gn;
        u -= eta * gu / __builtin_elementwise_sqrt(a);
        p -= eta * gp / __builtin_elementwise_sqrt(b);
        n -= eta * gn / __builtin_elementwise_sqrt(d);
        __builtin_memcpy(su + c, &a, 16);
        __builtin_memcpy(sp + c, &b, 16);
        __builtin_memcpy(sn + c, &d, 16);
        __builtin_memcpy(user + c, &u, 16);
        __builtin_memcpy(pos + c, &p, 16);
        __builtin_memcpy(neg + c, &n, 16);
    }
    for (; c < count; c++) {
        float u = user[c];
        float gu = lambda * u - g * (pos[c] - neg[c]);
        float gp = lambda * pos[c] - g * u;
        float gn = lambda * neg[c] + g * u;
        su[c] += gu * gu;
        sp[c] += gp * gp;
        sn[c] += gn * gn;
        user[c] -= eta * gu / __builtin_elementwise_sqrt(su[c]);
        pos[c] -= eta * gp / __builtin_elementwise_sqrt(sp[c]);
        neg[c] -= eta * gn / __builtin_elementwise_sqrt(sn[c]);
    }
}

// Single-precision matrix products, register-tiled, for x86-64 CPUs with AVX2 and FMA (level 1) or
// AVX-512 (level 2), in MatrixKernels.c: each variant is compiled with its own target attribute, and
// recvec_vector_level says which the CPU runs (0: neither, or not x86-64; then these must not be called).
// Row-major; lda, ldb, ldc are the row strides. C (m × n) = A·B (nn: A m × k, B k × n), A·Bᵀ (nt: B
// n × k) or Aᵀ·B (tn: A k × m), added to C when `accumulate`.
#include <stdbool.h>
int recvec_vector_level(void);
void recvec_sgemm_nn(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate);
void recvec_sgemm_nt(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate);
void recvec_sgemm_tn(int level, long m, long n, long k, const float *a, long lda, const float *b, long ldb, float *c,
                     long ldc, bool accumulate);
// GRU4Rec's Adagrad step with momentum (RecVecCore's AdagradParameter.step) for level 1 or 2, in
// AdagradKernels.c; the same results as the Swift loop, bit for bit.
void recvec_adagrad(int level, float *value, const float *gradient, float *accumulator, float *velocity, long count,
                    float learningRate, float momentum);

// Hierarchical softmax on a window (RecVecCore's TrainingKernel+Hierarchical) for level ≥ 1 (AVX2 and
// FMA; AVX-512 CPUs run the same code), in HierarchicalKernels.c. Row r of V is v + vids[r]·stride, row
// l of U is u + uids[l]·stride; n (a multiple of 8, ≤ stride) columns are used. recvec_hs_scores:
// scores (count × length, row-major) = V·Uᵀ. recvec_hs_steps: scores → the steps
// alpha·(1 − code − σ(s)) in place, σ clamped at ±limit as RecVecCore's SigmoidTable does; returns
// the loss Σ −log σ(±s). recvec_hs_update, with the steps G (count × length): vdst rows += G·U (from
// the old U) and, when `updateU`, U += Gᵀ·vsrc (from the old vsrc); scratch holds count × n floats.
#include <stdint.h>
void recvec_hs_scores(int level, const float *v, const int32_t *vids, long count, const float *u,
                      const int32_t *uids, long length, long stride, long n, float *scores);
double recvec_hs_steps(int level, float *scores, long count, const uint8_t *codes, long length, float limit,
                       float alpha);
void recvec_hs_update(int level, const float *vsrc, float *vdst, const int32_t *vids, long count, float *u,
                      const int32_t *uids, long length, long stride, long n, const float *g, bool updateU,
                      float *scratch);

// Negative sampling (SGNS) on a window (RecVecCore's TrainingKernel.skipGramStep and cbowStep) for
// level ≥ 1 (AVX2 and FMA; AVX-512 CPUs run the same code), in NegativeSamplingKernels.c. Rows are
// input + ids[c]·stride and output + targets[t]·stride (targets[0] the positive, the rest negatives);
// n (a multiple of 8, ≤ stride) columns are used; σ and log σ come from RecVecCore's SigmoidTable
// (`table`: σ at bins + 1 edges, then log σ; clamped at ±limit). Both return the loss Σ −log σ(±s).
// recvec_ns_skipgram: each context in turn against the shared targets, the targets' summed steps
// applied after every `block` contexts; scratch: deltas nt × n, steps nt, rows nt.
// recvec_ns_cbow: the sum (mean when `mean`) of the contexts against the targets; scratch: hidden n,
// gradient n, steps nt, rows nt.
double recvec_ns_skipgram(int level, float *input, const int32_t *ids, long count, float *output,
                          const int32_t *targets, long nt, long stride, long n, long block, float alpha,
                          const float *table, long bins, float limit, float *deltas, float *steps, float **rows);
double recvec_ns_cbow(int level, float *input, const int32_t *ids, long count, float *output, const int32_t *targets,
                      long nt, long stride, long n, bool mean, float alpha, const float *table, long bins, float limit,
                      float *hidden, float *gradient, float *steps, float **rows);

#endif
