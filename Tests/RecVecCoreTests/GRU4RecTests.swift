// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

@Suite struct GRU4RecTests {
    /// Sessions that walk around a ring of `items` items with a constant step d ∈ {±1, ±2, ±3}
    /// set by their first two items: the next item is 2·last − previous (mod items). It depends on
    /// the last two items: the last one alone leaves six candidates (Markov), and the set of the
    /// history's items hides the direction (session-kNN).
    static func ringSessions(count: Int, items: Int, seed: UInt64) -> [[Int32]] {
        var rng = FastRandom(seed: seed)
        let steps = [-3, -2, -1, 1, 2, 3]
        return (0..<count).map { _ in
            let d = steps[rng.next(below: steps.count)]
            var x = rng.next(below: items)
            let length = 4 + rng.next(below: 3)
            var s: [Int32] = []
            for _ in 0..<length {
                s.append(Int32(x))
                x = ((x + d) % items + items) % items
            }
            return s
        }
    }

    /// hr@k over every prefix of at least two items of the test sessions.
    static func hitRate(_ model: any RecommenderModel, sessions: [[Int32]], items: Int, k: Int) -> Double {
        var hits = 0
        var cases = 0
        for s in sessions {
            for p in 2..<s.count {
                var scores = [Float](repeating: -.infinity, count: items)
                _ = model.score(history: Array(s[..<p]), into: &scores)
                let target = scores[Int(s[p])]
                let better = scores.filter { $0 > target }.count
                if target > -.infinity && better < k { hits += 1 }
                cases += 1
            }
        }
        return Double(hits) / Double(cases)
    }

    static let plantedSettings: ModelSettings = {
        var s = ModelSettings()
        s.minCount = 1
        s.training.threads = 1
        s.training.seed = 7
        s.gru4rec.layers = [24]
        s.gru4rec.batchSize = 16
        s.gru4rec.nSample = 8
        s.gru4rec.learningRate = 0.1
        s.training.epochs = 12
        return s
    }()

    @Test func learnsARuleOfTheLastTwoItemsThatMarkovAndSessionKNNCannot() throws {
        let items = 12
        let names = (0..<items).map { "i\($0)" }
        let train = TrainingData(sequences: Self.ringSessions(count: 240, items: items, seed: 1), items: names)
        let test = Self.ringSessions(count: 40, items: items, seed: 2)
        var gru = try ModelRegistry.recommender("gru4rec", settings: Self.plantedSettings)
        try gru.fit(train)
        let gruHR1 = Self.hitRate(gru, sessions: test, items: items, k: 1)
        #expect(gruHR1 > 0.9, "gru4rec hr@1 \(gruHR1)")
        for name in ["markov", "sknn"] {
            var baseline = try ModelRegistry.recommender(name, settings: Self.plantedSettings)
            try baseline.fit(train)
            let hr1 = Self.hitRate(baseline, sessions: test, items: items, k: 1)
            #expect(hr1 < 0.5, "\(name) hr@1 \(hr1)")
        }
    }

    @Test func theSameSeedGivesTheSameNetwork() throws {
        let items = 12
        let names = (0..<items).map { "i\($0)" }
        let train = TrainingData(sequences: Self.ringSessions(count: 60, items: items, seed: 3), items: names)
        for loss in GRU4RecLoss.allCases {
            var s = Self.plantedSettings
            s.gru4rec.loss = loss
            s.training.epochs = 2
            s.gru4rec.dropoutHidden = 0.2
            s.gru4rec.dropoutEmbedding = 0.1
            s.gru4rec.momentum = 0.3
            var a = try GRU4RecDefinition.recommender(s)
            var b = try GRU4RecDefinition.recommender(s)
            try a.fit(train)
            try b.fit(train)
            #expect(a.network != nil && a.network == b.network)
            #expect(a.epochLosses.allSatisfy { $0.isFinite })
        }
    }

    /// A model file trained from data with times (`train`, `tune --output`) sees the sessions in
    /// time order of their first events whatever the file's order, as `evaluate` does.
    @Test func modelFilesTrainOnSessionsInTimeOrder() throws {
        let items = 12
        let names = (0..<items).map { "i\($0)" }
        // The first session holds every item, so both orders number the items alike (the vocabulary
        // breaks ties by first appearance); the others are shuffled.
        let sessions = [(0..<items).map { Int32($0) }] + Self.ringSessions(count: 40, items: items, seed: 5)
        let times = sessions.indices.map { s in sessions[s].indices.map { Double(s * 1000 + $0) } }
        var shuffled = Array(sessions.indices)
        var rng = FastRandom(seed: 9)
        for i in stride(from: shuffled.count - 1, to: 1, by: -1) { shuffled.swapAt(i, 1 + rng.next(below: i)) }
        var s = Self.plantedSettings
        s.training.epochs = 2
        let inOrder = try TuningRun.train(
            Candidate(model: "gru4rec", options: s),
            on: Interactions(items: names, sequences: sessions, times: times)
        )
        let fromShuffled = try TuningRun.train(
            Candidate(model: "gru4rec", options: s),
            on: Interactions(items: names, sequences: shuffled.map { sessions[$0] }, times: shuffled.map { times[$0] })
        )
        #expect(inOrder.vocabulary.tokens == fromShuffled.vocabulary.tokens)
        #expect(inOrder.network != nil && inOrder.network == fromShuffled.network)
        let fileOrder = try TuningRun.train(
            Candidate(model: "gru4rec", options: s),
            on: Interactions(items: names, sequences: shuffled.map { sessions[$0] })
        )
        #expect(fileOrder.network != inOrder.network)
    }

    /// Every input mode and two layers train and score.
    @Test func inputModesAndStackedLayersTrain() throws {
        let items = 12
        let names = (0..<items).map { "i\($0)" }
        let train = TrainingData(sequences: Self.ringSessions(count: 60, items: items, seed: 4), items: names)
        for (constrained, embedding) in [(true, 0), (false, 8), (false, 0)] {
            var s = Self.plantedSettings
            s.gru4rec.layers = [12, 10]
            s.training.epochs = 2
            s.gru4rec.constrainedEmbedding = constrained
            s.gru4rec.embedding = embedding
            var m = try GRU4RecDefinition.recommender(s)
            try m.fit(train)
            var scores = [Float](repeating: -.infinity, count: items)
            #expect(m.score(history: [0, 1], into: &scores))
            #expect(scores.allSatisfy { $0.isFinite })
            #expect(m.epochLosses.count == 2 && m.epochLosses.allSatisfy { $0.isFinite })
        }
    }

    @Test func rejectsNonsense() {
        var c = GRU4RecConfig()
        c.layers = [10, 0]
        #expect(throws: ConfigurationError.self) { try c.validate() }
        c = GRU4RecConfig()
        c.dropoutHidden = 1
        #expect(throws: ConfigurationError.self) { try c.validate() }
        c = GRU4RecConfig()
        c.momentum = -0.1
        #expect(throws: ConfigurationError.self) { try c.validate() }
    }
}
