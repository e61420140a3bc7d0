// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Private to the shim target: the vector half of NegativeSamplingKernels.c, written once and included
// there once per vector width, after VectorWidth.h (VW_VEC, VW_LANES, VW_TARGET, VW_LOAD … VW_FMA,
// VW_HALVES8) and with NS_NAME(x) naming the functions (ns256_x, ns512_x); n is a multiple of
// VW_LANES. Also from the includer: the scalar helpers ns_sigmoid_table, ns_log_sigmoid, ns_step,
// ns_steps and NS_INLINE, NS_MAX_TILED. The two instances differ only in width: the same operations in
// the same order per lane, so their results differ only by how the lanes' partial sums are grouped.

// out[q] = the sum of the lanes of x[q], q < 4.
VW_TARGET NS_INLINE void NS_NAME(sums4)(const VW_VEC x[4], float out[4]) {
    __m256 zero = _mm256_setzero_ps();
    float all[8];
    _mm256_storeu_ps(all, recvec_reduce8(VW_HALVES8(x[0]), VW_HALVES8(x[1]), VW_HALVES8(x[2]), VW_HALVES8(x[3]),
                                         zero, zero, zero, zero));
    for (int q = 0; q < 4; q++) out[q] = all[q];
}

// s[0..<Q] = v·u_q for Q ≤ 4 rows (a constant), two accumulators per row so that eight chains of
// multiply-adds are in flight.
VW_TARGET NS_INLINE void NS_NAME(dot_tile)(const int Q, const float *v, const float *const ur[4], long n, float *s) {
    VW_VEC x[4], y[4];
    for (int q = 0; q < 4; q++) x[q] = y[q] = VW_ZERO();
    long p = 0;
    for (; p + 2 * VW_LANES <= n; p += 2 * VW_LANES) {
        VW_VEC v0 = VW_LOAD(v + p), v1 = VW_LOAD(v + p + VW_LANES);
        for (int q = 0; q < Q; q++) {
            x[q] = VW_FMA(v0, VW_LOAD(ur[q] + p), x[q]);
            y[q] = VW_FMA(v1, VW_LOAD(ur[q] + p + VW_LANES), y[q]);
        }
    }
    if (p < n) {
        VW_VEC v0 = VW_LOAD(v + p);
        for (int q = 0; q < Q; q++) x[q] = VW_FMA(v0, VW_LOAD(ur[q] + p), x[q]);
    }
    for (int q = 0; q < 4; q++) x[q] = VW_ADD(x[q], y[q]);
    float out[4];
    NS_NAME(sums4)(x, out);
    for (int q = 0; q < Q; q++) s[q] = out[q];
}

// s[t] = v·u_t for the rows ur[0..<count], four at a time.
VW_TARGET NS_INLINE void NS_NAME(dots)(const float *v, const float *const *ur, long count, long n, float *s) {
    long t = 0;
    for (; t + 4 <= count; t += 4) NS_NAME(dot_tile)(4, v, ur + t, n, s + t);
    const float *rest[4] = {0, 0, 0, 0};
    for (long q = 0; t + q < count; q++) rest[q] = ur[t + q];
    switch (count - t) {
    case 3: NS_NAME(dot_tile)(3, v, rest, n, s + t); break;
    case 2: NS_NAME(dot_tile)(2, v, rest, n, s + t); break;
    case 1: NS_NAME(dot_tile)(1, v, rest, n, s + t); break;
    default: break;
    }
}

// One skip-gram context with NT targets (a constant ≤ NS_MAX_TILED; 0: `nt`, not specialised):
// v += Σ_t g_t·u_t (the block's U) and ΔU_t += g_t·v (the old v), one vector of columns at a time.
// The block's first context (FIRST, a constant) sets ΔU_t = g_t·v instead, so ΔU needs no clearing.
VW_TARGET NS_INLINE void NS_NAME(context_update)(
    const int NT, const int FIRST, long nt, float *v, const float *const *ur, const float *g, float *deltas, long n) {
    const long count = NT > 0 ? NT : nt;
    VW_VEC gs[NS_MAX_TILED];
    if (NT > 0)
        for (int t = 0; t < NT; t++) gs[t] = VW_SET1(g[t]);
    for (long p = 0; p < n; p += VW_LANES) {
        VW_VEC a0 = VW_ZERO(), a1 = VW_ZERO();
        long t = 0;
        for (; t + 2 <= count; t += 2) {
            a0 = VW_FMA(NT > 0 ? gs[t] : VW_SET1(g[t]), VW_LOAD(ur[t] + p), a0);
            a1 = VW_FMA(NT > 0 ? gs[t + 1] : VW_SET1(g[t + 1]), VW_LOAD(ur[t + 1] + p), a1);
        }
        if (t < count) a0 = VW_FMA(NT > 0 ? gs[t] : VW_SET1(g[t]), VW_LOAD(ur[t] + p), a0);
        VW_VEC old = VW_LOAD(v + p);
        VW_STORE(v + p, VW_ADD(old, VW_ADD(a0, a1)));
        for (t = 0; t < count; t++) {
            float *d = deltas + t * n + p;
            VW_VEC gt = NT > 0 ? gs[t] : VW_SET1(g[t]);
            VW_STORE(d, FIRST ? VW_MUL(gt, old) : VW_FMA(gt, old, VW_LOAD(d)));
        }
    }
}

VW_TARGET NS_INLINE double NS_NAME(skipgram_loop)(
    const int NT, float *input, const int32_t *ids, long count, const float *const *ur, long nt, long stride,
    long n, float alpha, const ns_sigmoid_table *table, float *deltas, float *g) {
    double loss = 0;
    for (long c = 0; c < count; c++) {
        float *v = input + (long)ids[c] * stride;
        NS_NAME(dots)(v, ur, nt, n, g);
        loss += ns_steps(table, g, nt, alpha);
        if (c == 0)
            NS_NAME(context_update)(NT, 1, nt, v, ur, g, deltas, n);
        else
            NS_NAME(context_update)(NT, 0, nt, v, ur, g, deltas, n);
    }
    return loss;
}

// y += x over n floats.
VW_TARGET NS_INLINE void NS_NAME(add)(const float *x, float *y, long n) {
    for (long p = 0; p < n; p += VW_LANES) VW_STORE(y + p, VW_ADD(VW_LOAD(y + p), VW_LOAD(x + p)));
}

VW_TARGET static double NS_NAME(skipgram)(
    float *input, const int32_t *ids, long count, float *output, const int32_t *targets, long nt, long stride,
    long n, long block, float alpha, const ns_sigmoid_table *table, float *deltas, float *g, float **rows) {
    for (long t = 0; t < nt; t++) rows[t] = output + (long)targets[t] * stride;
    const float *const *ur = (const float *const *)rows;
    double loss = 0;
    for (long start = 0; start < count; start += block) {
        long m = count - start < block ? count - start : block;
        const int32_t *b = ids + start;
#define NS_LOOP(NT) NS_NAME(skipgram_loop)(NT, input, b, m, ur, nt, stride, n, alpha, table, deltas, g)
        switch (nt) {
        case 1: loss += NS_LOOP(1); break;
        case 2: loss += NS_LOOP(2); break;
        case 3: loss += NS_LOOP(3); break;
        case 4: loss += NS_LOOP(4); break;
        case 5: loss += NS_LOOP(5); break;
        case 6: loss += NS_LOOP(6); break;
        case 7: loss += NS_LOOP(7); break;
        case 8: loss += NS_LOOP(8); break;
        default: loss += NS_LOOP(0); break;
        }
#undef NS_LOOP
        // U += ΔU, one target after the other (a negative drawn twice gets both steps).
        for (long t = 0; t < nt; t++) NS_NAME(add)(deltas + t * n, rows[t], n);
    }
    return loss;
}

// CBOW with distinct targets: all scores from the old U, then per column e = Σ_t g_t·u_t (old) and
// u_t += g_t·h.
VW_TARGET NS_INLINE void NS_NAME(cbow_update)(
    const int NT, long nt, float *const *ur, const float *g, const float *h, float *e, long n) {
    const long count = NT > 0 ? NT : nt;
    VW_VEC gs[NS_MAX_TILED];
    if (NT > 0)
        for (int t = 0; t < NT; t++) gs[t] = VW_SET1(g[t]);
    for (long p = 0; p < n; p += VW_LANES) {
        VW_VEC hp = VW_LOAD(h + p);
        VW_VEC a0 = VW_ZERO(), a1 = VW_ZERO();
        for (long t = 0; t < count; t++) {
            VW_VEC gt = NT > 0 ? gs[t] : VW_SET1(g[t]);
            VW_VEC u = VW_LOAD(ur[t] + p);
            if (t & 1)
                a1 = VW_FMA(gt, u, a1);
            else
                a0 = VW_FMA(gt, u, a0);
            VW_STORE(ur[t] + p, VW_FMA(gt, hp, u));
        }
        VW_STORE(e + p, VW_ADD(a0, a1));
    }
}

VW_TARGET static double NS_NAME(cbow)(
    float *input, const int32_t *ids, long count, float *output, const int32_t *targets, long nt, long stride, long n,
    bool mean, float alpha, const ns_sigmoid_table *table, float *h, float *e, float *g, float **rows) {
    // h = Σ v_c (÷ count), two contexts per pass over the columns.
    for (long p = 0; p < n; p += VW_LANES) {
        VW_VEC a0 = VW_ZERO(), a1 = VW_ZERO();
        long c = 0;
        for (; c + 2 <= count; c += 2) {
            a0 = VW_ADD(a0, VW_LOAD(input + (long)ids[c] * stride + p));
            a1 = VW_ADD(a1, VW_LOAD(input + (long)ids[c + 1] * stride + p));
        }
        if (c < count) a0 = VW_ADD(a0, VW_LOAD(input + (long)ids[c] * stride + p));
        VW_STORE(h + p, VW_ADD(a0, a1));
    }
    if (mean && count > 1) {
        VW_VEC r = VW_SET1(1.0f / (float)count);
        for (long p = 0; p < n; p += VW_LANES) VW_STORE(h + p, VW_MUL(VW_LOAD(h + p), r));
    }
    bool distinct = true;
    for (long t = 0; t < nt; t++) {
        rows[t] = output + (long)targets[t] * stride;
        for (long q = 0; q < t; q++) distinct = distinct && targets[q] != targets[t];
    }
    double loss = 0;
    if (distinct) {
        NS_NAME(dots)(h, (const float *const *)rows, nt, n, g);
        loss += ns_steps(table, g, nt, alpha);
        switch (nt) {
        case 1: NS_NAME(cbow_update)(1, nt, rows, g, h, e, n); break;
        case 2: NS_NAME(cbow_update)(2, nt, rows, g, h, e, n); break;
        case 3: NS_NAME(cbow_update)(3, nt, rows, g, h, e, n); break;
        case 4: NS_NAME(cbow_update)(4, nt, rows, g, h, e, n); break;
        case 5: NS_NAME(cbow_update)(5, nt, rows, g, h, e, n); break;
        case 6: NS_NAME(cbow_update)(6, nt, rows, g, h, e, n); break;
        case 7: NS_NAME(cbow_update)(7, nt, rows, g, h, e, n); break;
        case 8: NS_NAME(cbow_update)(8, nt, rows, g, h, e, n); break;
        default: NS_NAME(cbow_update)(0, nt, rows, g, h, e, n); break;
        }
    } else {
        // A negative drawn twice: one target after the other, so that its second score sees its first step.
        for (long p = 0; p < n; p += VW_LANES) VW_STORE(e + p, VW_ZERO());
        for (long t = 0; t < nt; t++) {
            const float *one[1] = {rows[t]};
            NS_NAME(dots)(h, one, 1, n, g + t);
            float f = g[t];
            loss -= (double)ns_log_sigmoid(table, t == 0 ? f : -f);
            VW_VEC gt = VW_SET1(ns_step(table, f, t == 0, alpha));
            for (long p = 0; p < n; p += VW_LANES) {
                VW_VEC u = VW_LOAD(rows[t] + p);
                VW_STORE(e + p, VW_FMA(gt, u, VW_LOAD(e + p)));
                VW_STORE(rows[t] + p, VW_FMA(gt, VW_LOAD(h + p), u));
            }
        }
    }
    // Every context row += e (one id twice: both steps land).
    for (long c = 0; c < count; c++) NS_NAME(add)(e, input + (long)ids[c] * stride, n);
    return loss;
}
