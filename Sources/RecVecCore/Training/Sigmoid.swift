// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// The logistic function σ(x) and log σ(x) from tables with linear interpolation over [-8, 8]
/// (absolute error below 1e-6), clamped outside. The training loop calls these once per
/// (input, target) pair, where `exp` and `log` would cost as much as the dot product itself.
public struct SigmoidTable: @unchecked Sendable {
    @usableFromInline static let bins = 4096
    @usableFromInline static let limit: Float = 8
    @usableFromInline static let scale = Float(bins) / (2 * limit)
    /// σ at the bin edges, then log σ at the bin edges.
    @usableFromInline let table: UnsafeMutablePointer<Float>

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
