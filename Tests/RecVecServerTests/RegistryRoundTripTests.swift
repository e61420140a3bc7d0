// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import HummingbirdTesting
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// Every registered model, through every step its definition says it supports: train → save →
/// load → recommend → evaluate → tune (two trials) → the server's /v1/recommend. A model added to
/// the registry is covered here without writing a test for it.
@Suite struct RegistryRoundTripTests {
    /// 4 planted groups of 6 items; 48 users, each with 8 events of one group, two events per
    /// time stamp (baskets by time); a category and a title per item.
    static let data: Interactions = {
        var rng = FastRandom(seed: 7)
        let items = (0..<4).flatMap { g in (0..<6).map { "g\(g)_\($0)" } }
        var sequences: [[Int32]] = []
        var times: [[Double]] = []
        for u in 0..<48 {
            let g = u % 4
            sequences.append((0..<8).map { _ in Int32(g * 6 + rng.next(below: 6)) })
            times.append((0..<8).map { Double(u * 10_000 + ($0 / 2) * 60) })
        }
        return Interactions(items: items, sequences: sequences, times: times)
    }()

    static let metadata: ItemMetadata = {
        var m = ItemMetadata()
        for item in data.items {
            let group = String(item.prefix(2))
            m.add(item: item, field: "category", value: group)
            m.add(item: item, field: "title", value: "film \(group) part \(item.suffix(1))")
        }
        return m
    }()

    /// Small, fast settings for every model.
    static func settings(folder: TemporaryFolder) throws -> ModelSettings {
        var s = ModelSettings()
        s.training.dim = 8
        s.training.epochs = 2
        s.training.threads = 1
        s.training.sample = 0
        s.minCount = 1
        s.metadata = metadata
        s.factorization.iterations = 2
        s.content.minCount = 1
        // vectors:FILE reads word2vec vectors trained elsewhere: here, a skip-gram model exported.
        let corpus = try DataCorpus(TrainingData(sequences: data.sequences, items: data.items), minCount: 1).corpus
        let vectors = try Trainer(config: SkipGramDefinition.configuration(s)).train(corpus)
        let path = folder.file("vectors.txt")
        try Word2VecFormat.write(vectors, to: path, format: .text)
        s.argument = path
        return s
    }

    static let names = ModelRegistry.all.map { $0.name.rawValue }

    @Test func theRegistryIsConsistent() {
        #expect(Set(Self.names).count == Self.names.count, "names are unique")
        for d in ModelRegistry.all {
            #expect(!d.summary.isEmpty, "\(d.name) has a summary")
            #expect(d.allOffers.contains(.modelFile) == (d is any TrainableModelDefinition.Type))
            for alias in d.aliases { #expect(ModelRegistry.definition(named: alias)?.name == d.name) }
            if d.offers.contains(.inference) {
                #expect(d is any ParagraphVectorDefinition.Type, "\(d.name): infer needs paragraph vectors")
            }
        }
        #expect(throws: ConfigurationError.self) { try ModelRegistry.require("no-such-model") }
    }

    @Test(arguments: names)
    func everyStepTheModelOffers(name: String) async throws {
        let folder = TemporaryFolder()
        let definition = try ModelRegistry.require(name)
        let s = try Self.settings(folder: folder)
        let spec = definition is any ArgumentTakingDefinition.Type ? "\(name):\(s.argument!)" : name

        // train → save → load → recommend
        if let trainable = definition as? any TrainableModelDefinition.Type {
            let config = trainable.configuration(s)
            let all = TrainingData(sequences: Self.data.sequences, items: Self.data.items, times: Self.data.times)
            let corpus = try DataCorpus(all, minCount: s.minCount, withTimes: config.needsTimes).corpus
            var inputs = ModelInputs()
            inputs.metadata = s.metadata
            let model = try Trainer(config: config).train(corpus, inputs: inputs)
            let path = folder.file("model.rvmodel")
            try ModelFile.write(model, to: path)
            let loaded = try ModelFile.read(from: path)
            #expect(loaded.vocabulary == model.vocabulary && loaded.config == model.config)
            // The file names the model that trained it (the plain engine and mix's embedding: none).
            let recorded = try ModelRegistry.definition(for: loaded.config)
            #expect(recorded.name == definition.name || loaded.config.model == nil)
            #expect(!trainable.describe(loaded.config).isEmpty)
            let recommendations = try EmbeddingRecommender(model: loaded).recommend(history: ["g1_0", "g1_1"], top: 3)
            #expect(recommendations.count == 3)
            if definition.offers.contains(.inference) {
                let inference = try ParagraphVectorInference(model: loaded)
                #expect(inference.infer([0, 1]).count == loaded.dim)
            }
            // serve: /v1/recommend answers from the file.
            let server = try TestServer(model: loaded, metadata: false)
            try await server.test { client in
                let reply = try await client.post("/v1/recommend", #"{"history": ["g2_0", "g2_3"], "k": 3}"#)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.ids.count == 3, "\(reply.text)")
            }
        } else {
            #expect(throws: ConfigurationError.self) { try ModelRegistry.requireTrainable(name) }
        }

        // evaluate
        var evaluation = EvaluationSettings(protocolName: .leaveLastOut)
        evaluation.cutoffs = [5]
        let recommender = try ModelRegistry.recommender(spec, settings: s)
        let report = try EvaluationRun.run(data: Self.data, settings: evaluation, models: [recommender])
        #expect(report.results.count == 1 && report.results[0].metrics["hr@5"] != nil)

        // tune: two trials, or a clear refusal.
        var tuning = TuningRun(settings: evaluation, base: s, models: [spec])
        tuning.maxTrials = 2
        if ModelRegistry.tuningSpace(of: name) != nil {
            let result = try tuning.run(data: Self.data)
            #expect(result.trials.count == 2)
            #expect(result.report.results.map(\.model) == [name, name + "-tuned"])
        } else {
            #expect(throws: ConfigurationError.self) { try tuning.run(data: Self.data) }
        }
    }
}
