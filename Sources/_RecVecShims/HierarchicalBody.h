// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Private to the shim target: the vector loops of HierarchicalKernels.c (the scores and the updates),
// written once and included there once per vector width, after VectorWidth.h (VW_VEC, VW_LANES,
// VW_TARGET, VW_LOAD … VW_FMA, VW_HALVES8) and with HS_NAME(x) naming the functions (hs256_x, hs512_x);
// n is a multiple of VW_LANES. HS_INLINE comes from the includer.

// out[4r + q] = the sum of the lanes of x[r][q], r < 2, q < 4.
VW_TARGET HS_INLINE void HS_NAME(sums8)(VW_VEC x[2][4], float out[8]) {
    _mm256_storeu_ps(out, recvec_reduce8(VW_HALVES8(x[0][0]), VW_HALVES8(x[0][1]), VW_HALVES8(x[0][2]),
                                         VW_HALVES8(x[0][3]), VW_HALVES8(x[1][0]), VW_HALVES8(x[1][1]),
                                         VW_HALVES8(x[1][2]), VW_HALVES8(x[1][3])));
}

// S[MR × 4] = the dot products of rows vr[0..<MR] (MR ≤ 2, a constant) with rows ur[0..<4]; the first
// `valid` columns are stored (past them ur repeats a row: computed, never stored).
VW_TARGET HS_INLINE void HS_NAME(score_tile)(
    const int MR, const float *const vr[2], const float *const ur[4], long n, float *s, long lds, int valid) {
    VW_VEC x[2][4];
    for (int r = 0; r < 2; r++)
        for (int q = 0; q < 4; q++) x[r][q] = VW_ZERO();
    for (long p = 0; p < n; p += VW_LANES) {
        VW_VEC u[4];
        for (int q = 0; q < 4; q++) u[q] = VW_LOAD(ur[q] + p);
        for (int r = 0; r < MR; r++) {
            VW_VEC v = VW_LOAD(vr[r] + p);
            for (int q = 0; q < 4; q++) x[r][q] = VW_FMA(v, u[q], x[r][q]);
        }
    }
    float out[8];
    HS_NAME(sums8)(x, out);
    for (int r = 0; r < MR; r++)
        for (int q = 0; q < valid; q++) s[r * lds + q] = out[r * 4 + q];
}

VW_TARGET static void HS_NAME(scores)(
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

// D[MR × VW_LANES·NV] at column `col` (MR ≤ 4, NV ≤ 2, constants): D_r = Σ_l G[r, l] · u_l, G row-major with
// row stride `ldg`; D's rows are `ldd` apart.
VW_TARGET HS_INLINE void HS_NAME(dv_tile)(
    const int MR, const int NV, const float *g, long ldg, const float *u, const int32_t *uids, long length,
    long stride, long col, float *d, long ldd) {
    VW_VEC x[4][2];
    for (int r = 0; r < 4; r++)
        for (int k = 0; k < 2; k++) x[r][k] = VW_ZERO();
    for (long l = 0; l < length; l++) {
        const float *ul = u + (long)uids[l] * stride + col;
        VW_VEC u0 = VW_LOAD(ul);
        VW_VEC u1 = NV > 1 ? VW_LOAD(ul + VW_LANES) : u0;
        for (int r = 0; r < MR; r++) {
            VW_VEC s = VW_SET1(g[r * ldg + l]);
            x[r][0] = VW_FMA(s, u0, x[r][0]);
            if (NV > 1) x[r][1] = VW_FMA(s, u1, x[r][1]);
        }
    }
    for (int r = 0; r < MR; r++) {
        VW_STORE(d + r * ldd + col, x[r][0]);
        if (NV > 1) VW_STORE(d + r * ldd + col + VW_LANES, x[r][1]);
    }
}

// U[QR × VW_LANES·NV] at column `col` (QR ≤ 4, NV ≤ 2): u_{l0+q} += Σ_c G[c, l0 + q] · v_c.
VW_TARGET HS_INLINE void HS_NAME(du_tile)(
    const int QR, const int NV, const float *g, long ldg, long l0, const float *v, const int32_t *vids, long count,
    float *u, const int32_t *uids, long stride, long col) {
    VW_VEC x[4][2];
    float *ur[4];
    for (int q = 0; q < QR; q++) {
        ur[q] = u + (long)uids[l0 + q] * stride + col;
        x[q][0] = VW_LOAD(ur[q]);
        x[q][1] = NV > 1 ? VW_LOAD(ur[q] + VW_LANES) : x[q][0];
    }
    for (long c = 0; c < count; c++) {
        const float *vc = v + (long)vids[c] * stride + col;
        VW_VEC v0 = VW_LOAD(vc);
        VW_VEC v1 = NV > 1 ? VW_LOAD(vc + VW_LANES) : v0;
        for (int q = 0; q < QR; q++) {
            VW_VEC s = VW_SET1(g[c * ldg + l0 + q]);
            x[q][0] = VW_FMA(s, v0, x[q][0]);
            if (NV > 1) x[q][1] = VW_FMA(s, v1, x[q][1]);
        }
    }
    for (int q = 0; q < QR; q++) {
        VW_STORE(ur[q], x[q][0]);
        if (NV > 1) VW_STORE(ur[q] + VW_LANES, x[q][1]);
    }
}

// ΔV for rows c0..<c0 + MR of every column block.
VW_TARGET HS_INLINE void HS_NAME(dv_rows)(
    const int MR, const float *g, long ldg, const float *u, const int32_t *uids, long length, long stride, long n,
    float *d, long ldd) {
    long col = 0;
    for (; col + 2 * VW_LANES <= n; col += 2 * VW_LANES) HS_NAME(dv_tile)(MR, 2, g, ldg, u, uids, length, stride, col, d, ldd);
    if (col < n) HS_NAME(dv_tile)(MR, 1, g, ldg, u, uids, length, stride, col, d, ldd);
}

// ΔU for nodes l0..<l0 + QR, added in place, of every column block.
VW_TARGET HS_INLINE void HS_NAME(du_rows)(
    const int QR, const float *g, long ldg, long l0, const float *v, const int32_t *vids, long count, float *u,
    const int32_t *uids, long stride, long n) {
    long col = 0;
    for (; col + 2 * VW_LANES <= n; col += 2 * VW_LANES) HS_NAME(du_tile)(QR, 2, g, ldg, l0, v, vids, count, u, uids, stride, col);
    if (col < n) HS_NAME(du_tile)(QR, 1, g, ldg, l0, v, vids, count, u, uids, stride, col);
}

VW_TARGET static void HS_NAME(update)(
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
        for (long p = 0; p < n; p += VW_LANES) VW_STORE(row + p, VW_ADD(VW_LOAD(row + p), VW_LOAD(delta + p)));
    }
}
