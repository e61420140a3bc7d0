// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform
import _RecVecShims

/// The instruction set of RecVec's vector kernels, chosen once per process from the CPU.
///
/// The package is compiled for the baseline of its architecture (SSE2 on x86-64), so that one
/// build runs on every machine. Kernels that need more — the matrix products of GRU4Rec
/// (``MatrixProducts``), and negative sampling under SGD and hierarchical softmax (``TrainingKernel``:
/// skip-gram, CBOW and the 2vec models, the default training path) — also exist in C variants
/// compiled for AVX2 with FMA and for AVX-512, each function with its own target attribute; which
/// one runs is decided here, at run time, by asking the CPU. Row-wise Adagrad and the full softmax
/// keep the Swift loops on every kernel. On other architectures, or on an x86-64 CPU without AVX2
/// and FMA, only the portable Swift kernels run.
///
/// The environment variable `RECVEC_KERNEL`, read once, overrides the choice: `portable` forces
/// the Swift kernels, `avx2` the AVX2 ones and `avx512` the AVX-512 ones (when the CPU has them);
/// unset, `auto` or anything else keeps the best the CPU supports.
///
/// Results of a product do not depend on the thread count under any kernel; they may differ
/// between kernels within float rounding (the vector kernels use fused multiply-adds).
public enum VectorKernel: String, Sendable, CaseIterable {
    /// Swift loops compiled for the baseline target, vectorized by the compiler: every machine.
    case portable
    /// x86-64 with AVX2 and FMA: 256-bit vectors, fused multiply-add.
    case avx2
    /// x86-64 with AVX-512 (foundation): 512-bit vectors, fused multiply-add.
    case avx512

    /// The kernels this CPU can run, ``portable`` first.
    public static let supported: [VectorKernel] = {
        let level = recvec_vector_level()
        return [.portable] + (level >= 1 ? [.avx2] : []) + (level >= 2 ? [.avx512] : [])
    }()

    /// The kernel RecVec runs: the best in ``supported``, unless `RECVEC_KERNEL` names another
    /// supported one.
    public static let active: VectorKernel = {
        let requested = getenv("RECVEC_KERNEL").map { String(cString: $0) }
        return select(requested: requested, supported: supported)
    }()

    /// Whether this CPU can run the kernel.
    public var isSupported: Bool { VectorKernel.supported.contains(self) }

    /// The kernel `requested` (a raw value; `nil` or unknown: the best) among `supported`.
    static func select(requested: String?, supported: [VectorKernel]) -> VectorKernel {
        if let requested, let kernel = VectorKernel(rawValue: requested.lowercased()), supported.contains(kernel) {
            return kernel
        }
        return supported.last ?? .portable
    }

    /// The kernel the word2vec family's windows (``TrainingKernel``) run on when this one is
    /// chosen: negative sampling under SGD and hierarchical softmax run on this one; the full
    /// softmax and row-wise Adagrad (`adagrad`) run the portable Swift loops on every kernel.
    public func windows(loss: TrainingLoss, adagrad: Bool) -> VectorKernel {
        switch loss {
        case .negative: adagrad ? .portable : self
        case .hierarchical: self
        case .softmax: .portable
        }
    }

    /// The C variants' level: 1 for AVX2, 2 for AVX-512 (0 for the portable kernel).
    var level: Int32 {
        switch self {
        case .portable: 0
        case .avx2: 1
        case .avx512: 2
        }
    }
}
