// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// The gated recurrent unit (Cho et al. 2014) as PyTorch's `GRUCell` computes it, on a minibatch
/// of rows, given the two input products (gx = x·W_ih + b_ih and gh = h·W_hh + b_hh, each `3H`
/// wide in the order reset, update, candidate):
///
///     r = σ(gx_r + gh_r)    z = σ(gx_z + gh_z)    n = tanh(gx_n + r ⊙ gh_n)
///     h' = (1 − z) ⊙ n + z ⊙ h
///
/// The products are the caller's (``MatrixProducts``); this type does the element-wise part and
/// its derivative. GRU4Rec truncates back-propagation to one step (the previous state is a
/// constant), so the backward pass yields the gradients of gx and gh only.
public enum GRUCell {
    /// Element-wise forward pass over `rows` rows: reads `gx`, `gh`, `previous` and writes the
    /// activated gates (r, z, n) to `gates` and the new state to `next`.
    @inlinable
    public static func forward(
        gx: UnsafePointer<Float>,
        gh: UnsafePointer<Float>,
        previous: UnsafePointer<Float>,
        gates: UnsafeMutablePointer<Float>,
        next: UnsafeMutablePointer<Float>,
        rows: Int,
        hidden h: Int
    ) {
        for b in 0..<rows {
            let x = gx + b * 3 * h
            let y = gh + b * 3 * h
            let g = gates + b * 3 * h
            let p = previous + b * h
            let o = next + b * h
            for j in 0..<h {
                let r = sigmoid(x[j] + y[j])
                let z = sigmoid(x[h + j] + y[h + j])
                let n = Float.tanh(x[2 * h + j] + r * y[2 * h + j])
                g[j] = r
                g[h + j] = z
                g[2 * h + j] = n
                o[j] = (1 - z) * n + z * p[j]
            }
        }
    }

    /// Element-wise backward pass: from the gradient of the new state `dNext`, the gradients of
    /// the two input products, written to `dgx` and `dgh` (`rows × 3H` each).
    @inlinable
    public static func backward(
        dNext: UnsafePointer<Float>,
        gates: UnsafePointer<Float>,
        gh: UnsafePointer<Float>,
        previous: UnsafePointer<Float>,
        dgx: UnsafeMutablePointer<Float>,
        dgh: UnsafeMutablePointer<Float>,
        rows: Int,
        hidden h: Int
    ) {
        for b in 0..<rows {
            let g = gates + b * 3 * h
            let y = gh + b * 3 * h
            let p = previous + b * h
            let d = dNext + b * h
            let dx = dgx + b * 3 * h
            let dh = dgh + b * 3 * h
            for j in 0..<h {
                let r = g[j]
                let z = g[h + j]
                let n = g[2 * h + j]
                let dn = d[j] * (1 - z)
                let dz = d[j] * (p[j] - n)
                let dan = dn * (1 - n * n)
                let dar = dan * y[2 * h + j] * r * (1 - r)
                let daz = dz * z * (1 - z)
                dx[j] = dar
                dx[h + j] = daz
                dx[2 * h + j] = dan
                dh[j] = dar
                dh[h + j] = daz
                dh[2 * h + j] = dan * r
            }
        }
    }

    @inlinable @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + Float.exp(-x)) }
}
