// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Hierarchical softmax and the full softmax end to end: planted structure, determinism, the model
/// file, dual scoring, inference, and the refusals.
struct OutputLayerTrainingTests {
    let training = TrainingTests()

    func config(_ architecture: Architecture, _ loss: TrainingLoss) -> TrainingConfig {
        var c = training.config(architecture)
        c.loss = loss
        return c
    }

    @Test(arguments: [TrainingLoss.hierarchical, .softmax], [Architecture.skipGram, .cbow])
    func recoversPlantedGroups(loss: TrainingLoss, architecture: Architecture) throws {
        let model = try Trainer(config: config(architecture, loss)).train(plantedCorpus())
        let precision = try groupPrecision(model)
        #expect(precision >= 0.95, "\(loss) \(architecture): neighbours in the planted group: \(precision)")
        let losses = model.summary!.epochLosses
        #expect(losses.count == 4 && losses.last! < losses.first!)
        // Dual scoring (the objective's own score: the path's log-probability for the tree)
        // recommends from the history's group.
        let recommender = try EmbeddingRecommender(model: model, scoring: .dual)
        var pure = 0
        for g in 0..<8 {
            let top = recommender.recommend(history: ["g\(g)_0", "g\(g)_1"], top: 4)
            if top.allSatisfy({ group(of: $0.token) == "g\(g)" }) { pure += 1 }
        }
        #expect(pure >= 7, "\(loss) \(architecture): groups whose dual top 4 are pure: \(pure) of 8")
    }

    @Test(arguments: [TrainingLoss.hierarchical, .softmax])
    func oneThreadSameSeedIsDeterministic(loss: TrainingLoss) throws {
        var c = config(.skipGram, loss)
        c.sample = 1e-2
        let corpus = plantedCorpus()
        let a = try Trainer(config: c).train(corpus)
        let b = try Trainer(config: c).train(corpus)
        #expect(a.isIdentical(to: b))
        #expect(a.summary!.epochLosses == b.summary!.epochLosses)
    }

    @Test func hierarchicalModelRoundTripsAndRebuildsItsTree() throws {
        let corpus = plantedCorpus()
        let model = try Trainer(config: config(.skipGram, .hierarchical)).train(corpus)
        let folder = TemporaryFolder()
        try ModelFile.write(model, to: folder.file("hs.rvmodel"))
        let loaded = try ModelFile.read(from: folder.file("hs.rvmodel"))
        #expect(loaded.isIdentical(to: model))
        #expect(loaded.config.loss == .hierarchical)
        // The tree training used is a function of the stored counts.
        let trained = HuffmanTree(counts: corpus.vocabulary.counts)
        let rebuilt = try #require(loaded.hierarchicalTree())
        for i in 0..<corpus.vocabulary.count {
            #expect(rebuilt.path(i) == trained.path(i) && rebuilt.code(i) == trained.code(i))
        }
        // The last output row is no inner node: training never touched it.
        #expect(model.output!.vector(model.vocabulary.count - 1).allSatisfy { $0 == 0 })
        // Dual scores from the loaded model equal the trained one's.
        let a = try EmbeddingRecommender(model: model, scoring: .dual).recommend(history: ["g1_2"], top: 5)
        let b = try EmbeddingRecommender(model: loaded, scoring: .dual).recommend(history: ["g1_2"], top: 5)
        #expect(a == b)
    }

    @Test func configsWithoutALossDecodeAsNegativeSampling() throws {
        let plain = try JSONEncoder().encode(TrainingConfig())
        #expect(!String(decoding: plain, as: UTF8.self).contains("\"loss\""), "default configs write no key")
        let decoded = try JSONDecoder().decode(TrainingConfig.self, from: plain)
        #expect(decoded.loss == nil && decoded.resolvedLoss == .negative)
        var hs = TrainingConfig()
        hs.loss = .hierarchical
        let back = try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(hs))
        #expect(back.resolvedLoss == .hierarchical)
    }

    @Test func softmaxRefusesLargeVocabulariesNamingTheOption() throws {
        var c = config(.skipGram, .softmax)
        c.softmaxMaxItems = 40  // the planted corpus has 48 items
        #expect {
            try Trainer(config: c).train(plantedCorpus())
        } throws: { error in
            "\(error)".contains("--softmax-max-items") && "\(error)".contains("48 tokens")
        }
        c.softmaxMaxItems = 48
        _ = try Trainer(config: c).train(plantedCorpus(sequences: 10))
    }

    @Test(arguments: [TrainingLoss.hierarchical, .softmax])
    func groupNegativesNeedNegativeSampling(loss: TrainingLoss) {
        var c = config(.skipGram, loss)
        var meta = MetaProd2VecConfig()
        meta.groupNegatives = GroupNegativesConfig(field: "genre", k: 2)
        c.meta = meta
        #expect(throws: ConfigurationError.self) { try c.validateLoss(classes: 10) }
        c.meta = nil
        #expect(throws: Never.self) { try c.validateLoss(classes: 10) }
    }

    @Test(arguments: [TrainingLoss.hierarchical, .softmax], [ModelName.pvDBOW, .pvDM])
    func paragraphVectorsTrainAndInferWithEachLoss(loss: TrainingLoss, kind: ModelName) throws {
        let pv = ParagraphVectorTests()
        var c = pv.config(kind)
        c.loss = loss
        let (corpus, _) = pv.users()
        let model = try Trainer(config: c).train(corpus, inputs: ModelInputs())
        let inference = try ParagraphVectorInference(model: model)
        let recommender = try EmbeddingRecommender(model: model, scoring: .dual)
        var pure = 0
        for g in 0..<6 {
            let ids = (0..<6).map { model.vocabulary.id(of: "g\(g)_\($0)")! }
            let v = inference.queryVector(ids, seed: 3)
            #expect(v == inference.queryVector(ids, seed: 3), "same seed, same vector")
            let top = recommender.recommend(vector: v, top: 4)
            if top.allSatisfy({ group(of: $0.token) == "g\(g)" }) { pure += 1 }
        }
        #expect(pure >= 5, "\(loss) \(kind): inferred documents whose top 4 are pure: \(pure) of 6")
    }

    @Test func tuningSpacesDrawTheLossWhereItApplies() {
        let tuner = Tuner(settings: EvaluationSettings(protocolName: .leaveLastOut), base: ModelSettings())
        var rng = FastRandom(seed: 2)
        for name in ["prod2vec", "item2vec", "cbow", "pv-dbow", "meta-prod2vec"] {
            let losses = Set((0..<40).map { _ in tuner.sample(name, rng: &rng).options.training.resolvedLoss })
            #expect(losses == [.negative, .hierarchical], "\(name): \(losses)")
        }
        let content = Set((0..<40).map { _ in tuner.sample("content2vec", rng: &rng).options.training.resolvedLoss })
        #expect(content == [.negative])
    }
}
