// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import HeapModule

/// A token id with its score. Orders by score, ties broken towards the smaller id (the more
/// frequent token), so results are deterministic. A NaN score ranks as −∞ (below every number),
/// so it can never scramble the order of the others.
public struct ScoredID: Comparable, Sendable, Hashable {
    public var score: Float
    public var id: Int32

    public init(score: Float, id: Int32) {
        self.score = score
        self.id = id
    }

    /// `a < b` when `a` ranks below `b`.
    @inlinable
    public static func < (a: ScoredID, b: ScoredID) -> Bool {
        let x = a.score.isNaN ? -Float.infinity : a.score
        let y = b.score.isNaN ? -Float.infinity : b.score
        return x != y ? x < y : a.id > b.id
    }
}

/// The `k` best of a stream of scores, kept in a min-heap (swift-collections).
public struct TopK: Sendable {
    public let k: Int
    private var heap = Heap<ScoredID>()

    public init(k: Int) {
        precondition(k >= 0)
        self.k = k
    }

    /// Offers a candidate.
    @inlinable @inline(__always)
    public mutating func offer(_ score: Float, _ id: Int32) {
        let item = ScoredID(score: score, id: id)
        if _count < k {
            _insert(item)
        } else if k > 0, item > _min {
            _replaceMin(item)
        }
    }

    @usableFromInline var _count: Int { heap.count }
    @usableFromInline var _min: ScoredID { heap.min! }
    @usableFromInline mutating func _insert(_ item: ScoredID) { heap.insert(item) }
    @usableFromInline mutating func _replaceMin(_ item: ScoredID) { heap.replaceMin(with: item) }

    /// The kept candidates, best first.
    public func sorted() -> [ScoredID] { heap.unordered.sorted(by: >) }
}

/// Exact maximum-inner-product search over the first `rows` rows of a matrix, for many queries at
/// once: queries are processed in blocks that stay in L1 while the matrix streams past once per
/// block, and blocks run on all cores.
public enum BlockedSearch {
    /// For each query (a row of `queries`, same stride as `matrix`), the `k` rows of `matrix` with
    /// the largest dot product, best first.
    public static func topK(
        matrix: EmbeddingMatrix,
        rows: Int,
        queries: EmbeddingMatrix,
        k: Int,
        threads: Int? = nil
    ) -> [[ScoredID]] {
        precondition(matrix.stride == queries.stride)
        let nq = queries.rows
        if nq == 0 { return [] }
        let block = 32
        let blocks = (nq + block - 1) / block
        let results = UnsafeMutableBufferPointer<[ScoredID]>.allocate(capacity: nq)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        let out = ResultSlots(results: results)
        let rowCount = min(rows, matrix.rows)
        let d = matrix.stride
        let work: @Sendable (Int) -> Void = { b in
            let q0 = b * block
            let q1 = min(nq, q0 + block)
            var tops = (q0..<q1).map { _ in TopK(k: k) }
            for r in 0..<rowCount {
                let row = matrix.row(r)
                for q in q0..<q1 {
                    let s = Kernels.dot(row, queries.row(q), count: d)
                    tops[q - q0].offer(s, Int32(r))
                }
            }
            for q in q0..<q1 { out.results[q] = tops[q - q0].sorted() }
        }
        let workers = min(blocks, threads ?? ProcessInfoShim.activeProcessorCount)
        if workers <= 1 {
            for b in 0..<blocks { work(b) }
        } else {
            DispatchQueue.concurrentPerform(iterations: blocks) { work($0) }
        }
        return Array(results)
    }
}

/// Each block writes only its own result slots.
private struct ResultSlots: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<[ScoredID]>
}
