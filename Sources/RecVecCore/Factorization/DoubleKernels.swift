// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// Double-precision vector primitives on raw pointers for the dense k×k systems of ALS (the
/// systems are formed and solved in `Double`: with confidences in the tens, `Float` loses the
/// small eigenvalues). `Relaxed` arithmetic lets the compiler vectorize them, as in ``Kernels``.
enum DoubleKernels {
    /// Σ a[i]·b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var s: Double = 0
        for i in 0..<count { s = Relaxed.multiplyAdd(a[i], b[i], s) }
        return s
    }

    /// y += alpha · x.
    @inline(__always)
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { y[i] = Relaxed.multiplyAdd(alpha, x[i], y[i]) }
    }

    /// y = A·x for a full row-major n×n matrix.
    @inline(__always)
    static func multiply(
        _ a: UnsafePointer<Double>,
        _ x: UnsafePointer<Double>,
        into y: UnsafeMutablePointer<Double>,
        order n: Int
    ) {
        for r in 0..<n { y[r] = dot(a + r * n, x, count: n) }
    }
}
