// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Dense Cholesky factorization A = L·Lᵀ of a symmetric positive-definite matrix, and the two
/// triangular solves that then give A⁻¹·b (Golub & Van Loan, *Matrix Computations*, §4.2).
///
/// Matrices are row-major `order × order` buffers of `Double`; only the lower triangle
/// (row r, columns 0...r) is read and overwritten by L. Every inner loop is a dot product or an
/// axpy over a contiguous row prefix, so it vectorizes. O(n³/3) flops; meant for n up to a few
/// hundred (ALS's k).
public enum Cholesky {
    /// Factors `a` in place (its lower triangle becomes L); `false` when `a` is not (numerically)
    /// positive definite, in which case its contents are unspecified.
    public static func factor(_ a: UnsafeMutablePointer<Double>, order n: Int) -> Bool {
        for j in 0..<n {
            let rowJ = a + j * n
            let d = rowJ[j] - DoubleKernels.dot(rowJ, rowJ, count: j)
            if !(d > 0) || !d.isFinite { return false }
            let ljj = d.squareRoot()
            rowJ[j] = ljj
            let inverse = 1 / ljj
            for i in (j + 1)..<max(j + 1, n) {
                let rowI = a + i * n
                rowI[j] = (rowI[j] - DoubleKernels.dot(rowI, rowJ, count: j)) * inverse
            }
        }
        return true
    }

    /// Overwrites `b` with the solution x of L·Lᵀ·x = b, `l` being the output of ``factor(_:order:)``.
    public static func solve(factored l: UnsafePointer<Double>, order n: Int, _ b: UnsafeMutablePointer<Double>) {
        // L·z = b, row by row.
        for i in 0..<n {
            let row = l + i * n
            b[i] = (b[i] - DoubleKernels.dot(row, b, count: i)) / row[i]
        }
        // Lᵀ·x = z, from the last unknown up: once x[i] is known, remove its column (row i of L,
        // contiguous) from the equations above it.
        var i = n - 1
        while i >= 0 {
            let row = l + i * n
            b[i] /= row[i]
            DoubleKernels.axpy(-b[i], row, b, count: i)
            i -= 1
        }
    }

    /// Solves A·x = b for a full row-major `b.count × b.count` matrix `a`; `nil` when A is not
    /// positive definite. Allocates: for tests and one-off solves.
    public static func solve(_ a: [Double], _ b: [Double]) -> [Double]? {
        let n = b.count
        precondition(a.count == n * n, "A must be n×n for b of n values")
        if n == 0 { return [] }
        var l = a
        var x = b
        let ok = l.withUnsafeMutableBufferPointer { factor($0.baseAddress!, order: n) }
        if !ok { return nil }
        l.withUnsafeBufferPointer { lp in
            x.withUnsafeMutableBufferPointer { solve(factored: lp.baseAddress!, order: n, $0.baseAddress!) }
        }
        return x
    }
}
