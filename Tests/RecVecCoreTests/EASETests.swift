// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

@Suite struct EASETests {
    /// Three items, three users {a, b}, {b, c}, {a, b, c}: XᵀX = [[2,2,1],[2,3,2],[1,2,2]].
    /// With λ = 1, G = [[3,2,1],[2,4,2],[1,2,3]], det G = 3·8 − 2·4 + 1·0 = 16, and
    /// G⁻¹ = adj(G) / 16 = [[8,−4,0],[−4,8,−4],[0,−4,8]] / 16 (worked by hand).
    /// B_ij = −P_ij / P_jj: B_ab = 4/8 = 0.5, B_ac = 0, B_ba = 0.5, B_bc = 0.5, B_ca = 0, B_cb = 0.5.
    @Test func weightsMatchTheClosedFormByHand() throws {
        let rows: [[Int32]] = [[0, 1], [1, 2], [0, 1, 2]]
        for threads in [1, 2] {
            let b = try EASEModel.weights(rows: rows, itemCount: 3, lambda: 1, threads: threads)
            let expected: [Float] = [0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0]
            for (x, y) in zip(b, expected) { #expect(abs(x - y) < 1e-6, "\(b)") }
        }
    }

    @Test func historiesScoreAsTheSumOfTheirRows() throws {
        let items = ["a", "b", "c"]
        var model = EASEModel(
            ease: {
                var e = EASEConfig()
                e.lambda = 1
                return e
            }()
        )
        try model.fit(TrainingData(sequences: [[0, 1], [1, 2], [0, 1, 2]], items: items))
        var scores = [Float](repeating: -.infinity, count: 3)
        // History {a}: row a = (0, 0.5, 0); a repeated counts once.
        #expect(model.score(history: [0, 0], into: &scores))
        #expect(abs(scores[1] - 0.5) < 1e-6 && abs(scores[2]) < 1e-6)
        // History {a, c}: b gets 0.5 + 0.5.
        scores = [Float](repeating: -.infinity, count: 3)
        #expect(model.score(history: [0, 2], into: &scores))
        #expect(abs(scores[1] - 1) < 1e-6)
        // Nothing known: no opinion.
        #expect(!model.score(history: [], into: &scores))
    }

    @Test func refusesCatalogsTooLargeForItsDenseMatrix() throws {
        var e = EASEConfig()
        e.maxItems = 2
        var model = EASEModel(ease: e)
        #expect(throws: ConfigurationError.self) {
            try model.fit(TrainingData(sequences: [[0, 1, 2]], items: ["a", "b", "c"]))
        }
        do {
            try model.fit(TrainingData(sequences: [[0, 1, 2]], items: ["a", "b", "c"]))
        } catch let error as ConfigurationError {
            #expect(error.setting == "ease_max_items" && error.message.contains("3 items exceed the limit of 2"))
        }
        e.lambda = 0
        #expect(throws: ConfigurationError.self) { try e.validate() }
    }

    /// Planted groups: items co-occur only within their group, so a history from one group ranks
    /// that group's other items first.
    @Test func recoversPlantedGroups() throws {
        var rng = FastRandom(seed: 5)
        let items = (0..<4).flatMap { g in (0..<5).map { "g\(g)_\($0)" } }
        let sequences: [[Int32]] = (0..<200).map { u in
            let g = u % 4
            return (0..<4).map { _ in Int32(g * 5 + rng.next(below: 5)) }
        }
        var model = try ModelRegistry.recommender(
            "ease",
            settings: {
                var s = ModelSettings()
                s.minCount = 1
                s.ease.lambda = 10
                return s
            }()
        )
        try model.fit(TrainingData(sequences: sequences, items: items))
        var scores = [Float](repeating: -.infinity, count: items.count)
        #expect(model.score(history: [10, 11], into: &scores))  // group 2
        let ranked = scores.indices.filter { $0 != 10 && $0 != 11 }.sorted { scores[$0] > scores[$1] }
        #expect(ranked.prefix(3).allSatisfy { items[$0].hasPrefix("g2_") }, "\(ranked.prefix(3).map { items[$0] })")
    }
}
