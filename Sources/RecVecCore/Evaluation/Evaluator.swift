// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch

/// Scores a fitted model on the test cases of a split.
public struct Evaluator: Sendable {
    /// Cut-offs k of the metrics, e.g. [1, 5, 10, 20].
    public var cutoffs: [Int]
    /// Remove the history's items from the recommendations.
    public var excludeHistory: Bool
    /// next-event: a recommendation list counts as a hit also when the target equals the query.
    public var queryCountsAsHit = false
    /// Worker threads (default: all cores).
    public var threads: Int? = nil

    public init(cutoffs: [Int], excludeHistory: Bool) {
        self.cutoffs = cutoffs.sorted()
        self.excludeHistory = excludeHistory
    }

    /// The metrics of `model` (fitted on `data`) over `cases`.
    public func evaluate(_ model: any RecommenderModel, cases: [TestCase], data: TrainingData) -> [String: Double] {
        evaluate(model, cases: cases, data: data, coldStart: nil, keepingCases: false).all
    }

    /// What one model scored: the metrics over all cases and, when asked for, over the cold-start
    /// cases, and each case's own values.
    public struct Scores: Sendable {
        /// Metric name → value over all cases.
        public var all: [String: Double]
        /// The same over the cold-start cases, when a threshold was given.
        public var cold: [String: Double]?
        /// How many cases are cold-start cases.
        public var coldCases: Int
        /// Each case's values, in case order (empty unless kept).
        public var perCase: PerCaseMetrics
        /// Each cold-start case's values, in case order (empty unless kept and asked for).
        public var coldPerCase: PerCaseMetrics
    }

    /// The metrics of `model` (fitted on `data`) over all `cases`, and, when `coldStart` is given,
    /// over the cases whose target occurs at most `coldStart` times in `data` (the cold-start view
    /// of Vasile et al. 2016), with how many such cases there were; with `keepingCases`, also every
    /// case's values (one `Float` per case and ``PerCaseMetrics`` column).
    public func evaluate(
        _ model: any RecommenderModel,
        cases: [TestCase],
        data: TrainingData,
        coldStart: Int?,
        keepingCases: Bool = true
    ) -> Scores {
        scores(model, cases: cases, data: data, coldStart: coldStart, keepingCases: keepingCases, ranked: nil)
    }

    /// ``evaluate(_:cases:data:coldStart:keepingCases:)`` with the ranking spread over the processes
    /// of `group`: each ranks its contiguous share of the cases, the lists are gathered, and every
    /// process sums the metrics over all cases exactly as one process would — the same figures, bit
    /// for bit, as a single process given the same model and the same ``threads``.
    public func evaluate(
        _ model: any RecommenderModel,
        cases: [TestCase],
        data: TrainingData,
        coldStart: Int?,
        keepingCases: Bool = true,
        across group: any ProcessGroup
    ) throws -> Scores {
        guard group.isDistributed else {
            return evaluate(model, cases: cases, data: data, coldStart: coldStart, keepingCases: keepingCases)
        }
        let popular = Self.popularOrder(data.counts)
        let share = group.share(of: cases.count)
        let lists = parallelChunks(share.count) { range in
            var out: [[Int32]] = []
            var scratch: [Float] = []
            for c in range { out.append(ranked(model, cases[share.lowerBound + c], data, popular, &scratch)) }
            return out
        }
        // Each list as its length and its items, one message per process.
        var message: [UInt8] = []
        for list in lists.joined() {
            Self.append(Int32(list.count), to: &message)
            for item in list { Self.append(item, to: &message) }
        }
        var all: [[Int32]] = []
        all.reserveCapacity(cases.count)
        for part in try group.allGather(message) {
            var at = 0
            while at < part.count {
                let n = Int(Self.int32(part, at))
                at += 4
                all.append((0..<n).map { Self.int32(part, at + 4 * $0) })
                at += 4 * n
            }
        }
        guard all.count == cases.count else {
            throw ConfigurationError(setting: "ranks", "the processes ranked \(all.count) cases, not \(cases.count)")
        }
        return scores(model, cases: cases, data: data, coldStart: coldStart, keepingCases: keepingCases, ranked: all)
    }

    /// The `depth` items recommended for `test`: the model's top from its approximate search when it
    /// has one, else from scoring every item into `scratch`; filled up from popularity.
    private func ranked(
        _ model: any RecommenderModel,
        _ test: TestCase,
        _ data: TrainingData,
        _ popular: [Int32],
        _ scratch: inout [Float]
    ) -> [Int32] {
        let depth = cutoffs.last ?? 10
        let history = Array(test.history)
        let excluded: Set<Int32> = excludeHistory ? Set(history) : []
        if let found = model.approximateTop(history: history, k: depth, excluding: excluded) {
            return filled(found, excluding: excluded, popular: popular, depth: depth)
        }
        if scratch.count != data.items.count {
            scratch = [Float](repeating: -.infinity, count: data.items.count)  // allocated by the first case
        } else {
            for i in scratch.indices { scratch[i] = -.infinity }
        }
        let has = model.score(history: history, into: &scratch)
        return rank(has ? scratch : nil, history: history, popular: popular, depth: depth)
    }

    private static func append(_ value: Int32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func int32(_ bytes: [UInt8], _ at: Int) -> Int32 {
        Int32(littleEndian: bytes[at..<(at + 4)].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
    }

    /// The metrics over `cases`, each ranked here or taken from `ranked` (in case order).
    private func scores(
        _ model: any RecommenderModel,
        cases: [TestCase],
        data: TrainingData,
        coldStart: Int?,
        keepingCases: Bool,
        ranked lists: [[Int32]]?
    ) -> Scores {
        let popular = lists == nil ? Self.popularOrder(data.counts) : []
        let maxCount = Double(max(1, data.counts.max() ?? 1))
        let counts = data.counts
        let parts = parallelChunks(cases.count) { range in
            var acc = MetricAccumulator(cutoffs: cutoffs)
            var cold = MetricAccumulator(cutoffs: cutoffs)
            var rows: [Float]? = keepingCases ? [] : nil
            var coldRows: [Float]? = keepingCases && coldStart != nil ? [] : nil
            var coldCases: [Int] = []
            var scratch: [Float] = []
            for c in range {
                let test = cases[c]
                let ranked = lists?[c] ?? self.ranked(model, test, data, popular, &scratch)
                let hit: (Int32) -> Bool = {
                    $0 == test.target || (queryCountsAsHit && test.history.last == test.target)
                }
                let popularity: (Int32) -> Double = { Double(counts[Int($0)]) / maxCount }
                acc.add(ranked: ranked, hit: hit, relativePopularity: popularity, appendingTo: &rows)
                if let coldStart, counts[Int(test.target)] <= coldStart {
                    cold.add(ranked: ranked, hit: hit, relativePopularity: popularity, appendingTo: &coldRows)
                    if keepingCases { coldCases.append(c) }
                }
            }
            return (acc: acc, cold: cold, rows: rows ?? [], coldRows: coldRows ?? [], coldCases: coldCases)
        }
        // Cases drawn from one test sequence form a group; the others are groups of their own.
        let grouped = cases.contains { $0.group >= 0 }
        func groups(_ indices: [Int]) -> [Int]? {
            grouped ? indices.map { cases[$0].group >= 0 ? cases[$0].group : -1 - $0 } : nil
        }
        let all = MetricAccumulator.merged(parts.map(\.acc), cutoffs: cutoffs)
        let cold = MetricAccumulator.merged(parts.map(\.cold), cutoffs: cutoffs)
        let names = PerCaseMetrics.names(cutoffs: cutoffs)
        return Scores(
            all: all.values(catalogSize: data.catalogSize),
            cold: coldStart == nil ? nil : cold.values(catalogSize: data.catalogSize),
            coldCases: cold.cases,
            perCase: PerCaseMetrics(
                names: names,
                values: parts.flatMap(\.rows),
                groups: keepingCases ? groups(Array(cases.indices)) : nil
            ),
            coldPerCase: PerCaseMetrics(
                names: names,
                values: parts.flatMap(\.coldRows),
                groups: groups(parts.flatMap(\.coldCases))
            )
        )
    }

    /// The `depth` best items: by score where the model has one, then by popularity; the history's
    /// items removed when ``excludeHistory`` is set.
    func rank(_ scores: [Float]?, history: [Int32], popular: [Int32], depth: Int) -> [Int32] {
        let excluded = excludeHistory ? Set(history) : []
        var top = TopK(k: depth)
        if let scores {
            for (i, s) in scores.enumerated() where s > -.infinity && !excluded.contains(Int32(i)) {
                top.offer(s, Int32(i))
            }
        }
        return filled(top.sorted().map(\.id), excluding: excluded, popular: popular, depth: depth)
    }

    /// `ranked` followed by the most popular items not in it nor in `excluded`, up to `depth`.
    func filled(_ ranked: [Int32], excluding excluded: Set<Int32>, popular: [Int32], depth: Int) -> [Int32] {
        var ranked = Array(ranked.prefix(depth))
        if ranked.count < depth {
            let already = Set(ranked)
            for p in popular where !already.contains(p) && !excluded.contains(p) {
                ranked.append(p)
                if ranked.count == depth { break }
            }
        }
        return ranked
    }

    /// Items that occur in training, most frequent first.
    static func popularOrder(_ counts: [Int]) -> [Int32] {
        (0..<Int32(counts.count)).filter { counts[Int($0)] > 0 }
            .sorted { counts[Int($0)] != counts[Int($1)] ? counts[Int($0)] > counts[Int($1)] : $0 < $1 }
    }

    /// Runs `body` over contiguous chunks of 0..<count on all cores; results in chunk order.
    func parallelChunks<T: Sendable>(_ count: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let workers = max(1, min(threads ?? ProcessInfoShim.activeProcessorCount, count))
        let chunks = workers == 1 ? 1 : workers * 4
        let size = (count + chunks - 1) / max(1, chunks)
        let ranges = stride(from: 0, to: count, by: max(1, size)).map { $0..<min(count, $0 + max(1, size)) }
        let slots = ResultBox<T>(count: ranges.count)
        if workers == 1 {
            for (i, r) in ranges.enumerated() { slots.set(i, body(r)) }
        } else {
            DispatchQueue.concurrentPerform(iterations: ranges.count) { slots.set($0, body(ranges[$0])) }
        }
        return slots.values()
    }
}

/// Write-once slots filled by concurrent workers, each its own.
final class ResultBox<T>: @unchecked Sendable {
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { slots[i] = value }  // distinct indices only
    func values() -> [T] { slots.map { $0! } }
}

extension MetricAccumulator {
    /// The sum of several accumulators over disjoint cases.
    static func merged(_ parts: [MetricAccumulator], cutoffs: [Int]) -> MetricAccumulator {
        var total = MetricAccumulator(cutoffs: cutoffs)
        for p in parts { total.merge(p) }
        return total
    }
}
