// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch

/// Speed and recall of one way of searching, over one set of queries.
public struct SearchMeasurement: Sendable, Codable, Equatable {
    /// `exact` or `hnsw`.
    public var method: String
    /// Candidate list size (HNSW only).
    public var ef: Int?
    public var queries: Int
    /// Answers per query.
    public var k: Int
    /// Mean fraction of the exact top k found (1 for exact search).
    public var recall: Double
    /// Queries per second, one after another on one thread.
    public var queriesPerSecond: Double
    /// Median and 99th percentile latency of one query, one thread.
    public var p50Milliseconds: Double
    public var p99Milliseconds: Double
    /// Queries per second when all cores answer a batch (one query per task).
    public var batchQueriesPerSecond: Double
    public var batchThreads: Int
}

/// Measures searches against exact answers: what `recvec index` reports and `recvec
/// bench-search` prints.
public enum SearchBenchmark {
    /// `count` distinct items drawn with `seed` (all items when there are fewer), as queries: their
    /// unit vectors (rows of a new matrix) and ids (each query leaves its own item out).
    public static func itemQueries(_ search: ItemSearch, count: Int, seed: UInt64) -> (EmbeddingMatrix, [Int32]) {
        var rng = FastRandom(seed: seed)
        var ids = Array(0..<Int32(search.itemCount))
        let n = min(count, ids.count)
        for i in 0..<n { ids.swapAt(i, i + rng.next(below: ids.count - i)) }
        ids.removeLast(ids.count - n)
        let queries = EmbeddingMatrix(rows: n, dim: search.unitVectors.dim)
        for (row, id) in ids.enumerated() {
            queries.row(row).update(from: search.unitVectors.row(Int(id)), count: queries.stride)
        }
        return (queries, ids)
    }

    /// The exact top `k` items of every query (all cores), leaving out `excluded[q]` when given.
    public static func exactAnswers(
        _ search: ItemSearch,
        queries: EmbeddingMatrix,
        k: Int,
        excluded: [Int32?]
    )
        -> [[Int32]]
    {
        let found = BlockedSearch.topK(
            matrix: search.unitVectors,
            rows: search.itemCount,
            queries: queries,
            k: min(search.itemCount, k + 1)
        )
        return found.enumerated().map { q, list in
            Array(list.lazy.map(\.id).filter { $0 != excluded[q] }.prefix(k))
        }
    }

    /// Times `search` (exact when it has no index) on every query, one at a time on one thread,
    /// then as a batch on all cores, and scores its answers against `truth`.
    public static func measure(
        _ search: ItemSearch,
        queries: EmbeddingMatrix,
        excluded: [Int32?],
        truth: [[Int32]],
        k: Int,
        batchThreads: Int? = nil
    ) -> SearchMeasurement {
        let n = queries.rows
        let sets: [Set<Int32>] = excluded.map { $0.map { [$0] } ?? [] }
        for q in 0..<min(n, 50) { _ = search.nearest(to: queries.row(q), k: k, excluding: sets[q]) }  // warm up
        var latencies = [Double](repeating: 0, count: n)
        var hits = 0
        let clock = ContinuousClock()
        let start = clock.now
        for q in 0..<n {
            let t0 = clock.now
            let answer = search.nearest(to: queries.row(q), k: k, excluding: sets[q])
            latencies[q] = seconds(clock.now - t0)
            let expected = Set(truth[q])
            hits += answer.reduce(0) { $0 + (expected.contains($1.id) ? 1 : 0) }
        }
        let total = seconds(clock.now - start)
        latencies.sort()
        let threads = max(1, batchThreads ?? ProcessInfoShim.activeProcessorCount)
        let batchStart = clock.now
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var q = t
            while q < n {
                _ = search.nearest(to: queries.row(q), k: k, excluding: sets[q])
                q += threads
            }
        }
        let batch = seconds(clock.now - batchStart)
        let expectedTotal = truth.reduce(0) { $0 + $1.count }
        return SearchMeasurement(
            method: search.isApproximate ? "hnsw" : "exact",
            ef: search.isApproximate ? (search.efSearch ?? search.index!.parameters.efSearch) : nil,
            queries: n,
            k: k,
            recall: expectedTotal > 0 ? Double(hits) / Double(expectedTotal) : 1,
            queriesPerSecond: total > 0 ? Double(n) / total : 0,
            p50Milliseconds: percentile(latencies, 0.5) * 1000,
            p99Milliseconds: percentile(latencies, 0.99) * 1000,
            batchQueriesPerSecond: batch > 0 ? Double(n) / batch : 0,
            batchThreads: threads
        )
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The value at fraction `p` of sorted `values` (nearest rank).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }
}
