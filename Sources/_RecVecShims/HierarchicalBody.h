// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Private to the shim target: the vector loops of HierarchicalKernels.c (the scores and the updates),
// written once and included there once per instruction set. The includer defines
//   HSV                      the vector type (__m256, __m512)
//   HS_W                     its lanes (8, 16); n is a multiple of HS_W
//   HS_VECTOR                the functions' attributes (their `target`)
//   HS_NAME(x)               the functions' names (hs256_x, hs512_x)
//   HSV_LOAD, HSV_STORE, HSV_ZERO, HSV_SET1, HSV_ADD, HSV_FMA(a, b, c) = a·b + c
//   HS_NAME(sums8)(x, out)   out[4r + q] = the sum of the lanes of x[r][q], r < 2, q < 4
// and HS_INLINE.

// S[MR × 4] = the dot products of rows vr[0..<MR] (MR ≤ 2, a constant) with rows ur[0..<4]; the first
// `valid` columns are stored (past them ur repeats a row: computed, never stored).
HS_VECTOR HS_INLINE void HS_NAME(score_tile)(
    const int MR, const float *const vr[2], const float *const ur[4], long n, float *s, long lds, int valid) {
    HSV x[2][4];
    for (int r = 0; r < 2; r++)
        for (int q = 0; q < 4; q++) x[r][q] = HSV_ZERO();
    for (long p = 0; p < n; p += HS_W) {
        HSV u[4];
        for (int q = 0; q < 4; q++) u[q] = HSV_LOAD(ur[q] + p);
        for (int r = 0; r < MR; r++) {
            HSV v = HSV_LOAD(vr[r] + p);
            for (int q = 0; q < 4; q++) x[r][q] = HSV_FMA(v, u[q], x[r][q]);
        }
    }
    float out[8];
    HS_NAME(sums8)(x, out);
    for (int r = 0; r < MR; r++)
        for (int q = 0; q < valid; q++) s[r * lds + q] = out[r * 4 + q];
}

HS_VECTOR static void HS_NAME(scores)(
    const float *v, const int32_t *vids, long count, const float *u, const int32_t *uids, long length, long stride,
    long n, float *scores) {
    for (long l0 = 0; l0 < length; l0 += 4) {
        int valid = (int)(length - l0 < 4 ? length - l0 : 4);
        const float *ur[4];
        for (int q = 0; q < 4; q++) ur[q] = u + (long)uids[l0 + (q < valid ? q : valid - 1)] * stride;
        long c = 0;
        for (; c + 2 <= count; c += 2) {
            const float *vr[2] = {v + (long)vids[c] * stride, v + (long)vids[c + 1] * stride};
            HS_NAME(score_tile)(2, vr, ur, n, scores + c * length + l0, length, valid);
        }
        if (c < count) {
            const float *vr[2] = {v + (long)vids[c] * stride, v + (long)vids[c] * stride};
            HS_NAME(score_tile)(1, vr, ur, n, scores + c * length + l0, length, valid);
        }
    }
}

// D[MR × HS_W·NV] at column `col` (MR ≤ 4, NV ≤ 2, constants): D_r = Σ_l G[r, l] · u_l, G row-major with
// row stride `ldg`; D's rows are `ldd` apart.
HS_VECTOR HS_INLINE void HS_NAME(dv_tile)(
    const int MR, const int NV, const float *g, long ldg, const float *u, const int32_t *uids, long length,
    long stride, long col, float *d, long ldd) {
    HSV x[4][2];
    for (int r = 0; r < 4; r++)
        for (int k = 0; k < 2; k++) x[r][k] = HSV_ZERO();
    for (long l = 0; l < length; l++) {
        const float *ul = u + (long)uids[l] * stride + col;
        HSV u0 = HSV_LOAD(ul);
        HSV u1 = NV > 1 ? HSV_LOAD(ul + HS_W) : u0;
        for (int r = 0; r < MR; r++) {
            HSV s = HSV_SET1(g[r * ldg + l]);
            x[r][0] = HSV_FMA(s, u0, x[r][0]);
            if (NV > 1) x[r][1] = HSV_FMA(s, u1, x[r][1]);
        }
    }
    for (int r = 0; r < MR; r++) {
        HSV_STORE(d + r * ldd + col, x[r][0]);
        if (NV > 1) HSV_STORE(d + r * ldd + col + HS_W, x[r][1]);
    }
}

// U[QR × HS_W·NV] at column `col` (QR ≤ 4, NV ≤ 2): u_{l0+q} += Σ_c G[c, l0 + q] · v_c.
HS_VECTOR HS_INLINE void HS_NAME(du_tile)(
    const int QR, const int NV, const float *g, long ldg, long l0, const float *v, const int32_t *vids, long count,
    float *u, const int32_t *uids, long stride, long col) {
    HSV x[4][2];
    float *ur[4];
    for (int q = 0; q < QR; q++) {
        ur[q] = u + (long)uids[l0 + q] * stride + col;
        x[q][0] = HSV_LOAD(ur[q]);
        x[q][1] = NV > 1 ? HSV_LOAD(ur[q] + HS_W) : x[q][0];
    }
    for (long c = 0; c < count; c++) {
        const float *vc = v + (long)vids[c] * stride + col;
        HSV v0 = HSV_LOAD(vc);
        HSV v1 = NV > 1 ? HSV_LOAD(vc + HS_W) : v0;
        for (int q = 0; q < QR; q++) {
            HSV s = HSV_SET1(g[c * ldg + l0 + q]);
            x[q][0] = HSV_FMA(s, v0, x[q][0]);
            if (NV > 1) x[q][1] = HSV_FMA(s, v1, x[q][1]);
        }
    }
    for (int q = 0; q < QR; q++) {
        HSV_STORE(ur[q], x[q][0]);
        if (NV > 1) HSV_STORE(ur[q] + HS_W, x[q][1]);
    }
}

// ΔV for rows c0..<c0 + MR of every column block.
HS_VECTOR HS_INLINE void HS_NAME(dv_rows)(
    const int MR, const float *g, long ldg, const float *u, const int32_t *uids, long length, long stride, long n,
    float *d, long ldd) {
    long col = 0;
    for (; col + 2 * HS_W <= n; col += 2 * HS_W) HS_NAME(dv_tile)(MR, 2, g, ldg, u, uids, length, stride, col, d, ldd);
    if (col < n) HS_NAME(dv_tile)(MR, 1, g, ldg, u, uids, length, stride, col, d, ldd);
}

// ΔU for nodes l0..<l0 + QR, added in place, of every column block.
HS_VECTOR HS_INLINE void HS_NAME(du_rows)(
    const int QR, const float *g, long ldg, long l0, const float *v, const int32_t *vids, long count, float *u,
    const int32_t *uids, long stride, long n) {
    long col = 0;
    for (; col + 2 * HS_W <= n; col += 2 * HS_W) HS_NAME(du_tile)(QR, 2, g, ldg, l0, v, vids, count, u, uids, stride, col);
    if (col < n) HS_NAME(du_tile)(QR, 1, g, ldg, l0, v, vids, count, u, uids, stride, col);
}

HS_VECTOR static void HS_NAME(update)(
    const float *vsrc, float *vdst, const int32_t *vids, long count, float *u, const int32_t *uids, long length,
    long stride, long n, const float *g, bool updateU, float *scratch) {
    // 1. ΔV = G·U from the old U, into scratch (count × n).
    long c = 0;
    for (; c + 4 <= count; c += 4)
        HS_NAME(dv_rows)(4, g + c * length, length, u, uids, length, stride, n, scratch + c * n, n);
    if (count - c >= 2) {
        HS_NAME(dv_rows)(2, g + c * length, length, u, uids, length, stride, n, scratch + c * n, n);
        c += 2;
    }
    if (c < count) HS_NAME(dv_rows)(1, g + c * length, length, u, uids, length, stride, n, scratch + c * n, n);
    // 2. U += Gᵀ·V from the old V (the nodes of a path are distinct rows).
    if (updateU) {
        long l = 0;
        for (; l + 4 <= length; l += 4) HS_NAME(du_rows)(4, g, length, l, vsrc, vids, count, u, uids, stride, n);
        if (length - l >= 2) {
            HS_NAME(du_rows)(2, g, length, l, vsrc, vids, count, u, uids, stride, n);
            l += 2;
        }
        if (l < length) HS_NAME(du_rows)(1, g, length, l, vsrc, vids, count, u, uids, stride, n);
    }
    // 3. V += ΔV, one row after the other (a window may hold one id twice: both steps land).
    for (c = 0; c < count; c++) {
        float *row = vdst + (long)vids[c] * stride;
        const float *delta = scratch + c * n;
        for (long p = 0; p < n; p += HS_W) HSV_STORE(row + p, HSV_ADD(HSV_LOAD(row + p), HSV_LOAD(delta + p)));
    }
}
