// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// One column of 0/1 hits: the first `hits` of `n` cases hit.
func hitColumn(_ hits: Int, of n: Int, name: String = "hr@10") -> PerCaseMetrics {
    PerCaseMetrics(names: [name], values: (0..<n).map { $0 < hits ? 1 : 0 })
}

struct BootstrapTests {
    /// For hits with rate p over n cases, the interval of the mean is about p ± 1.96·√(p(1−p)/n).
    @Test(arguments: [(600, 2000), (150, 500), (2500, 5000)])
    func intervalOfAHitRateHasTheBinomialWidth(hits: Int, n: Int) {
        let reps = Bootstrap(replicates: 2000, seed: 7).resample([hitColumn(hits, of: n)])
        let interval = reps.interval(model: 0, column: 0)
        let p = Double(hits) / Double(n)
        let expected = 2 * 1.96 * (p * (1 - p) / Double(n)).squareRoot()
        let width = interval.upper - interval.lower
        #expect(abs(width - expected) < 0.1 * expected, "width \(width), expected \(expected)")
        #expect(interval.lower < p && p < interval.upper)
        #expect(abs((interval.lower + interval.upper) / 2 - p) < 0.1 * expected)
    }

    /// Cases in groups of ten identical copies carry the information of one case per group: the
    /// grouped bootstrap's interval has the width of n/10 independent cases, about √10 times the
    /// naive one, and the sign test counts groups.
    @Test func groupedCasesAreResampledAsUnits() {
        let groupsOf = 10
        let units = 400
        let hits = (0..<units).flatMap { u in [Float](repeating: u < 120 ? 1 : 0, count: groupsOf) }
        let labels = (0..<units).flatMap { u in [Int](repeating: u * 7 + 3, count: groupsOf) }
        let grouped = PerCaseMetrics(names: ["hr@10"], values: hits, groups: labels)
        let naive = PerCaseMetrics(names: ["hr@10"], values: hits)
        #expect(grouped.groupIndices.groupCount == units)
        let g = Bootstrap(replicates: 2000, seed: 7).resample([grouped]).interval(model: 0, column: 0)
        let n = Bootstrap(replicates: 2000, seed: 7).resample([naive]).interval(model: 0, column: 0)
        let expected = 2 * 1.96 * (0.3 * 0.7 / Double(units)).squareRoot()
        #expect(abs((g.upper - g.lower) - expected) < 0.1 * expected, "grouped \(g), expected width \(expected)")
        #expect((g.upper - g.lower) > 2.8 * (n.upper - n.lower))

        // Sign test on groups: the other model misses the first 20 groups' cases → 20 groups behind, not 200 cases.
        let worse = PerCaseMetrics(
            names: ["hr@10"],
            values: hits.enumerated().map { $0.offset < 20 * groupsOf ? 0 : $0.element },
            groups: labels
        )
        let c = PairedComparison.compare(
            0,
            with: 1,
            names: ["w", "b"],
            perCase: [worse, grouped],
            column: 0,
            replicates: nil
        )
        #expect(c.wins == 0 && c.losses == 20)
        #expect(abs(c.signTestP - SignTest.pValue(wins: 0, losses: 20)) < 1e-15)
        // Groups of one are the plain bootstrap, draw for draw.
        let singletons = PerCaseMetrics(names: ["hr@10"], values: hits, groups: Array(0..<hits.count))
        #expect(
            Bootstrap(replicates: 50, seed: 2).resample([singletons]).means(model: 0, column: 0)
                == Bootstrap(replicates: 50, seed: 2).resample([naive]).means(model: 0, column: 0)
        )
        // Appending keeps the groups of each part apart.
        var both = grouped
        both.append(grouped)
        #expect(both.count == 2 * hits.count && both.groupIndices.groupCount == 2 * units)
    }

    @Test func theSameSeedGivesTheSameIntervalsWhateverTheThreads() {
        let data = [hitColumn(300, of: 1000), hitColumn(350, of: 1000)]
        var one = Bootstrap(replicates: 300, seed: 3)
        one.threads = 1
        var three = one
        three.threads = 3
        let a = one.resample(data)
        let b = three.resample(data)
        for m in 0..<2 {
            #expect(a.means(model: m, column: 0) == b.means(model: m, column: 0))
            #expect(a.interval(model: m, column: 0) == b.interval(model: m, column: 0))
        }
        let other = Bootstrap(replicates: 300, seed: 4).resample(data)
        #expect(other.means(model: 0, column: 0) != a.means(model: 0, column: 0))
    }

    @Test func oneDrawServesEveryModelAndColumn() {
        // Model 1 is model 0 plus 1 on every case: every replicate's means differ by exactly 1.
        let a = PerCaseMetrics(names: ["x", "y"], values: (0..<200).flatMap { [Float($0 % 7), Float($0 % 3)] })
        let b = PerCaseMetrics(names: ["x", "y"], values: a.values.map { $0 + 1 })
        let reps = Bootstrap(replicates: 100, seed: 1).resample([a, b])
        for j in 0..<2 {
            #expect(reps.differences(model: 1, minus: 0, column: j).allSatisfy { abs($0 - 1) < 1e-9 })
        }
        #expect(reps.means(model: 0, column: 0) != reps.means(model: 0, column: 1))
    }

    @Test func quantilesInterpolateBetweenOrderStatistics() {
        let sorted = (0...10).map(Double.init)  // 0, 1, …, 10
        #expect(Bootstrap.Replicates.quantile(sorted, 0.025) == 0.25)
        #expect(Bootstrap.Replicates.quantile(sorted, 0.975) == 9.75)
        #expect(Bootstrap.Replicates.quantile(sorted, 0.5) == 5)
        let i = Bootstrap.Replicates.percentileInterval(sorted.reversed(), level: 0.8)
        #expect(abs(i.lower - 1) < 1e-12 && abs(i.upper - 9) < 1e-12)
    }
}

struct PairedTestTests {
    /// Σ_{i ≤ k} C(n, i) / 2^n, summed with exact integers.
    func binomialTail(_ k: Int, _ n: Int) -> Double {
        var c = 1.0  // C(n, 0)
        var sum = 0.0
        for i in 0...k {
            sum += c
            c = c * Double(n - i) / Double(i + 1)
        }
        return sum / pow(2, Double(n))
    }

    @Test func signTestMatchesHandComputedBinomialTails() {
        // n = 10: P(X ≤ 2) = (1 + 10 + 45) / 1024; P(X ≤ 1) = 11 / 1024.
        #expect(abs(SignTest.pValue(wins: 8, losses: 2) - 112.0 / 1024) < 1e-14)
        #expect(abs(SignTest.pValue(wins: 2, losses: 8) - 112.0 / 1024) < 1e-14)
        #expect(abs(SignTest.pValue(wins: 9, losses: 1) - 22.0 / 1024) < 1e-15)
        #expect(abs(SignTest.pValue(wins: 5, losses: 0) - 2.0 / 32) < 1e-15)
        // n = 20, k = 5: 1 + 20 + 190 + 1140 + 4845 + 15504 = 21700.
        #expect(abs(SignTest.pValue(wins: 15, losses: 5) - 2 * 21700.0 / 1_048_576) < 1e-14)
        #expect(SignTest.pValue(wins: 3, losses: 3) == 1)
        #expect(SignTest.pValue(wins: 4, losses: 5) == 1)
        #expect(SignTest.pValue(wins: 0, losses: 0) == 1)
        for (w, l) in [(40, 20), (70, 30), (300, 260), (12, 1)] {
            let exact = 2 * binomialTail(min(w, l), w + l)
            #expect(abs(SignTest.pValue(wins: w, losses: l) - exact) < 1e-9 * exact, "\(w)/\(l)")
        }
        // Far in the tail it stays a small positive number: 2 · 2^-100.
        let tiny = SignTest.pValue(wins: 100, losses: 0)
        #expect(abs(tiny / pow(2, -99) - 1) < 1e-9)
    }

    @Test func identicalModelsDifferByNothing() {
        let a = hitColumn(400, of: 1000)
        let reps = Bootstrap(replicates: 500, seed: 1).resample([a, a])
        let c = PairedComparison.compare(1, with: 0, names: ["a", "b"], perCase: [a, a], column: 0, replicates: reps)
        #expect(c.difference == 0)
        #expect(c.interval == MetricInterval(lower: 0, upper: 0))
        #expect(c.wins == 0 && c.losses == 0)
        #expect(c.signTestP == 1 && c.bootstrapP == 1)
        #expect(!c.isSignificant)
    }

    @Test func aModelBetterOnManyCasesIsSignificant() {
        // The best hits cases 0..<600, the other 0..<500: 100 cases for the best, none against.
        let best = hitColumn(600, of: 2000)
        let worse = hitColumn(500, of: 2000)
        let reps = Bootstrap(replicates: 1000, seed: 5).resample([worse, best])
        let all = PairedComparison.againstBest(
            names: ["worse", "best"],
            perCase: [worse, best],
            metric: "hr@10",
            replicates: reps
        )
        #expect(all.count == 1)
        let c = all[0]
        #expect(c.model == "worse" && c.baseline == "best" && c.metric == "hr@10")
        #expect(abs(c.difference - -0.05) < 1e-12)
        #expect(c.wins == 0 && c.losses == 100)
        #expect(c.signTestP < 1e-25)
        #expect(c.bootstrapP! < 0.003)
        #expect(c.interval!.upper < 0 && c.interval!.lower < -0.05 && c.interval!.upper > -0.05)
        #expect(c.isSignificant)
    }

    @Test func aSmallDifferenceOnFewCasesIsNotSignificant() {
        // 52 against 48 of the differing cases: p ≈ 0.76.
        var x = [Float](repeating: 0, count: 400)
        var y = x
        for i in 0..<52 { x[i] = 1 }
        for i in 52..<100 { y[i] = 1 }
        let a = PerCaseMetrics(names: ["hr@5"], values: x)
        let b = PerCaseMetrics(names: ["hr@5"], values: y)
        let reps = Bootstrap(replicates: 1000, seed: 2).resample([a, b])
        let c = PairedComparison.againstBest(names: ["a", "b"], perCase: [a, b], metric: "hr@5", replicates: reps)[0]
        #expect(c.model == "b" && c.baseline == "a")
        #expect(c.wins == 48 && c.losses == 52)
        #expect(abs(c.signTestP - 2 * binomialTail(48, 100)) < 1e-12)
        #expect(c.signTestP > 0.5 && c.bootstrapP! > 0.3)
        #expect(c.interval!.lower < 0 && c.interval!.upper > 0)
        #expect(!c.isSignificant)
    }

    @Test func comparisonsEncodeTheirVerdict() throws {
        let c = PairedComparison(
            model: "a",
            baseline: "b",
            metric: "hr@20",
            difference: -0.01,
            interval: MetricInterval(lower: -0.02, upper: 0),
            bootstrapP: 0.04,
            wins: 3,
            losses: 9,
            signTestP: 0.146
        )
        let json = try ReportJSON.encode(c)
        #expect(json.contains("\"significant\" : false") && json.contains("\"sign_test_p\" : 0.146"))
        #expect(try JSONDecoder().decode(PairedComparison.self, from: Data(json.utf8)) == c)
    }
}

struct PerCaseMetricsTests {
    @Test func columnMeansAreTheMetrics() {
        var acc = MetricAccumulator(cutoffs: [1, 3])
        var row: [Float]? = []
        let popularity: [Int32: Double] = [0: 1, 1: 0.5, 2: 0.25, 3: 0.1]
        acc.add(ranked: [3, 0, 1], hit: { $0 == 0 }, relativePopularity: { popularity[$0]! }, appendingTo: &row)
        acc.add(ranked: [2, 1, 0], hit: { $0 == 2 }, relativePopularity: { popularity[$0]! }, appendingTo: &row)
        acc.add(ranked: [1, 2, 3], hit: { $0 == 0 }, relativePopularity: { popularity[$0]! }, appendingTo: &row)
        let perCase = PerCaseMetrics(names: PerCaseMetrics.names(cutoffs: [1, 3]), values: row!)
        #expect(perCase.count == 3)
        #expect(
            perCase.names == ["hr@1", "hr@3", "mrr@1", "mrr@3", "ndcg@1", "ndcg@3", "popularity@1", "popularity@3"]
        )
        // The second case: rank 1.
        #expect(Array(row![8..<16]) == [1, 1, 1, 1, 1, 1, 0.25, Float((0.25 + 0.5 + 1) / 3)])
        let values = acc.values(catalogSize: 8)
        for (j, name) in perCase.names.enumerated() {
            #expect(abs(perCase.mean(j) - values[name]!) < 1e-6, "\(name)")
        }
    }
}

struct EvaluationStatisticsTests {
    /// Users who stay in one of four groups of five items.
    func data() -> Interactions {
        var rng = FastRandom(seed: 4)
        let items = (0..<4).flatMap { g in (0..<5).map { "g\(g)_\($0)" } }
        var sequences: [[Int32]] = []
        for _ in 0..<300 {
            let g = rng.next(below: 4)
            sequences.append((0..<6).map { _ in Int32(g * 5 + rng.next(below: 5)) })
        }
        return Interactions(items: items, sequences: sequences, times: nil)
    }

    func run(bootstrap: Int, coldStart: Int? = nil) throws -> EvaluationReport {
        var settings = EvaluationSettings(protocolName: .leaveLastOut)
        settings.cutoffs = [1, 5]
        settings.bootstrap = bootstrap
        settings.coldStart = coldStart
        return try EvaluationRun.run(
            data: data(),
            settings: settings,
            models: [PopularityModel(), CooccurrenceModel()]
        )
    }

    @Test func everyMetricButCoverageGetsAnInterval() throws {
        let report = try run(bootstrap: 400)
        #expect(report.bootstrapReplicates == 400)
        for result in report.results {
            let intervals = try #require(result.intervals)
            #expect(Set(intervals.keys) == Set(PerCaseMetrics.names(cutoffs: [1, 5])))
            for (name, i) in intervals {
                let v = result.metrics[name]!
                #expect(i.lower <= v && v <= i.upper, "\(result.model) \(name)")
            }
            #expect(intervals["hr@5"]!.upper > intervals["hr@5"]!.lower)
        }
        // Co-occurrence finds the group; popularity does not: the paired test says so.
        let c = try #require(report.comparisons?.first)
        #expect(report.comparisons?.count == 1)
        #expect(c.baseline == "cooccurrence" && c.model == "popularity" && c.metric == "hr@5")
        #expect(c.isSignificant && c.interval!.upper < 0)
        let again = try run(bootstrap: 400)
        #expect(again.results.map(\.intervals) == report.results.map(\.intervals))
        #expect(again.comparisons == report.comparisons)
        let text = report.markdown
        #expect(text.contains(" ± ") && text.contains("vs best hr@5"))
        #expect(text.contains("| popularity | cooccurrence | "))
        #expect(text.contains("cooccurrence better"))
    }

    @Test func noBootstrapKeepsTheSignTest() throws {
        let report = try run(bootstrap: 0, coldStart: 1000)
        #expect(report.bootstrapReplicates == nil)
        #expect(report.results.allSatisfy { $0.intervals == nil })
        let c = try #require(report.comparisons?.first)
        #expect(c.interval == nil && c.bootstrapP == nil && c.isSignificant)
        #expect(!report.markdown.contains(" ± "))
        // Every target occurs at most 1000 times: the cold-start view is all the cases, compared alike.
        let cold = try #require(report.coldStart)
        #expect(cold.testCases == report.testCases)
        #expect(cold.comparisons?.first?.signTestP == c.signTestP)
    }
}
