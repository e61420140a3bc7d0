// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import RealModule
import _RecVecShims

/// The three matrix products a recurrent network's minibatch needs, on row-major `Float` buffers.
///
/// Two implementations, chosen by `kernel` (default ``VectorKernel/active``, which asks the CPU
/// once): register-tiled C kernels for AVX2 + FMA and for AVX-512 (`_RecVecShims`), and the
/// portable one, Swift loops written so the compiler vectorizes them for the baseline target
/// (`Relaxed` arithmetic) and blocked so a row of the right-hand side is loaded once for four rows
/// of the result.
///
/// Each element of a result is always summed in the same order, whatever `threads` is: splitting
/// the rows over threads changes the speed, never the numbers. Different kernels may differ
/// within float rounding (the vector kernels fuse each multiply-add).
///
/// - Precondition: `kernel` is one this CPU supports (``VectorKernel/isSupported``).
public enum MatrixProducts {
    /// C (m × n) = A (m × k) · B (k × n), added to C when `accumulate`.
    public static func multiply(
        _ a: UnsafePointer<Float>,
        _ b: UnsafePointer<Float>,
        into c: UnsafeMutablePointer<Float>,
        m: Int,
        k: Int,
        n: Int,
        accumulate: Bool = false,
        threads: Int = 1,
        kernel: VectorKernel = .active
    ) {
        if kernel != .portable {
            precondition(kernel.isSupported, "the \(kernel) kernel needs a CPU that has it")
            rowBlocks(m: m, work: m * k * n, threads: threads) { rows in
                let i = rows.lowerBound
                recvec_sgemm_nn(kernel.level, rows.count, n, k, a + i * k, k, b, n, c + i * n, n, accumulate)
            }
            return
        }
        rowBlocks(m: m, work: m * k * n, threads: threads) { rows in
            var i = rows.lowerBound
            while i < rows.upperBound {
                let r = min(4, rows.upperBound - i)
                if !accumulate { c.advanced(by: i * n).update(repeating: 0, count: r * n) }
                if r == 4 {
                    let c0 = c + i * n
                    let c1 = c0 + n
                    let c2 = c1 + n
                    let c3 = c2 + n
                    for p in 0..<k {
                        let a0 = a[i * k + p]
                        let a1 = a[(i + 1) * k + p]
                        let a2 = a[(i + 2) * k + p]
                        let a3 = a[(i + 3) * k + p]
                        let bp = b + p * n
                        for j in 0..<n {
                            let x = bp[j]
                            c0[j] = Relaxed.multiplyAdd(a0, x, c0[j])
                            c1[j] = Relaxed.multiplyAdd(a1, x, c1[j])
                            c2[j] = Relaxed.multiplyAdd(a2, x, c2[j])
                            c3[j] = Relaxed.multiplyAdd(a3, x, c3[j])
                        }
                    }
                } else {
                    for row in i..<(i + r) {
                        let cr = c + row * n
                        for p in 0..<k { Kernels.axpy(a[row * k + p], b + p * n, cr, count: n) }
                    }
                }
                i += r
            }
        }
    }

    /// C (m × n) = A (m × k) · Bᵀ, B being n × k; added to C when `accumulate`.
    public static func multiplyTransposed(
        _ a: UnsafePointer<Float>,
        _ b: UnsafePointer<Float>,
        into c: UnsafeMutablePointer<Float>,
        m: Int,
        k: Int,
        n: Int,
        accumulate: Bool = false,
        threads: Int = 1,
        kernel: VectorKernel = .active
    ) {
        // Split over B's rows (the result's columns): each worker reads its own rows of B once.
        if kernel != .portable {
            precondition(kernel.isSupported, "the \(kernel) kernel needs a CPU that has it")
            rowBlocks(m: n, work: m * k * n, threads: threads) { columns in
                let j = columns.lowerBound
                recvec_sgemm_nt(kernel.level, m, columns.count, k, a, k, b + j * k, k, c + j, n, accumulate)
            }
            return
        }
        rowBlocks(m: n, work: m * k * n, threads: threads) { columns in
            var j = columns.lowerBound
            while j < columns.upperBound {
                let r = min(4, columns.upperBound - j)
                if r == 4 {
                    let b0 = b + j * k
                    let b1 = b0 + k
                    let b2 = b1 + k
                    let b3 = b2 + k
                    for i in 0..<m {
                        let ai = a + i * k
                        var s0: Float = 0
                        var s1: Float = 0
                        var s2: Float = 0
                        var s3: Float = 0
                        for p in 0..<k {
                            let x = ai[p]
                            s0 = Relaxed.multiplyAdd(x, b0[p], s0)
                            s1 = Relaxed.multiplyAdd(x, b1[p], s1)
                            s2 = Relaxed.multiplyAdd(x, b2[p], s2)
                            s3 = Relaxed.multiplyAdd(x, b3[p], s3)
                        }
                        let ci = c + i * n + j
                        if accumulate {
                            ci[0] += s0
                            ci[1] += s1
                            ci[2] += s2
                            ci[3] += s3
                        } else {
                            ci[0] = s0
                            ci[1] = s1
                            ci[2] = s2
                            ci[3] = s3
                        }
                    }
                } else {
                    for jj in j..<(j + r) {
                        for i in 0..<m {
                            let s = Kernels.dot(a + i * k, b + jj * k, count: k)
                            c[i * n + jj] = accumulate ? c[i * n + jj] + s : s
                        }
                    }
                }
                j += r
            }
        }
    }

    /// C (m × n) += Aᵀ · B, A being k × m and B k × n (the gradient of a weight matrix); C =
    /// Aᵀ · B when `accumulate` is false.
    public static func accumulateTransposed(
        _ a: UnsafePointer<Float>,
        _ b: UnsafePointer<Float>,
        into c: UnsafeMutablePointer<Float>,
        m: Int,
        k: Int,
        n: Int,
        accumulate: Bool = true,
        threads: Int = 1,
        kernel: VectorKernel = .active
    ) {
        if kernel != .portable {
            precondition(kernel.isSupported, "the \(kernel) kernel needs a CPU that has it")
            rowBlocks(m: m, work: m * k * n, threads: threads) { rows in
                let i = rows.lowerBound
                recvec_sgemm_tn(kernel.level, rows.count, n, k, a + i, m, b, n, c + i * n, n, accumulate)
            }
            return
        }
        rowBlocks(m: m, work: m * k * n, threads: threads) { rows in
            var i = rows.lowerBound
            if !accumulate { c.advanced(by: i * n).update(repeating: 0, count: rows.count * n) }
            while i < rows.upperBound {
                let r = min(4, rows.upperBound - i)
                if r == 4 {
                    let c0 = c + i * n
                    let c1 = c0 + n
                    let c2 = c1 + n
                    let c3 = c2 + n
                    for p in 0..<k {
                        let ap = a + p * m + i
                        let a0 = ap[0]
                        let a1 = ap[1]
                        let a2 = ap[2]
                        let a3 = ap[3]
                        let bp = b + p * n
                        for j in 0..<n {
                            let x = bp[j]
                            c0[j] = Relaxed.multiplyAdd(a0, x, c0[j])
                            c1[j] = Relaxed.multiplyAdd(a1, x, c1[j])
                            c2[j] = Relaxed.multiplyAdd(a2, x, c2[j])
                            c3[j] = Relaxed.multiplyAdd(a3, x, c3[j])
                        }
                    }
                } else {
                    for row in i..<(i + r) {
                        for p in 0..<k { Kernels.axpy(a[p * m + row], b + p * n, c + row * n, count: n) }
                    }
                }
                i += r
            }
        }
    }

    /// Runs `body` over blocks of `0..<m` (multiples of four rows), on up to `threads` threads
    /// when the product is large enough to pay for them.
    @inline(__always)
    static func rowBlocks(m: Int, work: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let workers = min(threads, m / 16, max(1, work / 2_000_000))
        if workers <= 1 {
            body(0..<m)
            return
        }
        let blocks = (m + 3) / 4
        withoutActuallyEscaping(body) { body in
            let shared = SendableBody(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lower = blocks * w / workers * 4
                let upper = min(m, blocks * (w + 1) / workers * 4)
                if lower < upper { shared.value(lower..<upper) }
            }
        }
    }
}

/// Hands the product's closure to its workers: each writes only its own rows of the result and
/// reads inputs no worker writes.
private struct SendableBody<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
