// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Top-N metrics, one definition for every protocol. Each test case has one target; `rank` is its
/// 1-based position in the recommendation list (∞ if absent). At cut-off k, over all cases:
///
/// - `hr@k` (hit rate): the fraction of cases with rank ≤ k.
/// - `mrr@k`: the mean of 1/rank, counting 0 when rank > k.
/// - `ndcg@k`: the mean of 1/log₂(rank + 1), 0 when rank > k (one relevant item: the ideal DCG is 1).
/// - `coverage@k`: distinct items in all top-k lists / items in the training data.
/// - `popularity@k`: the mean, over cases and their top-k items, of the item's training count divided
///   by the largest training count (1 = the most popular item).
public struct MetricAccumulator: Sendable {
    public let cutoffs: [Int]
    private var hits: [Double]
    private var reciprocalRanks: [Double]
    private var gains: [Double]
    private var popularity: [Double]
    private var seen: [Set<Int32>]
    public private(set) var cases = 0

    public init(cutoffs: [Int]) {
        self.cutoffs = cutoffs.sorted()
        hits = Array(repeating: 0, count: cutoffs.count)
        reciprocalRanks = hits
        gains = hits
        popularity = hits
        seen = Array(repeating: [], count: cutoffs.count)
    }

    /// The largest cut-off: how many items each list must have.
    public var depth: Int { cutoffs.last ?? 0 }

    /// Adds one case: `ranked` are the recommended items, best first; `hit` says whether an item
    /// counts as the target; `relativePopularity` maps an item to its count / the largest count.
    public mutating func add(ranked: [Int32], hit: (Int32) -> Bool, relativePopularity: (Int32) -> Double) {
        var none: [Float]? = nil
        add(ranked: ranked, hit: hit, relativePopularity: relativePopularity, appendingTo: &none)
    }

    /// ``add(ranked:hit:relativePopularity:)``, and, when `row` is not `nil`, appends the case's own
    /// values to it in ``PerCaseMetrics/names(cutoffs:)`` order (hr, mrr, ndcg, popularity, each over
    /// the cut-offs): the means of those columns over all cases are the metrics of ``values(catalogSize:)``.
    public mutating func add(
        ranked: [Int32],
        hit: (Int32) -> Bool,
        relativePopularity: (Int32) -> Double,
        appendingTo row: inout [Float]?
    ) {
        cases += 1
        let rank = ranked.firstIndex(where: hit).map { $0 + 1 }
        let start = row?.count ?? 0
        let width = cutoffs.count
        row?.append(contentsOf: repeatElement(0, count: PerCaseMetrics.families.count * width))
        for (c, k) in cutoffs.enumerated() {
            if let rank, rank <= k {
                let (rr, gain) = (1 / Double(rank), 1 / log2(Double(rank) + 1))
                hits[c] += 1
                reciprocalRanks[c] += rr
                gains[c] += gain
                row?[start + c] = 1
                row?[start + width + c] = Float(rr)
                row?[start + 2 * width + c] = Float(gain)
            }
            let top = ranked.prefix(k)
            if !top.isEmpty {
                let p = top.reduce(0) { $0 + relativePopularity($1) } / Double(top.count)
                popularity[c] += p
                row?[start + 3 * width + c] = Float(p)
            }
            seen[c].formUnion(top)
        }
    }

    /// Adds the cases of `other` (same cut-offs).
    public mutating func merge(_ other: MetricAccumulator) {
        precondition(other.cutoffs == cutoffs)
        cases += other.cases
        for c in cutoffs.indices {
            hits[c] += other.hits[c]
            reciprocalRanks[c] += other.reciprocalRanks[c]
            gains[c] += other.gains[c]
            popularity[c] += other.popularity[c]
            seen[c].formUnion(other.seen[c])
        }
    }

    /// Metric name → value; `catalogSize` is the number of items in the training data.
    public func values(catalogSize: Int) -> [String: Double] {
        var out: [String: Double] = [:]
        let n = Double(max(1, cases))
        for (c, k) in cutoffs.enumerated() {
            out["hr@\(k)"] = hits[c] / n
            out["mrr@\(k)"] = reciprocalRanks[c] / n
            out["ndcg@\(k)"] = gains[c] / n
            out["coverage@\(k)"] = catalogSize > 0 ? Double(seen[c].count) / Double(catalogSize) : 0
            out["popularity@\(k)"] = popularity[c] / n
        }
        return out
    }
}
