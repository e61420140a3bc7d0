// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// `evaluate --search hnsw`: embedding models find each case's top items through an HNSW index.
struct ApproximateEvaluationTests {
    /// 20 planted groups of 20 items; sessions stay in one group.
    func planted(sessions: Int = 2000) -> (data: TrainingData, cases: [TestCase]) {
        var rng = FastRandom(seed: 5)
        let names = (0..<20).flatMap { g in (0..<20).map { "g\(g)_\($0)" } }
        var sequences: [[Int32]] = []
        for _ in 0..<sessions {
            let g = rng.next(below: 20)
            sequences.append((0..<6).map { _ in Int32(g * 20 + rng.next(below: 20)) })
        }
        var cases: [TestCase] = []
        for _ in 0..<300 {
            let g = rng.next(below: 20)
            let s = (0..<4).map { _ in Int32(g * 20 + rng.next(below: 20)) }
            cases.append(TestCase(history: Array(s.dropLast()), target: s.last!))
        }
        return (TrainingData(sequences: sequences, items: names), cases)
    }

    func model(_ search: HNSWParameters?) -> EmbeddingRecommenderModel {
        var config = TrainingConfig()
        config.dim = 16
        config.epochs = 2
        config.sample = 0
        config.threads = 1
        var m = EmbeddingRecommenderModel(name: "item2vec", training: config, minCount: 1)
        m.approximateSearch = search
        return m
    }

    /// The top-20 lists (history excluded) of `approximate` equal those of `exact`'s full scoring
    /// in at least 95 % of `cases`.
    func expectSameTopLists(
        _ exact: any RecommenderModel,
        _ approximate: any RecommenderModel,
        data: TrainingData,
        cases: [TestCase],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let evaluator = Evaluator(cutoffs: [20], excludeHistory: true)
        let popular = Evaluator.popularOrder(data.counts)
        var same = 0
        var scores = [Float](repeating: -.infinity, count: data.items.count)
        for c in cases {
            let history = Array(c.history)
            for i in scores.indices { scores[i] = -.infinity }
            #expect(exact.score(history: history, into: &scores), sourceLocation: sourceLocation)
            let full = evaluator.rank(scores, history: history, popular: popular, depth: 20)
            if approximate.approximateTop(history: history, k: 20, excluding: Set(history)) == full { same += 1 }
        }
        #expect(
            same >= cases.count * 95 / 100,
            "\(same) of \(cases.count) top-20 lists identical",
            sourceLocation: sourceLocation
        )
    }

    /// With a candidate list as large as the catalog the graph search sees every item it can reach,
    /// so the approximate path ranks as scoring every item does (the same scores, bit for bit),
    /// except where tight planted groups leave a node unreachable.
    @Test func aWideSearchRanksAsFullScoring() throws {
        let (data, cases) = planted()
        var exact = model(nil)
        var approximate = model(HNSWParameters(m: 8, efConstruction: 100, efSearch: 400, seed: 1))
        try exact.fit(data)
        try approximate.fit(data)
        #expect(exact.approximateTop(history: [0, 1], k: 5, excluding: []) == nil)
        let top = try #require(approximate.approximateTop(history: [0, 1], k: 5, excluding: [0, 1]))
        #expect(top.count == 5 && !top.contains(0) && !top.contains(1))
        #expect(top.allSatisfy { $0 / 20 == 0 }, "\(top)")  // group 0's items
        #expect(approximate.approximateTop(history: [], k: 5, excluding: []) == [])
        #expect(approximate.config["search"] == "hnsw m=8 ef_construction=100 ef_search=400")
        expectSameTopLists(exact, approximate, data: data, cases: cases)
        for exclude in [true, false] {
            let evaluator = Evaluator(cutoffs: [1, 5, 10, 20], excludeHistory: exclude)
            let a = evaluator.evaluate(exact, cases: cases, data: data)
            let b = evaluator.evaluate(approximate, cases: cases, data: data)
            for (key, value) in a where !key.hasPrefix("popularity") && !key.hasPrefix("coverage") {
                #expect(abs(value - b[key]!) <= 0.01, "\(key): exact \(value), hnsw \(b[key]!)")
            }
            #expect(a["hr@10"]! > 0.2)  // chance: 10 / 400
        }
    }

    /// A small graph searched with a short list is approximate, but close to exact on planted data.
    @Test func aSmallIndexStaysCloseToExact() throws {
        let (data, cases) = planted()
        var exact = model(nil)
        var approximate = model(HNSWParameters(m: 4, efConstruction: 20, efSearch: 20, seed: 3))
        try exact.fit(data)
        try approximate.fit(data)
        let evaluator = Evaluator(cutoffs: [10], excludeHistory: true)
        let a = evaluator.evaluate(exact, cases: cases, data: data)["hr@10"]!
        let b = evaluator.evaluate(approximate, cases: cases, data: data)["hr@10"]!
        #expect(abs(a - b) < 0.05, "exact \(a), hnsw \(b)")
    }

    /// Vectors trained elsewhere (`vectors:FILE`) go through the same index path: with an exhaustive
    /// candidate list, the same top lists as their exact scoring in nearly every case.
    @Test func pretrainedVectorsSearchAnIndexToo() throws {
        let (data, cases) = planted(sessions: 1000)
        let dir = TemporaryFolder()
        var config = TrainingConfig()
        config.dim = 16
        config.epochs = 2
        config.sample = 0
        config.threads = 1
        let corpus = try DataCorpus(data, minCount: 1, withTimes: false).corpus
        let vectors = dir.file("v.txt")
        try Word2VecFormat.write(try Trainer(config: config).train(corpus), to: vectors, format: .text)
        var exact = PretrainedVectorsModel(name: "vectors", inputPath: vectors)
        var approximate = PretrainedVectorsModel(name: "vectors", inputPath: vectors)
        approximate.approximateSearch = HNSWParameters(m: 8, efConstruction: 100, efSearch: 400, seed: 1)
        approximate.indexThreads = 1  // a graph built on several threads depends on their timing
        try exact.fit(data)
        try approximate.fit(data)
        #expect(exact.approximateTop(history: [0], k: 5, excluding: []) == nil)
        #expect(approximate.config["search"] == "hnsw m=8 ef_construction=100 ef_search=400")
        expectSameTopLists(exact, approximate, data: data, cases: cases)
    }

    /// An index answers cosine queries: other scorings are refused with the setting's name.
    @Test func onlyCosineScoringSearchesAnIndex() throws {
        var s = ModelSettings()
        s.approximateSearch = HNSWParameters()
        try s.validate()
        s.scoring = .dual
        #expect(throws: ConfigurationError.self) { try s.validate() }
        do { try s.validate() } catch let e as ConfigurationError { #expect(e.setting == "search") }
        s.scoring = .cosine
        s.approximateSearch = HNSWParameters(m: 1)
        #expect(throws: ConfigurationError.self) { try s.validate() }
        // The registry's engine models take it from the settings; the others ignore it.
        s.approximateSearch = HNSWParameters(efSearch: 7)
        let item2vec = try ModelRegistry.recommender("item2vec", settings: s)
        #expect((item2vec as? EmbeddingRecommenderModel)?.approximateSearch?.efSearch == 7)
        s.training.threads = 1
        let vectors = try ModelRegistry.recommender("vectors:v.txt", settings: s) as? PretrainedVectorsModel
        #expect(vectors?.approximateSearch?.efSearch == 7 && vectors?.indexThreads == 1)
        // A tuning trial that draws dual scoring (settings not validated again) scores exactly.
        s.scoring = .dual
        var dual = try #require(try ModelRegistry.recommender("item2vec", settings: s) as? EmbeddingRecommenderModel)
        #expect(dual.config["search"] == nil)
        dual.training.dim = 8
        dual.training.epochs = 1
        dual.training.threads = 1
        dual.minCount = 1
        try dual.fit(planted(sessions: 200).data)
        #expect(dual.approximateTop(history: [0, 1], k: 5, excluding: []) == nil)
    }
}
