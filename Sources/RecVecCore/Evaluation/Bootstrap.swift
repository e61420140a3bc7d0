// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch

/// A 95 % (or other level) confidence interval of a metric: its `lower` and `upper` bounds.
public struct MetricInterval: Sendable, Codable, Equatable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Half the width, `(upper - lower) / 2`: the "±" of the tables.
    public var halfWidth: Double { (upper - lower) / 2 }
}

/// The percentile bootstrap over test cases (Efron & Tibshirani 1993, ch. 13): a replicate draws
/// n of the n test cases with replacement and takes every metric's mean over them; the interval of
/// a metric is the middle `level` of its replicate means.
///
/// One draw of case indices serves every metric and every model of the replicate, so the
/// replicates of two models are paired (they see the same cases) and their differences give the
/// interval of a difference (``PairedComparison``). Replicate `b` is drawn from its own generator,
/// seeded by `seed` and `b`, so the result does not depend on the number of threads.
///
/// ```swift
/// let reps = Bootstrap(replicates: 1000, seed: 1).resample([a.perCase, b.perCase])
/// let hr = reps.interval(model: 0, column: a.perCase.column(named: "hr@20")!)
/// ```
public struct Bootstrap: Sendable {
    /// Replicates B (1000 by default; the interval's ends move by about 0.1 of its half-width
    /// between seeds at that size).
    public var replicates: Int
    public var seed: UInt64
    /// The confidence level of the intervals. Default 0.95.
    public var level = 0.95
    /// Worker threads (default: all cores).
    public var threads: Int? = nil

    public init(replicates: Int = 1000, seed: UInt64 = 1) {
        self.replicates = replicates
        self.seed = seed
    }

    /// The replicate means of every column of every model.
    public struct Replicates: Sendable {
        public let models: Int
        public let columns: Int
        public let count: Int
        public let level: Double
        /// `means[(b * models + m) * columns + j]`: replicate b's mean of model m's column j.
        let means: [Double]

        /// Replicate means of model `m`'s column `j`, one per replicate.
        public func means(model m: Int, column j: Int) -> [Double] {
            (0..<count).map { means[($0 * models + m) * columns + j] }
        }

        /// The percentile interval of model `m`'s column `j`.
        public func interval(model m: Int, column j: Int) -> MetricInterval {
            Self.percentileInterval(means(model: m, column: j), level: level)
        }

        /// For each replicate, model `a`'s mean of column `j` minus model `b`'s.
        public func differences(model a: Int, minus b: Int, column j: Int) -> [Double] {
            (0..<count).map { means[($0 * models + a) * columns + j] - means[($0 * models + b) * columns + j] }
        }

        /// The middle `level` of `values`: the (1 − level)/2 and (1 + level)/2 quantiles, linearly
        /// interpolated between order statistics.
        public static func percentileInterval(_ values: [Double], level: Double) -> MetricInterval {
            let sorted = values.sorted()
            let tail = (1 - level) / 2
            return MetricInterval(lower: quantile(sorted, tail), upper: quantile(sorted, 1 - tail))
        }

        /// The `q` quantile of ascending `sorted` (Hyndman & Fan's type 7).
        static func quantile(_ sorted: [Double], _ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let h = Double(sorted.count - 1) * min(max(q, 0), 1)
            let i = Int(h.rounded(.down))
            guard i + 1 < sorted.count else { return sorted[sorted.count - 1] }
            return sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i])
        }
    }

    /// Resamples the cases of `models` (the same test cases in the same order, the same columns).
    /// When the cases come in groups (``PerCaseMetrics/groups``: the positions of one test session),
    /// a replicate draws whole groups — as many as there are, with replacement — and a metric's
    /// replicate value is its mean over the cases drawn (the cluster bootstrap; Davison & Hinkley
    /// 1997, §3.8), since cases of one group are not independent. Without groups every case is
    /// its own group, which is the plain bootstrap.
    ///
    /// - Complexity: O(B · G · models · columns) for G groups, on all cores.
    public func resample(_ models: [PerCaseMetrics]) -> Replicates {
        precondition(replicates > 0, "at least one replicate")
        precondition(!models.isEmpty, "at least one model")
        let n = models[0].count
        let columns = models[0].names.count
        precondition(
            models.allSatisfy { $0.count == n && $0.names == models[0].names && $0.groups == models[0].groups },
            "models differ in cases"
        )
        precondition(n > 0, "no test case")
        let (group, groupCount) = models[0].groupIndices
        // One row per group with every model's column sums side by side, so a drawn group is one
        // contiguous add; and each group's number of cases.
        let width = models.count * columns
        var rows = [Double](repeating: 0, count: groupCount * width)
        var sizes = [Double](repeating: 0, count: groupCount)
        for c in 0..<n { sizes[group[c]] += 1 }
        for (m, model) in models.enumerated() {
            model.values.withUnsafeBufferPointer { v in
                for c in 0..<n {
                    let o = group[c] * width + m * columns
                    for j in 0..<columns { rows[o + j] += Double(v[c * columns + j]) }
                }
            }
        }
        let (seed, count) = (self.seed, replicates)
        let workers = max(1, min(threads ?? ProcessInfoShim.activeProcessorCount, count))
        let chunk = (count + workers - 1) / workers
        let parts = ResultBox<[Double]>(count: workers)
        let (table, sizeTable) = (rows, sizes)
        let work: @Sendable (Int) -> Void = { w in
            let range = min(count, w * chunk)..<min(count, (w + 1) * chunk)
            var out = [Double](repeating: 0, count: range.count * width)
            var sums = [Double](repeating: 0, count: width)
            table.withUnsafeBufferPointer { t in
                sums.withUnsafeMutableBufferPointer { s in
                    let (base, acc) = (t.baseAddress!, s.baseAddress!)
                    for b in range {
                        var rng = FastRandom(seed: seed ^ (UInt64(b) &+ 1) &* 0xD1B5_4A32_D192_ED03)
                        for j in 0..<width { acc[j] = 0 }
                        var drawn = 0.0
                        for _ in 0..<groupCount {
                            let g = rng.next(below: groupCount)
                            let row = base + g * width
                            for j in 0..<width { acc[j] += row[j] }
                            drawn += sizeTable[g]
                        }
                        let o = (b - range.lowerBound) * width
                        for j in 0..<width { out[o + j] = acc[j] / drawn }
                    }
                }
            }
            parts.set(w, out)
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        return Replicates(
            models: models.count,
            columns: columns,
            count: count,
            level: level,
            means: parts.values().flatMap { $0 }
        )
    }
}
