// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Negative sampling (SGNS) on whole windows (RecVecCore's TrainingKernel.skipGramStep and cbowStep),
// for x86-64 CPUs with AVX2 and FMA (8-float vectors) or AVX-512 (16-float vectors); each function
// carries its own target attribute and is called only when recvec_vector_level (MatrixKernels.c) says
// the CPU has it. The vector loops are written once (NegativeSamplingBody.h) and compiled for each.
//
// Skip-gram: every context v_c of a window predicts the same centre against one shared set of
// negatives, so the window's k + 1 output rows u_t are one small matrix U that stays in L1 while the
// contexts stream past (HogBatch: Ji et al. 2016, "Parallelizing word2vec in shared and distributed
// memory"). For each context, in order,
//
//     s = U·v_c     g_t = α·(label_t − σ(s_t))     v_c += gᵀ·U     ΔU_t += g_t·v_c (its old value)
//
// and U += ΔU after every block of `block` contexts — the portable Swift loop's order exactly, so a
// window that holds one id twice sees the first step before the second, as it does there. The three
// products are register-tiled over vectors of columns with fused multiply-adds; per context they are
// 3·(k + 1)·n multiply-adds against (k + 1)·n loads of U, which stays in L1.
//
// CBOW: h = Σ v_c (÷ count when `mean`), then for each target s_t = h·u_t, g_t as above, the hidden
// gradient e += g_t·u_t (old u_t) and u_t += g_t·h; finally every context row += e. When the targets
// are distinct rows (almost always) all scores come first, as one tile; a repeated negative takes the
// sequential loop, so that its second step sees its first, as in the Swift loop.
//
// σ and log σ are read from RecVecCore's SigmoidTable (`table`: σ at bins + 1 edges, then log σ), with
// its interpolation and clamping: at (k + 1) lookups per context they cost little, and the results
// then differ from the Swift loops only by the rounding of the fused products.
//
// Only the first n columns of a row (a multiple of 8, at most stride) are read or written. On level 2,
// an n that is a multiple of 16 runs the AVX-512 loops; any other n the AVX2 ones.

#include "RecVecShims.h"

// The scalar σ interpolation stays unfused, as in Swift; the vector products fuse explicitly.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__)
#include <immintrin.h>
#include "VectorReduce.h"

#define NS_INLINE static inline __attribute__((always_inline))

// The largest target count the tiled loops specialise (the default k = 5 gives 6); more run generic loops.
#define NS_MAX_TILED 8

typedef struct {
    const float *table;
    long bins;
    float limit;
    float scale;
} ns_sigmoid_table;

// σ(x), as SigmoidTable.sigmoid: clamped beyond ±limit (NaN: σ(−limit)), linear between bin edges.
NS_INLINE float ns_sigmoid(const ns_sigmoid_table *s, float x) {
    if (!(x > -s->limit)) return s->table[0];
    if (x >= s->limit) return s->table[s->bins];
    float p = (x + s->limit) * s->scale;
    long i = (long)p;
    if (i > s->bins - 1) i = s->bins - 1;
    float t = p - (float)i;
    return s->table[i] + t * (s->table[i + 1] - s->table[i]);
}

// log σ(x), as SigmoidTable.logSigmoid: x below −limit (NaN: −limit), log σ(limit) above limit.
NS_INLINE float ns_log_sigmoid(const ns_sigmoid_table *s, float x) {
    const float *l = s->table + s->bins + 1;
    if (!(x > -s->limit)) return x != x ? -s->limit : x;
    if (x >= s->limit) return l[s->bins];
    float p = (x + s->limit) * s->scale;
    long i = (long)p;
    if (i > s->bins - 1) i = s->bins - 1;
    float t = p - (float)i;
    return l[i] + t * (l[i + 1] - l[i]);
}

// The step α·(label − σ(s)) of a target with score `f`; none at f ≥ RECVEC_SIGMOID_SATURATION, nor for
// a negative at f ≤ −RECVEC_SIGMOID_SATURATION (a positive that far below still steps).
NS_INLINE float ns_step(const ns_sigmoid_table *s, float f, bool positive, float alpha) {
    if (f >= RECVEC_SIGMOID_SATURATION || (!positive && f <= -RECVEC_SIGMOID_SATURATION)) return 0.0f;
    return ((positive ? 1.0f : 0.0f) - ns_sigmoid(s, f)) * alpha;
}

// The scores of `count` targets (the first the positive) into steps g_t = α·(label − σ(s_t)) (see
// ns_step), in place; returns the loss Σ −log σ(±s_t).
NS_INLINE double ns_steps(const ns_sigmoid_table *s, float *scores, long count, float alpha) {
    double loss = 0;
    for (long t = 0; t < count; t++) {
        float f = scores[t];
        loss -= (double)ns_log_sigmoid(s, t == 0 ? f : -f);
        scores[t] = ns_step(s, f, t == 0, alpha);
    }
    return loss;
}

// MARK: - The vector loops, once per instruction set (NegativeSamplingBody.h)

// AVX2 and FMA: 8 lanes.
#define RECVEC_WIDTH 256
#include "VectorWidth.h"
#define NS_NAME(x) ns256_##x
#include "NegativeSamplingBody.h"
#undef NS_NAME
#undef RECVEC_WIDTH

// AVX-512 (foundation): 16 lanes. Rows are 64-byte aligned and padded with zeros to a multiple of 16
// floats (RecVecCore's EmbeddingMatrix), so n = the stride needs no masked tail.
#define RECVEC_WIDTH 512
#include "VectorWidth.h"
#define NS_NAME(x) ns512_##x
#include "NegativeSamplingBody.h"

// MARK: - Entry points

double recvec_ns_skipgram(
    int level, float *input, const int32_t *ids, long count, float *output, const int32_t *targets, long nt,
    long stride, long n, long block, float alpha, const float *table, long bins, float limit, float *deltas,
    float *steps, float **rows) {
    if (level < 1) return 0;
    ns_sigmoid_table s = {table, bins, limit, (float)bins / (2 * limit)};
    if (level >= 2 && n % 16 == 0)
        return ns512_skipgram(input, ids, count, output, targets, nt, stride, n, block, alpha, &s, deltas, steps, rows);
    return ns256_skipgram(input, ids, count, output, targets, nt, stride, n, block, alpha, &s, deltas, steps, rows);
}

double recvec_ns_cbow(
    int level, float *input, const int32_t *ids, long count, float *output, const int32_t *targets, long nt,
    long stride, long n, bool mean, float alpha, const float *table, long bins, float limit, float *hidden,
    float *gradient, float *steps, float **rows) {
    if (level < 1) return 0;
    ns_sigmoid_table s = {table, bins, limit, (float)bins / (2 * limit)};
    if (level >= 2 && n % 16 == 0)
        return ns512_cbow(input, ids, count, output, targets, nt, stride, n, mean, alpha, &s, hidden, gradient, steps,
                          rows);
    return ns256_cbow(input, ids, count, output, targets, nt, stride, n, mean, alpha, &s, hidden, gradient, steps,
                      rows);
}

#else

// Other architectures: RecVecCore runs its portable Swift path and never calls these.
double recvec_ns_skipgram(
    int level, float *input, const int32_t *ids, long count, float *output, const int32_t *targets, long nt,
    long stride, long n, long block, float alpha, const float *table, long bins, float limit, float *deltas,
    float *steps, float **rows) {
    (void)level, (void)input, (void)ids, (void)count, (void)output, (void)targets, (void)nt, (void)stride, (void)n;
    (void)block, (void)alpha, (void)table, (void)bins, (void)limit, (void)deltas, (void)steps, (void)rows;
    __builtin_trap();
}

double recvec_ns_cbow(
    int level, float *input, const int32_t *ids, long count, float *output, const int32_t *targets, long nt,
    long stride, long n, bool mean, float alpha, const float *table, long bins, float limit, float *hidden,
    float *gradient, float *steps, float **rows) {
    (void)level, (void)input, (void)ids, (void)count, (void)output, (void)targets, (void)nt, (void)stride, (void)n;
    (void)mean, (void)alpha, (void)table, (void)bins, (void)limit, (void)hidden, (void)gradient, (void)steps;
    (void)rows;
    __builtin_trap();
}

#endif
