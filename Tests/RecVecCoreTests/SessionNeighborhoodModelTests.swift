// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// V-SKNN and STAN against scores worked out by hand on tiny training sets.
@Suite struct SessionNeighborhoodModelTests {
    static let items = ["a", "b", "c", "d", "e", "f", "g"]
    static let a: Int32 = 0
    static let b: Int32 = 1
    static let c: Int32 = 2
    static let d: Int32 = 3
    static let e: Int32 = 4
    static let f: Int32 = 5
    static let g: Int32 = 6
    /// The history a, b, c (positions 1, 2, 3 of l = 3).
    static let history: [Int32] = [a, b, c]

    static func scores(_ model: some RecommenderModel, _ history: [Int32] = history) -> [Float] {
        var s = [Float](repeating: -.infinity, count: items.count)
        _ = model.score(history: history, into: &s)
        return s
    }

    // MARK: V-SKNN

    /// N1 = [a, d], N2 = [b, e], N3 = [c, a, f] (N3 the most recent, in file order).
    static let vsknnData = TrainingData(sequences: [[a, d], [b, e], [c, a, f]], items: items)

    static func vsknn(
        _ weighting: SessionDecay,
        idf: Double = 0,
        neighbors: Int = 100,
        sample: Int = 1000
    ) throws
        -> VSKNNModel
    {
        var config = VSKNNConfig()
        config.weighting = weighting
        config.scoreWeighting = weighting
        config.idfWeight = idf
        config.neighbors = neighbors
        config.sample = sample
        var model = VSKNNModel(vsknn: config)
        try model.fit(vsknnData)
        return model
    }

    /// Position weights w(a), w(b), w(c) at positions 1, 2, 3 of 3; similarities over the 3
    /// distinct history items: sim(N1) = w(a)/3, sim(N2) = w(b)/3, sim(N3) = (w(c) + w(a))/3.
    /// The most recent shared click is 3 clicks back for N1 (a), 2 for N2 (b), 1 for N3 (c), so
    /// d = sim(N1)·v(3), e = sim(N2)·v(2), f = sim(N3)·v(1) and a = d + f:
    ///
    /// - same: w = 1, 1, 1; v = 1 → d = 1/3, e = 1/3, f = 2/3.
    /// - div: w = 1/3, 2/3, 1; v(s) = 1/s → d = 1/9 · 1/3 = 1/27, e = 2/9 · 1/2 = 1/9, f = 4/9 · 1 = 4/9.
    /// - linear: w = 0.8, 0.9, 1; v(s) = 1 − 0.1s → d = 0.8/3 · 0.7, e = 0.9/3 · 0.8, f = 1.8/3 · 0.9.
    /// - log: w = 1/log₁₀ 3.7, 1/log₁₀ 2.7, 1/log₁₀ 1.7 = 1.759942, 2.318165, 4.339035;
    ///   v = 1/log₁₀ 4.7, 1/log₁₀ 3.7, 1/log₁₀ 2.7 = 1.487885, 1.759942, 2.318165 →
    ///   d = 0.872858, e = 1.359980, f = 4.713187.
    /// - quadratic: w = 1/9, 4/9, 1; v(s) = 1/s² → d = 1/27 · 1/9 = 1/243, e = 4/27 · 1/4 = 1/27,
    ///   f = 10/27.
    static let decayCases: [(SessionDecay, [Double])] = [
        (.same, [1.0 / 3, 1.0 / 3, 2.0 / 3]),
        (.div, [1.0 / 27, 1.0 / 9, 4.0 / 9]),
        (.linear, [0.8 / 3 * 0.7, 0.9 / 3 * 0.8, 1.8 / 3 * 0.9]),
        (.log, [0.872858, 1.359980, 4.713187]),
        (.quadratic, [1.0 / 243, 1.0 / 27, 10.0 / 27]),
    ]

    @Test(arguments: 0..<5)
    func vsknnDecayFunctions(index: Int) throws {
        let (weighting, def) = Self.decayCases[index]
        let s = Self.scores(try Self.vsknn(weighting))
        let expectations: [(Int32, Double)] = [
            (Self.d, def[0]), (Self.e, def[1]), (Self.f, def[2]), (Self.a, def[0] + def[2]),
        ]
        for (item, expected) in expectations {
            #expect(abs(Double(s[Int(item)]) - expected) < 1e-5, "\(weighting) \(Self.items[Int(item)]): \(s)")
        }
        #expect(s[Int(Self.g)] == -.infinity)
    }

    /// IDF with w = 2: 3 sessions; a occurs twice (idf ln 3/2), d once (idf ln 3). div:
    /// d = 1/27 · (1 + 2 ln 3) = 0.118416, a = (1/27 + 4/9) · (1 + 2 ln 1.5) = 0.871929.
    @Test func vsknnIDFWeighting() throws {
        let s = Self.scores(try Self.vsknn(.div, idf: 2))
        #expect(abs(s[Int(Self.d)] - 0.118416) < 1e-5 && abs(s[Int(Self.a)] - 0.871929) < 1e-5, "\(s)")
        // Off: the plain div scores.
        let plain = Self.scores(try Self.vsknn(.div))
        #expect(abs(plain[Int(Self.d)] - 1.0 / 27) < 1e-6)
    }

    /// k = 1 keeps the most similar neighbour (N3); sample = 1 searches only the most recent
    /// session sharing an item, N3 in file order, N1 when times make N1 the latest.
    @Test func vsknnNeighboursAndRecentSample() throws {
        let top1 = Self.scores(try Self.vsknn(.div, neighbors: 1))
        #expect(top1[Int(Self.f)] > 0 && top1[Int(Self.d)] == -.infinity && top1[Int(Self.e)] == -.infinity)
        let sample2 = Self.scores(try Self.vsknn(.div, sample: 2))
        #expect(sample2[Int(Self.e)] > 0 && sample2[Int(Self.f)] > 0 && sample2[Int(Self.d)] == -.infinity)

        var model = VSKNNModel(
            vsknn: {
                var c = VSKNNConfig()
                c.sample = 1
                return c
            }()
        )
        try model.fit(
            TrainingData(
                sequences: Self.vsknnData.sequences,
                items: Self.items,
                times: [[300, 301], [100, 101], [200, 201, 202]]
            )
        )
        let timed = Self.scores(model)
        #expect(timed[Int(Self.d)] > 0 && timed[Int(Self.f)] == -.infinity)
        // Nothing shared: no opinion.
        var none = [Float](repeating: -.infinity, count: Self.items.count)
        #expect(!model.score(history: [Self.g], into: &none) && none.allSatisfy { $0 == -.infinity })
    }

    /// A repeated click weighs at its last position; steps count clicks: history a, b, a (l = 3),
    /// div → w(a) = 3/3, w(b) = 2/3 over 2 distinct items: sim(N1) = 1/2, sim(N2) = 1/3,
    /// sim(N3) = 1/2; N1 and N3 share the last click (v = 1), N2 is 2 back (v = 1/2):
    /// d = 1/2, e = 1/6, f = 1/2.
    @Test func vsknnRepeatedClicks() throws {
        let s = Self.scores(try Self.vsknn(.div), [Self.a, Self.b, Self.a])
        #expect(abs(s[Int(Self.d)] - 0.5) < 1e-6 && abs(s[Int(Self.e)] - 1.0 / 6) < 1e-6, "\(s)")
        #expect(abs(s[Int(Self.f)] - 0.5) < 1e-6)
    }

    // MARK: STAN

    /// N1 = [a, d], N2 = [b, e], N3 = [c, a, f, g].
    static let stanSequences: [[Int32]] = [[a, d], [b, e], [c, a, f, g]]

    static func stan(
        _ l1: Double,
        _ l2: Double,
        _ l3: Double,
        neighbors: Int = 100,
        times: [[Double]]? = nil
    ) throws
        -> STANModel
    {
        var config = STANConfig()
        config.lambdaPosition = l1
        config.lambdaRecency = l2
        config.lambdaNeighbor = l3
        config.neighbors = neighbors
        var model = STANModel(stan: config)
        try model.fit(TrainingData(sequences: stanSequences, items: items, times: times))
        return model
    }

    /// STAN by hand for the history a, b, c: w₁ = e^(−2/λ₁), e^(−1/λ₁), 1 and
    /// ‖w₁‖ = √(Σ w₁²); sim(N1) = w₁(a)/(‖w₁‖√2), sim(N2) = w₁(b)/(‖w₁‖√2),
    /// sim(N3) = (w₁(c) + w₁(a))/(‖w₁‖√4), each times w₂ = `recency`. In each neighbour the last
    /// shared position p* is 1 (N1: a), 1 (N2: b), 2 (N3: a), so w₃ = e^(−|p − p*|/λ₃):
    /// d = sim1·e^(−1/λ₃), a = sim1 + sim3, e = sim2·e^(−1/λ₃), b = sim2, c = f = sim3·e^(−1/λ₃),
    /// g = sim3·e^(−2/λ₃).
    static func stanByHand(_ l1: Double, _ l3: Double, recency: [Double] = [1, 1, 1]) -> [Double] {
        let (wa, wb, wc) = (exp(-2 / l1), exp(-1 / l1), 1.0)
        let norm = (wa * wa + wb * wb + wc * wc).squareRoot()
        let s1 = wa / (norm * 2.0.squareRoot()) * recency[0]
        let s2 = wb / (norm * 2.0.squareRoot()) * recency[1]
        let s3 = (wc + wa) / (norm * 2) * recency[2]
        let (one, two) = (exp(-1 / l3), exp(-2 / l3))
        return [s1 + s3, s2, s3 * one, s1 * one, s2 * one, s3 * one, s3 * two]
    }

    /// STAN's scores equal the hand-computed ones up to one common factor (which ranks nothing
    /// differently): compared as ratios to f. λ₁ = 1, λ₃ = 1 give a 0.617611, b 0.242188,
    /// c 0.194430, d 0.032777, e 0.089096, f 0.194430, g 0.071527.
    static let lambdaCases: [(Double, Double)] = [(1, 1), (2, 0.5), (0.5, 4)]

    @Test(arguments: 0..<3)
    func stanWeightsWithoutTimes(index: Int) throws {
        let (l1, l3) = Self.lambdaCases[index]
        let model = try Self.stan(l1, 5, l3)
        #expect(model.config["recency"] == "off")
        let s = Self.scores(model)
        let expected = Self.stanByHand(l1, l3)
        for j in expected.indices {
            let ratio = Double(s[j] / s[Int(Self.f)])
            #expect(abs(ratio - expected[j] / expected[Int(Self.f)]) < 1e-5, "λ \(l1) \(l3) \(Self.items[j]): \(s)")
        }
        if l1 == 1 && l3 == 1 { #expect(abs(expected[0] - 0.617611) < 1e-6 && abs(expected[6] - 0.071527) < 1e-6) }
    }

    /// Recency: N1 ends on day 0, N2 on day 2, N3 on day 3, λ₂ = 5 days → w₂ = e^(−3/5),
    /// e^(−1/5), 1 relative to the latest (any reference time multiplies all three alike).
    @Test func stanRecencyWeight() throws {
        let day = 86_400.0
        let times = [[0, 0], [2 * day, 2 * day], [3 * day, 3 * day, 3 * day, 3 * day]]
        let model = try Self.stan(1, 5, 1, times: times)
        #expect(model.config["recency"] == "on")
        let s = Self.scores(model)
        let expected = Self.stanByHand(1, 1, recency: [exp(-3.0 / 5), exp(-1.0 / 5), 1])
        for j in expected.indices {
            #expect(abs(Double(s[j] / s[Int(Self.f)]) - expected[j] / expected[Int(Self.f)]) < 1e-5, "\(s)")
        }
        // d/e without recency would be 0.032777/0.089096 = 0.3679; with it 0.017988/0.072946.
        #expect(abs(Double(s[Int(Self.d)] / s[Int(Self.e)]) - 0.017988 / 0.072946) < 1e-4)

        // k = 1 picks by sim·w₂: N3 (0.5285) without times; with N3 six days older than N2 and
        // λ₂ = 0.5 day, N2 (0.2422 vs N3 0.5285·e^(−6)) wins, so only b and e are scored.
        let old = [[2 * day, 2 * day], [3 * day, 3 * day], [0, 0, 0, 0]]
        let recent = Self.scores(try Self.stan(1, 0.5, 1, neighbors: 1, times: old))
        #expect(recent[Int(Self.b)] > 0 && recent[Int(Self.e)] > 0 && recent[Int(Self.f)] == -.infinity)
        let untimed = Self.scores(try Self.stan(1, 0.5, 1, neighbors: 1))
        #expect(untimed[Int(Self.f)] > 0 && untimed[Int(Self.b)] == -.infinity)
    }

    /// Times ten years apart with λ₂ = 1 day would underflow e^(−Δt/λ₂); the scores stay finite
    /// and positive and rank as the hand-computed ones.
    @Test func stanRecencyWithoutUnderflow() throws {
        let year = 365 * 86_400.0
        let times = [[0, 0], [10 * year, 10 * year], [10 * year, 10 * year, 10 * year, 10 * year]]
        let s = Self.scores(try Self.stan(1, 1, 1, times: times))
        #expect(s[Int(Self.b)] > 0 && s[Int(Self.b)].isFinite)
        #expect(s[Int(Self.d)] >= 0 && s[Int(Self.d)] < s[Int(Self.e)])
    }

    // MARK: Registry

    @Test func registryBuildsAndTunesBoth() throws {
        #expect(ModelRegistry.definition(named: "vsknn") != nil && ModelRegistry.definition(named: "stan") != nil)
        var settings = ModelSettings()
        settings.vsknn.weighting = .log
        settings.stan.lambdaNeighbor = 3
        let v = try #require(try ModelRegistry.recommender("vsknn", settings: settings) as? VSKNNModel)
        #expect(v.vsknn.weighting == .log && v.config["weighting"] == "log")
        let s = try #require(try ModelRegistry.recommender("stan", settings: settings) as? STANModel)
        #expect(s.stan.lambdaNeighbor == 3)

        var rng = FastRandom(seed: 7)
        var weightings = Set<SessionDecay>()
        var lambdas = Set<Double>()
        for _ in 0..<60 {
            let o = try #require(VSKNNDefinition.tuning).sample(settings, &rng)
            #expect([50, 100, 500, 1000, 1500].contains(o.vsknn.neighbors))
            #expect([0, 1, 2, 5, 10].contains(o.vsknn.idfWeight))
            weightings.insert(o.vsknn.weighting)
            let t = try #require(STANDefinition.tuning).sample(settings, &rng)
            #expect([2.5, 5, 10, 20, 40, 80, 100].contains(t.stan.lambdaRecency))
            lambdas.insert(t.stan.lambdaPosition)
            try o.validate()
            try t.validate()
        }
        #expect(weightings.count == SessionDecay.allCases.count && lambdas.count > 3)

        settings.stan.lambdaRecency = 0
        #expect(throws: ConfigurationError.self) { try settings.validate() }
        settings = ModelSettings()
        settings.vsknn.idfWeight = -1
        #expect(throws: ConfigurationError.self) { try settings.validate() }
    }
}
