// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

// The worked example of the "Adding a model" article (RecVecCore.docc/AddingAModel.md), verbatim:
// the one new file of a pair-source model. It is kept here, compiled and trained, so that the
// guide cannot drift from the API; it is not registered (the article's one registration line
// would add it to ModelRegistry.all).

/// Next-item skip-gram: only the items before a position predict it (a one-sided window), so the
/// vectors learn "what comes next" rather than "what goes together".
public struct ForwardSkipGramSource: PairSource {
    public let window: Int

    public init(window: Int) { self.window = window }

    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        if sequence.count < 2 { return }
        for i in 1..<sequence.count {
            var n = 0
            for j in max(0, i - window)..<i {
                kernel.contexts[n] = sequence[j]
                n += 1
            }
            kernel.skipGram(center: sequence[i], contexts: kernel.contexts, count: n)
        }
    }
}

public enum ForwardSkipGramDefinition: TrainableModelDefinition {
    public static let name: ModelName = "forward-skipgram"
    public static let aliases: [String] = []
    public static let summary = "skip-gram where only the preceding items predict an item"
    public static let reference = "Mikolov et al. 2013"
    public static let family = ModelFamily.embedding
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        EngineModels.configuration(s, model: name, architecture: .skipGram)
    }

    public static func recommender(_ s: ModelSettings) throws -> EmbeddingRecommenderModel {
        EngineModels.recommender(name: name, training: configuration(s), s)
    }

    public static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        try trainer.train(corpus, source: ForwardSkipGramSource(window: trainer.config.window), onEvent: onEvent)
    }

    public static let tuning: TuningSpace? = EngineModels.tuning()
}

// End of the article's example.

@Suite struct AddingAModelGuideTests {
    /// The example learns what it says: on sequences that walk a cycle i0 → i1 → … → i11 → i0, dual
    /// scoring of a one-item history ranks that item's successor first.
    @Test func theGuidesModelTrainsAndRecommendsTheNextItem() throws {
        let cycle = (0..<12).map { "i\($0)" }
        var rng = FastRandom(seed: 3)
        var lines: [[String]] = []
        for _ in 0..<400 {
            let start = rng.next(below: cycle.count)
            lines.append((0..<8).map { cycle[(start + $0) % cycle.count] })
        }
        var settings = ModelSettings()
        settings.training.dim = 16
        settings.training.window = 1
        settings.training.epochs = 10
        settings.training.threads = 1
        settings.training.sample = 0
        let config = ForwardSkipGramDefinition.configuration(settings)
        #expect(config.model == "forward-skipgram" && config.windowMode == .shrink)
        let corpus = try Corpus.from(lines, minCount: 1)
        let model = try ForwardSkipGramDefinition.train(
            corpus,
            trainer: Trainer(config: config),
            inputs: ModelInputs(),
            onEvent: nil
        )
        // Dual scoring (input · output) of a one-item history ranks the successor first.
        let recommender = try EmbeddingRecommender(model: model, scoring: .dual)
        var correct = 0
        for (k, item) in cycle.enumerated() {
            let top = recommender.recommend(history: [item], top: 1, excludeHistory: true)
            if top.first?.token == cycle[(k + 1) % cycle.count] { correct += 1 }
        }
        #expect(correct >= 10, "\(correct) of 12 successors first")
        #expect(ModelRegistry.definition(named: "forward-skipgram") == nil, "the example is not registered")
        #expect(try ForwardSkipGramDefinition.recommender(settings).name == "forward-skipgram")
    }
}
