// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule
import Testing

@testable import RecVecCore

/// Paragraph vectors and user-prod2vec: the inference step against finite differences, document
/// and user vectors near their own items, inference of unseen documents.
struct ParagraphVectorTests {
    let gradients = KernelGradientTests()

    func config(_ model: ModelName, dim: Int = 24, epochs: Int = 10) -> TrainingConfig {
        var c = TrainingConfig()
        c.model = model
        c.dim = dim
        c.epochs = epochs
        c.sample = 0
        c.threads = 1
        c.window = 3
        c.paragraph = ParagraphVectorConfig()
        return c
    }

    /// 300 users, each drawing 12 items from one of 6 groups of 8 items.
    func users(seed: UInt64 = 7) -> (corpus: Corpus, groupOfUser: [Int]) {
        var rng = FastRandom(seed: seed)
        var lines: [[String]] = []
        var groups: [Int] = []
        for _ in 0..<300 {
            let g = rng.next(below: 6)
            groups.append(g)
            lines.append((0..<12).map { _ in "g\(g)_\(rng.next(below: 8))" })
        }
        return (corpus(lines), groups)
    }

    @Test(arguments: [0, 2])
    func inferenceStepIsTheLossGradientAndLeavesTheModelAlone(contextCount: Int) {
        var (kernel, input, output) = gradients.makeKernel(seed: 3)
        defer { kernel.deallocate() }
        let contexts: [Int32] = Array([1, 5].prefix(contextCount))
        let vector = EmbeddingMatrix(rows: 1, dim: gradients.dim)
        var rng = FastRandom(seed: 4)
        for c in 0..<gradients.dim { vector.row(0)[c] = rng.nextUnitFloat() - 0.5 }
        let v0 = vector.vector(0).map(Double.init)
        let in0 = gradients.rows(input)
        let out0 = gradients.rows(output)
        let before = kernel.rng
        var probe = kernel
        let nt = probe.drawTargets(positive: 2)
        let targets = (0..<nt).map { Int(probe.targets[$0]) }
        kernel.rng = before
        contexts.withUnsafeBufferPointer {
            kernel.inferStep(vector: vector.row(0), center: 2, contexts: $0.baseAddress!, count: contextCount)
        }
        // hidden = mean(vector, contexts); the vector moves by −α ∂L/∂hidden (word2vec's convention).
        func hidden(_ v: [Double]) -> [Double] {
            var h = v
            for c in contexts { h = zip(h, in0[Int(c)]).map(+) }
            return h.map { $0 / Double(contextCount + 1) }
        }
        let g = gradients.numericGradient(hidden(v0)) { gradients.cbowLoss(hidden: $0, out0, targets: targets) }
        let moved = zip(vector.vector(0), v0).map { (Double($0) - $1) / -Double(gradients.alpha) }
        gradients.expectClose(moved, g, "document vector")
        #expect(gradients.rows(input) == in0)
        #expect(gradients.rows(output) == out0)
    }

    @Test(arguments: [ModelName.pvDBOW, .pvDM, .userProd2vec])
    func documentVectorsLieNearTheirOwnItems(kind: ModelName) throws {
        let (corpus, groupOfUser) = users()
        let model = try Trainer(config: config(kind)).train(corpus, inputs: ModelInputs())
        let documents = try #require(model.sections.last)
        #expect(documents.kind == (kind == .userProd2vec ? .user : .document))
        #expect(documents.count == 300)
        #expect(model.vocabulary.tokens[documents.start] == (kind == .userProd2vec ? "user:1" : "doc:1"))
        // Each document's recommendations (dual: what the objective scores) come from its group.
        let recommender = try EmbeddingRecommender(model: model, scoring: .dual)
        var pure = 0
        for u in 0..<300 {
            let top = recommender.recommend(history: [model.vocabulary.tokens[documents.start + u]], top: 5)
            pure += top.filter { group(of: $0.token) == "g\(groupOfUser[u])" }.count
        }
        #expect(Double(pure) / 1500 > 0.9, "purity \(Double(pure) / 1500)")
    }

    @Test(arguments: [ModelName.pvDBOW, .pvDM])
    func inferredVectorsRecommendTheDocumentsGroup(kind: ModelName) throws {
        let (corpus, _) = users()
        let model = try Trainer(config: config(kind)).train(corpus, inputs: ModelInputs())
        let inference = try ParagraphVectorInference(model: model)
        let recommender = try EmbeddingRecommender(model: model, scoring: .dual)
        for g in 0..<6 {
            let tokens = (0..<6).map { "g\(g)_\($0)" }
            let ids = tokens.map { model.vocabulary.id(of: $0)! }
            let v = inference.queryVector(ids, seed: 3)
            #expect(v == inference.queryVector(ids, seed: 3), "same seed, same vector")
            let top = recommender.recommend(vector: v, top: 4)
            #expect(top.allSatisfy { group(of: $0.token) == "g\(g)" }, "\(kind) group \(g): \(top.map(\.token))")
        }
    }

    @Test func userProd2vecRecommendsFromTheUserVector() throws {
        let (corpus, groupOfUser) = users()
        let model = try Trainer(config: config(.userProd2vec)).train(corpus, inputs: ModelInputs())
        // Cosine: the items nearest to the user vector itself.
        let recommender = try EmbeddingRecommender(model: model, scoring: .cosine)
        var pure = 0
        for u in 0..<50 {
            pure +=
                recommender.recommend(history: ["user:\(u + 1)"], top: 5)
                .filter { group(of: $0.token) == "g\(groupOfUser[u])" }.count
        }
        #expect(Double(pure) / 250 > 0.9, "purity \(Double(pure) / 250)")
    }

    @Test func missingDocumentIDsAndBadOptionsAreErrors() throws {
        var c = corpus([["a", "b"], ["b", "c"]])
        c.documents = []
        c.sequenceDocuments = []
        #expect(throws: ConfigurationError.self) {
            try Trainer(config: config(.pvDBOW)).train(c, inputs: ModelInputs())
        }
        var bad = config(.pvDM)
        bad.paragraph!.inferEpochs = 0
        #expect(throws: ConfigurationError.self) {
            try Trainer(config: bad).train(corpus([["a", "b"]]), inputs: ModelInputs())
        }
        var imported = try Trainer(config: config(.pvDBOW, epochs: 1)).train(
            corpus([["a", "b"]]),
            inputs: ModelInputs()
        )
        imported.output = nil
        #expect(throws: ConfigurationError.self) { try ParagraphVectorInference(model: imported) }
    }
}
