// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// Vector primitives on raw pointers, written so the compiler vectorizes them:
/// `Relaxed` arithmetic lets it reorder the sums into SIMD lanes (swift-numerics).
public enum Kernels {
    /// Σ a[i]·b[i].
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s: Float = 0
        for i in 0..<count { s = Relaxed.multiplyAdd(a[i], b[i], s) }
        return s
    }

    /// y += alpha · x.
    @inlinable @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = Relaxed.multiplyAdd(alpha, x[i], y[i]) }
    }

    /// y += x.
    @inlinable @inline(__always)
    public static func add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] = Relaxed.sum(y[i], x[i]) }
    }

    /// x *= alpha.
    @inlinable @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, by alpha: Float, count: Int) {
        for i in 0..<count { x[i] = Relaxed.product(x[i], alpha) }
    }

    /// x = 0.
    @inlinable @inline(__always)
    public static func zero(_ x: UnsafeMutablePointer<Float>, count: Int) {
        x.update(repeating: 0, count: count)
    }
}
