// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// GRU4Rec's losses over a minibatch's score matrix: `rows` sessions by `columns` candidate items,
/// where column `b` holds row `b`'s target (the other rows' targets and the shared negative
/// samples are its negatives), as in Hidasi & Karatzoglou 2018.
///
/// Each function returns the loss summed over the rows and writes `scale` times its gradient with
/// respect to the scores into `gradient` (the trainer passes 1 / batch size, as the official
/// implementation divides the summed loss by it).
public enum GRU4RecLosses {
    /// Cross-entropy of the softmax over each row: −log p_target; ∂/∂o_j = p_j − [j = target].
    /// `offsets` (one per column, or `nil`) is subtracted from the scores first (logq correction).
    public static func crossEntropy(
        scores: UnsafePointer<Float>,
        offsets: UnsafePointer<Float>?,
        rows: Int,
        columns: Int,
        gradient: UnsafeMutablePointer<Float>,
        scale: Float
    ) -> Double {
        var loss = 0.0
        for b in 0..<rows {
            let o = scores + b * columns
            let g = gradient + b * columns
            var top = -Float.infinity
            for j in 0..<columns {
                let v = o[j] - (offsets?[j] ?? 0)
                g[j] = v
                top = max(top, v)
            }
            var sum: Float = 0
            for j in 0..<columns {
                let e = Float.exp(g[j] - top)
                g[j] = e
                sum += e
            }
            let inverse = 1 / sum
            for j in 0..<columns { g[j] *= inverse }
            loss -= Double(Float.log(g[b] + 1e-24))
            g[b] -= 1
            for j in 0..<columns { g[j] *= scale }
        }
        return loss
    }

    /// BPR-max: with s the softmax of the row's scores over its negatives (the target excluded)
    /// and σ_j = σ(o_target − o_j), −log Σ_j s_j·σ_j + bpreg·Σ_j s_j·o_j², the scores first passed
    /// through ELU(α) when `elu` > 0. Uses `scratch` (`columns` floats).
    public static func bprMax(
        scores: UnsafePointer<Float>,
        rows: Int,
        columns: Int,
        bpreg: Float,
        elu: Float,
        gradient: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>,
        scale: Float
    ) -> Double {
        var loss = 0.0
        let s = scratch
        for b in 0..<rows {
            let raw = scores + b * columns
            let g = gradient + b * columns
            // g holds the (activated) scores o for now.
            for j in 0..<columns {
                let x = raw[j]
                g[j] = elu > 0 && x < 0 ? elu * (Float.exp(x) - 1) : x
            }
            let target = g[b]
            // Softmax over the negatives; the target's score counts as 0 in the maximum, as the
            // official code masks it to 0 before taking the maximum.
            var top: Float = 0
            for j in 0..<columns where j != b { top = max(top, g[j]) }
            var sum: Float = 0
            for j in 0..<columns {
                let e = j == b ? 0 : Float.exp(g[j] - top)
                s[j] = e
                sum += e
            }
            let inverse = 1 / sum
            var a: Float = 0  // Σ s_j σ_j
            var q: Float = 0  // Σ s_j o_j²
            var dTarget: Float = 0  // Σ s_j σ_j (1 − σ_j)
            for j in 0..<columns where j != b {
                s[j] *= inverse
                let sig = GRUCell.sigmoid(target - g[j])
                a += s[j] * sig
                q += s[j] * g[j] * g[j]
                dTarget += s[j] * sig * (1 - sig)
            }
            loss += Double(-Float.log(a + 1e-24) + bpreg * q)
            let inverseA = 1 / (a + 1e-24)
            for j in 0..<columns {
                let o = g[j]
                var d: Float
                if j == b {
                    d = -inverseA * dTarget
                } else {
                    let sig = GRUCell.sigmoid(target - o)
                    d = -inverseA * s[j] * (sig * sig - a) + bpreg * s[j] * (2 * o + o * o - q)
                }
                // ELU's derivative: 1 above 0, elu(x) + α below.
                if elu > 0 && raw[j] < 0 { d *= o + elu }
                g[j] = d * scale
            }
        }
        return loss
    }
}
