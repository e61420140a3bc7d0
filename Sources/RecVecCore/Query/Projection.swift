// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// A 2-D map of embeddings: principal component analysis (Pearson 1901; Hotelling 1933) of the
/// mean-centred unit vectors, by power iteration with deflation.
///
/// Deterministic: the start vector is fixed and each axis's sign is chosen so that its largest
/// component is positive, so the same rows always give the same map.
public struct Projection: Sendable, Equatable {
    /// The two principal axes (unit vectors of `dim` values), the dominant one first.
    public var axes: [[Float]]
    /// The variance of the points along each axis.
    public var variances: [Double]
    /// One (x, y) per projected row, in the order of the rows given.
    public var x: [Float]
    public var y: [Float]

    /// Projects rows `rows` of `matrix` (each scaled to unit length, then centred on their mean)
    /// onto their two principal axes.
    ///
    /// - Parameters:
    ///   - matrix: the vectors, e.g. a model's ``EmbeddingModel/input``.
    ///   - rows: the rows to project, in the order of the points returned.
    ///   - iterations: the most power-iteration steps per axis (it stops earlier once the axis
    ///     moves by less than `tolerance`).
    ///   - tolerance: the change of an axis below which power iteration stops.
    /// - Complexity: O(rows · dim · iterations).
    public init(matrix: EmbeddingMatrix, rows: [Int], iterations: Int = 300, tolerance: Double = 1e-9) {
        let n = rows.count
        let d = matrix.dim
        // Centred unit vectors, row-major n × d, in Double for stable sums over many rows.
        var data = [Double](repeating: 0, count: n * d)
        var mean = [Double](repeating: 0, count: d)
        for (i, r) in rows.enumerated() {
            let p = matrix.row(r)
            let norm = Double(Kernels.dot(p, p, count: matrix.stride)).squareRoot()
            let inv = norm > 0 ? 1 / norm : 0
            for j in 0..<d {
                data[i * d + j] = Double(p[j]) * inv
                mean[j] += data[i * d + j]
            }
        }
        if n > 0 { for j in 0..<d { mean[j] /= Double(n) } }
        for i in 0..<n { for j in 0..<d { data[i * d + j] -= mean[j] } }

        var axes: [[Double]] = []
        var variances: [Double] = []
        var coordinates: [[Double]] = []
        for _ in 0..<2 {
            let (axis, variance) = Self.dominantAxis(data, n: n, d: d, iterations: iterations, tolerance: tolerance)
            // Coordinates along the axis, then deflate: remove that direction from every point.
            var coords = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<d { s += data[i * d + j] * axis[j] }
                coords[i] = s
                for j in 0..<d { data[i * d + j] -= s * axis[j] }
            }
            axes.append(axis)
            variances.append(variance)
            coordinates.append(coords)
        }
        self.axes = axes.map { $0.map(Float.init) }
        self.variances = variances
        x = coordinates[0].map(Float.init)
        y = coordinates[1].map(Float.init)
    }

    /// The unit eigenvector of XᵀX with the largest eigenvalue, and that eigenvalue / n.
    static func dominantAxis(
        _ data: [Double],
        n: Int,
        d: Int,
        iterations: Int,
        tolerance: Double
    )
        -> (axis: [Double], variance: Double)
    {
        // A fixed start that no axis-aligned structure is orthogonal to.
        var v = [Double](repeating: 0, count: d)
        for j in 0..<d { v[j] = 1 + 0.1 * Double(j % 7) + 0.01 * Double(j) }
        normalize(&v)
        var projected = [Double](repeating: 0, count: n)
        var variance = 0.0
        for _ in 0..<max(1, iterations) {
            // w = Xᵀ (X v)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<d { s += data[i * d + j] * v[j] }
                projected[i] = s
            }
            var w = [Double](repeating: 0, count: d)
            for i in 0..<n where projected[i] != 0 {
                for j in 0..<d { w[j] += data[i * d + j] * projected[i] }
            }
            let norm = normalize(&w)
            variance = n > 0 ? norm / Double(n) : 0
            if norm == 0 { break }  // no variance left: keep the previous direction
            var change = 0.0
            for j in 0..<d { change += (w[j] - v[j]) * (w[j] - v[j]) }
            v = w
            if change < tolerance { break }
        }
        // Sign convention: the largest component is positive.
        if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
        return (v, variance)
    }

    @discardableResult
    static func normalize(_ v: inout [Double]) -> Double {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for j in v.indices { v[j] /= norm } }
        return norm
    }
}
