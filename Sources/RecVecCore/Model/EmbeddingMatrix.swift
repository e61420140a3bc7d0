// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// A row-major matrix of `Float`s, one row a token, in one aligned allocation.
///
/// Rows are padded to a multiple of 16 floats (64 bytes): every row starts on a cache line and the
/// vector loops need no scalar tail. Padding columns are always zero, so they never change a dot
/// product or an update.
///
/// A class because training threads share one matrix and write it without locks (Hogwild,
/// Recht et al. 2011): races between updates of the same row are accepted by design, which is why
/// the type is `@unchecked Sendable`.
public final class EmbeddingMatrix: @unchecked Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of meaningful columns.
    public let dim: Int
    /// Floats between the starts of consecutive rows (`dim` rounded up to 16).
    public let stride: Int
    /// The storage, `rows * stride` floats.
    public let base: UnsafeMutablePointer<Float>

    /// Creates a zero matrix.
    ///
    /// - Precondition: `rows >= 0`, `dim > 0` and `rows × stride` floats fit in memory's address
    ///   range (``EmbeddingMatrix/storageCount(rows:dim:)`` is not `nil`); readers check sizes from files first.
    public init(rows: Int, dim: Int) {
        guard let storage = Self.storageCount(rows: rows, dim: dim) else {
            preconditionFailure("a matrix of \(rows) rows of dimension \(dim) is too large")
        }
        self.rows = rows
        self.dim = dim
        self.stride = Self.stride(dim)
        let count = max(1, storage)
        // Rows are read at random by training: a large matrix is backed by huge pages (``HugePages``).
        let raw = HugePages.allocate(byteCount: count * MemoryLayout<Float>.size, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: count)
        base.initialize(repeating: 0, count: count)
    }

    deinit { base.deallocate() }

    /// Floats between the starts of consecutive rows for dimension `dim`: `dim` rounded up to 16.
    static func stride(_ dim: Int) -> Int { (dim + 15) / 16 * 16 }

    /// The number of floats a matrix of `rows` × `dim` stores (rows padded to a multiple of 16
    /// floats), or `nil` when the sizes are invalid or the bytes would overflow `Int`. Check sizes
    /// that come from a file with it before creating a matrix.
    public static func storageCount(rows: Int, dim: Int) -> Int? {
        guard rows >= 0, dim > 0, dim <= Int.max - 15 else { return nil }
        let (floats, overflow) = rows.multipliedReportingOverflow(by: stride(dim))
        guard !overflow, floats <= Int.max / MemoryLayout<Float>.size else { return nil }
        return floats
    }

    /// A pointer to row `r`.
    @inlinable @inline(__always)
    public func row(_ r: Int) -> UnsafeMutablePointer<Float> { base + r * stride }

    /// Row `r` as an array of `dim` floats.
    public func vector(_ r: Int) -> [Float] { Array(UnsafeBufferPointer(start: row(r), count: dim)) }

    /// Sets row `r` from `values` (`values.count == dim`).
    public func setVector(_ r: Int, _ values: [Float]) {
        precondition(values.count == dim)
        values.withUnsafeBufferPointer { row(r).update(from: $0.baseAddress!, count: dim) }
    }

    /// A copy of this matrix.
    public func copy() -> EmbeddingMatrix {
        let m = EmbeddingMatrix(rows: rows, dim: dim)
        m.base.update(from: base, count: rows * stride)
        return m
    }

    /// Whether every value is finite: a training that diverged leaves infinities or NaNs, which no
    /// model file may hold.
    public var isFinite: Bool {
        for i in 0..<rows * stride where !base[i].isFinite { return false }
        return true
    }

    /// Whether two matrices hold exactly the same values.
    public func isIdentical(to other: EmbeddingMatrix) -> Bool {
        rows == other.rows && dim == other.dim && memcmp(base, other.base, rows * stride * 4) == 0
    }

    /// Unit-length copies of every row (zero rows stay zero).
    public func normalizedRows() -> EmbeddingMatrix {
        let m = copy()
        for r in 0..<rows {
            let p = m.row(r)
            let norm = Kernels.dot(p, p, count: stride).squareRoot()
            if norm > 0 { Kernels.scale(p, by: 1 / norm, count: stride) }
        }
        return m
    }
}
