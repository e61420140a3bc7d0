// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// Every kernel this CPU can run (``VectorKernel/supported``): the matrix products against a sum in
/// double precision and against the portable kernel, on shapes that are and are not multiples of
/// the kernels' tiles, with and without accumulation, whatever the thread count; Adagrad's step
/// against the Swift loop.
@Suite struct VectorKernelTests {
    /// m, k, n: single elements, ragged edges of every tile (8 × 32 and 6 × 16 blocks, 4-column dot
    /// tiles, 8- and 16-lane k), k over the 256-step block, one row (inference), GRU4Rec-like.
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (1, 7, 1), (2, 3, 5), (3, 17, 33), (5, 9, 15), (7, 31, 47), (8, 16, 32), (9, 33, 17),
        (13, 257, 29), (6, 300, 50), (1, 480, 130), (48, 96, 200), (17, 513, 9), (50, 20, 2100),
    ]

    enum Product: CaseIterable { case multiply, multiplyTransposed, accumulateTransposed }

    struct Case {
        let m: Int
        let k: Int
        let n: Int
        let a: [Float]
        let b: [Float]
        let c0: [Float]

        init(m: Int, k: Int, n: Int, seed: UInt64) {
            self.m = m
            self.k = k
            self.n = n
            var rng = FastRandom(seed: seed)
            a = (0..<(m * k)).map { _ in rng.nextUnitFloat() * 2 - 1 }
            b = (0..<(k * n)).map { _ in rng.nextUnitFloat() * 2 - 1 }
            c0 = (0..<(m * n)).map { _ in rng.nextUnitFloat() * 2 - 1 }
        }

        /// A (m × k), or Aᵀ stored k × m; B (k × n), or stored n × k: the same buffers read
        /// through each product's layout.
        func element(_ product: Product, _ i: Int, _ p: Int, _ j: Int) -> (Float, Float) {
            switch product {
            case .multiply: (a[i * k + p], b[p * n + j])
            case .multiplyTransposed: (a[i * k + p], b[j * k + p])
            case .accumulateTransposed: (a[p * m + i], b[p * n + j])
            }
        }

        func run(_ product: Product, accumulate: Bool, threads: Int, kernel: VectorKernel) -> [Float] {
            var c = c0
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        let (a, b, c) = (ap.baseAddress!, bp.baseAddress!, cp.baseAddress!)
                        switch product {
                        case .multiply:
                            MatrixProducts.multiply(
                                a,
                                b,
                                into: c,
                                m: m,
                                k: k,
                                n: n,
                                accumulate: accumulate,
                                threads: threads,
                                kernel: kernel
                            )
                        case .multiplyTransposed:
                            MatrixProducts.multiplyTransposed(
                                a,
                                b,
                                into: c,
                                m: m,
                                k: k,
                                n: n,
                                accumulate: accumulate,
                                threads: threads,
                                kernel: kernel
                            )
                        case .accumulateTransposed:
                            MatrixProducts.accumulateTransposed(
                                a,
                                b,
                                into: c,
                                m: m,
                                k: k,
                                n: n,
                                accumulate: accumulate,
                                threads: threads,
                                kernel: kernel
                            )
                        }
                    }
                }
            }
            return c
        }
    }

    @Test func theDetectedKernelsIncludeThePortableOneAndTheActiveOne() {
        #expect(VectorKernel.supported.first == .portable)
        #expect(VectorKernel.active.isSupported)
        #expect(VectorKernel.select(requested: "portable", supported: [.portable, .avx2]) == .portable)
        #expect(VectorKernel.select(requested: "AVX2", supported: [.portable, .avx2, .avx512]) == .avx2)
        #expect(VectorKernel.select(requested: "avx512", supported: [.portable, .avx2]) == .avx2)
        #expect(VectorKernel.select(requested: nil, supported: [.portable, .avx2, .avx512]) == .avx512)
        #expect(VectorKernel.select(requested: "fast", supported: [.portable]) == .portable)
    }

    /// Negative sampling under SGD and hierarchical softmax run on the chosen kernel; the full
    /// softmax and row-wise Adagrad on the Swift loops.
    @Test(arguments: VectorKernel.allCases)
    func theWindowsRunOnTheChosenKernelWhereTheyHaveOne(kernel: VectorKernel) {
        #expect(kernel.windows(loss: .negative, adagrad: false) == kernel)
        #expect(kernel.windows(loss: .hierarchical, adagrad: false) == kernel)
        #expect(kernel.windows(loss: .negative, adagrad: true) == .portable)
        #expect(kernel.windows(loss: .softmax, adagrad: false) == .portable)
    }

    @Test(arguments: Product.allCases)
    func everyKernelAgreesWithTheSumsAndThePortableKernel(_ product: Product) {
        for (s, shape) in Self.shapes.enumerated() {
            let test = Case(m: shape.m, k: shape.k, n: shape.n, seed: UInt64(100 + s))
            for accumulate in [false, true] {
                // The exact sums, and Σ|a·b| for the rounding bound of a k-term float sum.
                var exact = [Double](repeating: 0, count: shape.m * shape.n)
                var bound = [Double](repeating: 0, count: shape.m * shape.n)
                for i in 0..<shape.m {
                    for j in 0..<shape.n {
                        var sum = accumulate ? Double(test.c0[i * shape.n + j]) : 0
                        var magnitude = abs(sum)
                        for p in 0..<shape.k {
                            let (x, y) = test.element(product, i, p, j)
                            sum += Double(x) * Double(y)
                            magnitude += abs(Double(x) * Double(y))
                        }
                        exact[i * shape.n + j] = sum
                        bound[i * shape.n + j] = Double(shape.k + 2) * 1.2e-7 * magnitude + 1e-7
                    }
                }
                let portable = test.run(product, accumulate: accumulate, threads: 1, kernel: .portable)
                for kernel in VectorKernel.supported {
                    let c = test.run(product, accumulate: accumulate, threads: 1, kernel: kernel)
                    var worst = 0.0
                    var apart = 0.0
                    for e in 0..<c.count {
                        worst = max(worst, abs(Double(c[e]) - exact[e]) / bound[e])
                        apart = max(apart, abs(Double(c[e]) - Double(portable[e])) / (2 * bound[e]))
                    }
                    #expect(worst <= 1, "\(product) \(kernel) \(shape) accumulate \(accumulate)")
                    #expect(apart <= 1, "\(product) \(kernel) against portable, \(shape) accumulate \(accumulate)")
                }
            }
        }
    }

    @Test(arguments: Product.allCases)
    func noKernelDependsOnTheThreadCount(_ product: Product) {
        // Large enough for MatrixProducts to use three workers.
        let test = Case(m: 100, k: 300, n: 260, seed: 7)
        for kernel in VectorKernel.supported {
            let one = test.run(product, accumulate: true, threads: 1, kernel: kernel)
            for threads in [2, 3] {
                #expect(test.run(product, accumulate: true, threads: threads, kernel: kernel) == one, "\(kernel)")
            }
        }
    }

    /// A·B and Aᵀ·B fuse one multiply-add per step in the same order in both vector kernels: their
    /// results are identical, not only close.
    @Test func theVectorKernelsGiveIdenticalBroadcastProducts() {
        let vector = VectorKernel.supported.filter { $0 != .portable }
        guard vector.count > 1 else { return }
        for (s, shape) in Self.shapes.enumerated() {
            let test = Case(m: shape.m, k: shape.k, n: shape.n, seed: UInt64(200 + s))
            for product in [Product.multiply, .accumulateTransposed] {
                let results = vector.map { test.run(product, accumulate: true, threads: 1, kernel: $0) }
                #expect(results.allSatisfy { $0 == results[0] }, "\(product) \(shape)")
            }
        }
    }

    /// The vector kernels' Adagrad step gives the Swift loop's numbers exactly, with and without
    /// momentum, on lengths around the vector widths.
    @Test func adagradStepsAreTheSameOnEveryKernel() {
        for count in [1, 7, 8, 15, 16, 17, 33, 100] {
            for momentum: Float in [0, 0.3] {
                var results: [[Float]] = []
                for kernel in VectorKernel.supported {
                    var rng = FastRandom(seed: UInt64(count))
                    var value = (0..<count).map { _ in rng.nextUnitFloat() - 0.5 }
                    var accumulator = (0..<count).map { _ in rng.nextUnitFloat() }
                    var velocity = (0..<count).map { _ in rng.nextUnitFloat() - 0.5 }
                    for _ in 0..<3 {
                        let gradient = (0..<count).map { _ in rng.nextUnitFloat() * 2 - 1 }
                        AdagradParameter.step(
                            value: &value,
                            gradient: gradient,
                            accumulator: &accumulator,
                            velocity: &velocity,
                            count: count,
                            learningRate: 0.07,
                            momentum: momentum,
                            kernel: kernel
                        )
                    }
                    results.append(value + accumulator + velocity)
                }
                #expect(results.allSatisfy { $0 == results[0] }, "count \(count), momentum \(momentum)")
            }
        }
    }
}
