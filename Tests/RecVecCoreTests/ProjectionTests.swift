// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

struct ProjectionTests {
    func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).map(*).reduce(0, +)
        return dot / (a.map { $0 * $0 }.reduce(0, +).squareRoot() * b.map { $0 * $0 }.reduce(0, +).squareRoot())
    }

    func correlation(_ a: [Float], _ b: [Float]) -> Float {
        let ma = a.reduce(0, +) / Float(a.count)
        let mb = b.reduce(0, +) / Float(b.count)
        let ca = a.map { $0 - ma }
        let cb = b.map { $0 - mb }
        return cosine(ca, cb)
    }

    /// Points near the unit sphere, around a common direction e0, spread widely along u and
    /// narrowly along w (u, w, e0 orthonormal), plus a little noise in 17 other dimensions.
    func planted(
        n: Int = 600,
        dim: Int = 20,
        seed: UInt64 = 5
    ) -> (EmbeddingMatrix, a: [Float], b: [Float], u: [Float], w: [Float]) {
        var rng = FastRandom(seed: seed)
        func uniform() -> Float { rng.nextUnitFloat() * 2 - 1 }
        var u = [Float](repeating: 0, count: dim)
        var w = u
        var e0 = u
        e0[0] = 1
        // u and w mix coordinates so the answer is not axis-aligned.
        u[1] = 0.6
        u[2] = 0.8
        w[3] = 0.8
        w[4] = -0.6
        let m = EmbeddingMatrix(rows: n, dim: dim)
        var a: [Float] = []
        var b: [Float] = []
        for r in 0..<n {
            let x = uniform() * 0.6
            let y = uniform() * 0.2
            a.append(x)
            b.append(y)
            var v = (0..<dim).map { 5 * e0[$0] + x * 5 * u[$0] + y * 5 * w[$0] }
            for j in 5..<dim { v[j] += uniform() * 0.05 }
            m.setVector(r, v)
        }
        return (m, a, b, u, w)
    }

    @Test func recoversTheDominantAxesOfAPlanted2DStructure() {
        let (m, a, b, u, w) = planted()
        let p = Projection(matrix: m, rows: Array(0..<m.rows))
        #expect(p.axes.count == 2 && p.x.count == m.rows && p.y.count == m.rows)
        #expect(abs(cosine(p.axes[0], u)) > 0.98, "axis 1 vs u: \(cosine(p.axes[0], u))")
        #expect(abs(cosine(p.axes[1], w)) > 0.98, "axis 2 vs w: \(cosine(p.axes[1], w))")
        #expect(abs(correlation(p.x, a)) > 0.98)
        #expect(abs(correlation(p.y, b)) > 0.98)
        #expect(p.variances[0] > p.variances[1] && p.variances[1] > 0)
        // Axes are orthonormal; coordinates are centred.
        #expect(abs(cosine(p.axes[0], p.axes[1])) < 1e-3)
        #expect(abs(p.axes[0].map { $0 * $0 }.reduce(0, +) - 1) < 1e-4)
        #expect(abs(p.x.reduce(0, +) / Float(p.x.count)) < 1e-4)
    }

    @Test func isDeterministicAndUsesOnlyTheGivenRows() {
        let (m, _, _, _, _) = planted(n: 300)
        let rows = Array(stride(from: 0, to: 300, by: 2))
        let p = Projection(matrix: m, rows: rows)
        #expect(p == Projection(matrix: m, rows: rows))
        #expect(p.x.count == 150)
        // Sign convention: each axis's largest component is positive.
        for axis in p.axes { #expect(axis.max(by: { abs($0) < abs($1) })! > 0) }
    }

    @Test func degenerateInputsGiveFiniteZeros() {
        let m = EmbeddingMatrix(rows: 3, dim: 4)
        for r in 0..<3 { m.setVector(r, [1, 2, 3, 4]) }  // identical points: no variance
        let p = Projection(matrix: m, rows: [0, 1, 2])
        #expect(p.x.allSatisfy { abs($0) < 1e-6 } && p.y.allSatisfy { abs($0) < 1e-6 } && p.x.allSatisfy(\.isFinite))
        #expect(Projection(matrix: m, rows: []).x.isEmpty)
    }
}
