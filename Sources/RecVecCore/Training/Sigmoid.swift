// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform
import _RecVecShims

/// The logistic function σ(x) and log σ(x) from tables with linear interpolation over [-8, 8]
/// (absolute error below 1e-6), clamped outside. The training loop calls these once per
/// (input, target) pair, where `exp` and `log` would cost as much as the dot product itself.
public struct SigmoidTable: @unchecked Sendable {
    @usableFromInline static let bins = 4096
    @usableFromInline static let limit: Float = 8
    @usableFromInline static let scale = Float(bins) / (2 * limit)
    /// σ at the bin edges, then log σ at the bin edges.
    @usableFromInline let table: UnsafeMutablePointer<Float>

    /// Negative sampling gives no step for a negative whose score is at least this far from 0
    /// either way, nor for a positive scoring at least this much (6: σ within 0.0025 of 0 or 1), in
    /// every kernel; a positive scoring below −6 still steps. A negative that scores ≥ 6 is most
    /// often an item that does belong with the input, drawn by chance (a small catalog, or negatives
    /// drawn near-uniformly); its full gradient would push related items apart. gensim's word2vec
    /// skips every pair past ±6 (its sigmoid table ends there); the word2vec C tool steps by the
    /// clamped σ. Measured (docs/results.md, "Saturated negatives"): item2vec on yoochoose gained
    /// 0.011 mrr@20 (its gap to gensim at the same hyperparameters from −0.013 to −0.002); MovieLens,
    /// groceries, msweb and the Gutenberg analogies unchanged within noise. Skipping the positives
    /// below −6 too (gensim's rule) would leave a pair that went that wrong unrepairable: sets of
    /// hundreds of items in a full window then diverged (a test). The loss counts every pair.
    public static let saturation: Float = RECVEC_SIGMOID_SATURATION

    /// The process-wide table (built once; read-only afterwards).
    public static let shared = SigmoidTable()

    private init() {
        let n = Self.bins + 1
        table = .allocate(capacity: 2 * n)
        for i in 0..<n {
            let x = Double(i) / Double(Self.scale) - Double(Self.limit)
            table[i] = Float(1 / (1 + exp(-x)))
            table[n + i] = Float(-log1p(exp(-x)))
        }
    }

    /// σ(x) = 1 / (1 + e^−x).
    @inlinable @inline(__always)
    public func sigmoid(_ x: Float) -> Float {
        if !(x > -Self.limit) { return table[0] }  // also NaN
        if x >= Self.limit { return table[Self.bins] }
        let p = (x + Self.limit) * Self.scale
        let i = min(Int(p), Self.bins - 1)  // p may round up to `bins` just below the limit
        let t = p - Float(i)
        return table[i] + t * (table[i + 1] - table[i])
    }

    /// log σ(x), exact enough for loss reporting; linear (≈ x) below −8 and ≈ 0 above 8.
    @inlinable @inline(__always)
    public func logSigmoid(_ x: Float) -> Float {
        let n = Self.bins + 1
        if !(x > -Self.limit) { return x.isNaN ? -Self.limit : x }
        if x >= Self.limit { return table[n + Self.bins] }
        let p = (x + Self.limit) * Self.scale
        let i = min(Int(p), Self.bins - 1)
        let t = p - Float(i)
        return table[n + i] + t * (table[n + i + 1] - table[n + i])
    }
}
