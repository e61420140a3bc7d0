// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RealModule
import Testing

@testable import RecVecCore

/// Content kNN: TF-IDF vectors of Content2vec's metadata tokens, the recency-weighted history's
/// cosine, cold items scored from their content.
struct ContentKNNTests {
    /// Five items with titles and a genre, and "e" without metadata.
    ///
    ///     a  "Red Fox"   G1      tokens over the 5 items with content (df):
    ///     b  "Red Wolf"  G1        red 3, G1 3, fox 2, G2 2,
    ///     c  "Blue Fox"  G2        wolf, blue, green, owl, sky 1 (dropped at min count 2)
    ///     d  "Green Owl" G2
    ///     f  "Red Sky"   G1
    func tiny() -> (items: [String], metadata: ItemMetadata) {
        var m = ItemMetadata()
        for (item, title, genre) in [
            ("a", "Red Fox", "G1"), ("b", "Red Wolf", "G1"), ("c", "Blue Fox", "G2"), ("d", "Green Owl", "G2"),
            ("f", "Red Sky", "G1"),
        ] {
            m.add(item: item, field: "title", value: title)
            m.add(item: item, field: "genre", value: genre)
        }
        return (["a", "b", "c", "d", "e", "f"], m)
    }

    func weights(_ index: TFIDFIndex, _ item: Int) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: index.vector(of: item).map { ($0.token, Double($0.weight)) })
    }

    func expectClose(_ a: [String: Double], _ b: [String: Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(a.keys) == Set(b.keys), "\(a) vs \(b)", sourceLocation: sourceLocation)
        for (k, v) in b {
            #expect(
                (a[k] ?? .nan).isApproximatelyEqual(to: v, relativeTolerance: 1e-5),
                "\(k): \(a[k] ?? .nan) vs \(v)",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test func tfidfWeightsOfATinyCatalog() throws {
        let (items, metadata) = tiny()
        let index = try TFIDFIndex(
            items: items,
            metadata: metadata,
            fields: [],
            textFields: ["title"],
            minCount: 2,
            config: .init()
        )
        #expect(index.itemsWithContent == 5)
        #expect(index.tokens == ["text:genre=G1", "text:red", "text:fox", "text:genre=G2"])
        #expect(index.documentFrequencies == [3, 3, 2, 2])
        // idf = ln(5 / df): red and G1 ln(5/3) = 0.5108, fox and G2 ln(5/2) = 0.9163.
        let common = log(5.0 / 3)
        let rare = log(5.0 / 2)
        // a = (red, fox, G1): norm √(2·0.5108² + 0.9163²) = 1.1668 → 0.4378, 0.7853, 0.4378.
        let normA = (2 * common * common + rare * rare).squareRoot()
        expectClose(
            weights(index, 0),
            ["text:red": common / normA, "text:fox": rare / normA, "text:genre=G1": common / normA]
        )
        #expect(abs(weights(index, 0)["text:fox"]! - 0.785288) < 1e-5)
        // b = (red, G1): wolf is dropped (one item), the two left weigh alike.
        expectClose(weights(index, 1), ["text:red": 0.5.squareRoot(), "text:genre=G1": 0.5.squareRoot()])
        // d = (G2) alone; e has no metadata, so no vector.
        expectClose(weights(index, 3), ["text:genre=G2": 1])
        #expect(index.vector(of: 4).isEmpty)
        // Postings: token → items in id order, with the same weights.
        let fox = 2
        let lo = Int(index.postingOffsets[fox])
        let hi = Int(index.postingOffsets[fox + 1])
        #expect(Array(index.postingItems[lo..<hi]) == [0, 2])

        // Without idf, every kept token weighs the same before scaling.
        let flat = try TFIDFIndex(
            items: items,
            metadata: metadata,
            fields: [],
            textFields: ["title"],
            minCount: 2,
            config: .init(idf: false)
        )
        let third = (1.0 / 3).squareRoot()
        expectClose(weights(flat, 0), ["text:red": third, "text:fox": third, "text:genre=G1": third])
        // min count 1 keeps the one-item words: b = (red, wolf, G1) with wolf at ln(5/1).
        let all = try TFIDFIndex(
            items: items,
            metadata: metadata,
            fields: ["title"],
            textFields: ["title"],
            minCount: 1,
            config: .init()
        )
        let normB = (common * common + log(5.0) * log(5.0)).squareRoot()
        expectClose(weights(all, 1), ["text:red": common / normB, "text:wolf": log(5.0) / normB])
    }

    @Test func termFrequencyCountsRepeatedValues() throws {
        // x carries tag "funny" three times (three users' tags) and "dark" once.
        var m = ItemMetadata()
        for value in ["funny", "funny", "funny", "dark"] { m.add(item: "x", field: "tag", value: value) }
        m.add(item: "y", field: "tag", value: "funny")
        m.add(item: "y", field: "tag", value: "dark")
        m.add(item: "z", field: "tag", value: "other")
        func vector(_ tf: ContentKNNConfig.TermFrequency) throws -> [String: Double] {
            let index = try TFIDFIndex(
                items: ["x", "y", "z"],
                metadata: m,
                fields: [],
                textFields: [],
                minCount: 1,
                config: .init(termFrequency: tf, idf: false)
            )
            return weights(index, 0)
        }
        let half = 0.5.squareRoot()
        expectClose(try vector(.binary), ["text:tag=funny": half, "text:tag=dark": half])
        expectClose(
            try vector(.count),
            ["text:tag=funny": 3 / 10.0.squareRoot(), "text:tag=dark": 1 / 10.0.squareRoot()]
        )
        let l = 1 + log(3.0)
        let n = (l * l + 1).squareRoot()
        expectClose(try vector(.log), ["text:tag=funny": l / n, "text:tag=dark": 1 / n])
    }

    /// A history of two "Zorg" films: the unseen films sharing its rare title words rank first,
    /// before the many films that share only its common genre.
    @Test func itemsSharingRareWordsWithTheHistoryRankFirst() throws {
        var m = ItemMetadata()
        var items: [String] = []
        func film(_ id: String, _ title: String, _ genre: String) {
            items.append(id)
            m.add(item: id, field: "title", value: title)
            m.add(item: id, field: "genre", value: genre)
        }
        film("h1", "Galactic Pirates of Zorg", "Adventure")
        film("h2", "Return to Zorg", "Adventure")
        film("zorg", "Zorg Rising", "Drama")
        film("pirates", "Pirates Cove", "Drama")
        for k in 0..<10 { film("filler\(k)", "Quiet Story \(k)", k < 8 ? "Adventure" : "Drama") }
        var model = ContentKNNModel(metadata: m, minCount: 1)
        let data = TrainingData(sequences: [[0, 1]], items: items)
        try model.fit(data)
        var scores = [Float](repeating: -.infinity, count: items.count)
        #expect(model.score(history: [0, 1], into: &scores))
        let ranked = (2..<items.count).filter { scores[$0] > -.infinity }.sorted { scores[$0] > scores[$1] }
        #expect(ranked.prefix(2).map { items[$0] } == ["zorg", "pirates"], "\(ranked.map { items[$0] })")
        // Adventure fillers share the genre only; the Drama ones share nothing and get no score.
        #expect(ranked.count == 10)
        #expect(scores[items.firstIndex(of: "filler9")!] == -.infinity)

        // A cosine: a history of one item scores that item 1.
        var one = [Float](repeating: -.infinity, count: items.count)
        #expect(model.score(history: [2], into: &one))
        #expect(abs(one[2] - 1) < 1e-5)
        // The last n: only h2 ("Return to Zorg") counts, and "pirates" shares nothing with it any more.
        model.weighting = HistoryWeighting(lastN: 1)
        var last = [Float](repeating: -.infinity, count: items.count)
        #expect(model.score(history: [0, 1], into: &last))
        #expect(last[3] == -.infinity && last[2] > last[4] && last[4] > 0)
        // A history of items without content gives nothing to go on.
        var empty = ContentKNNModel(metadata: m)
        try empty.fit(TrainingData(sequences: [], items: ["unknown"]))
        var none = [Float](repeating: -.infinity, count: 1)
        #expect(!empty.score(history: [0], into: &none))
    }

    /// Cold items (metadata, no training events) are scored from their content, recommended and
    /// hit; popularity never reaches them.
    @Test func coldItemsAreScoredAndRecommended() throws {
        let metadata = try ItemMetadata.read(path: fixture("contentknn-metadata.tsv"))
        let data = try Interactions.read(path: fixture("contentknn-events.tsv"), format: .events)
        #expect(data.items.count == 16)

        // Directly: no events at all for m01, which is still the first choice after its series.
        let m01 = Int32(data.items.firstIndex(of: "m01")!)
        let training = TrainingData(
            sequences: data.sequences.map { sequence in sequence.filter { $0 != m01 } },
            items: data.items
        )
        #expect(training.counts[Int(m01)] == 0)
        var model = try ContentKNNDefinition.recommender(settings(metadata))
        try model.fit(training)
        let series = ["m02", "m03", "m04"].map { Int32(data.items.firstIndex(of: $0)!) }
        var scores = [Float](repeating: -.infinity, count: data.items.count)
        #expect(model.score(history: series, into: &scores))
        let best = (0..<data.items.count).filter { !series.contains(Int32($0)) }.max { scores[$0] < scores[$1] }
        #expect(best == Int(m01))

        // Through the evaluation: every hidden film is the next film of its series.
        var evaluation = EvaluationSettings(protocolName: .leaveLastOut)
        evaluation.protocolOptions.hideItems = 0.2
        evaluation.coldStart = 0
        evaluation.cutoffs = [1, 5]
        let report = try EvaluationRun.run(
            data: data,
            settings: evaluation,
            models: [PopularityModel(), try ModelRegistry.recommender("contentknn", settings: settings(metadata))]
        )
        let cold = try #require(report.coldStart)
        #expect(report.hiddenItems == 3 && cold.testCases == 3)
        #expect(cold.results[0].metrics["hr@5"] == 0)
        #expect(cold.results[1].metrics["hr@1"] == 1)
        #expect(report.results[1].metrics["hr@1"] == 1)
    }

    func settings(_ metadata: ItemMetadata) -> ModelSettings {
        var s = ModelSettings()
        s.metadata = metadata
        s.metadataFields = ["title", "genre"]
        return s
    }

    @Test func refusesWithoutMetadataAndUnknownFields() throws {
        #expect(ContentKNNDefinition.needs.contains(.metadata))
        #expect(ContentKNNDefinition.offers.contains(.coldStartItems))
        #expect(!ModelRegistry.defaultComparison.contains("contentknn"))
        #expect(ModelRegistry.tuningSpace(of: "contentknn") != nil)
        for build in [
            { _ = try ModelRegistry.recommender("contentknn", settings: ModelSettings()) },
            { _ = try ContentKNNDefinition.recommender(ModelSettings()) },
        ] {
            let error = try #require(throws: ConfigurationError.self, performing: build)
            #expect(error.setting == "metadata")
            #expect(error.message.contains("contentknn needs item side information"))
        }
        var s = settings(tiny().metadata)
        s.metadataFields = ["year"]
        var model = try ContentKNNDefinition.recommender(s)
        let error = try #require(throws: ConfigurationError.self) {
            try model.fit(TrainingData(sequences: [], items: tiny().items))
        }
        #expect(error.setting == "metadata_fields" && error.message.contains("no field 'year'"))
    }
}
