// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RecVecCore
import Testing

/// The program of the DocC article "Getting started" (Sources/RecVecCore/RecVecCore.docc/GettingStarted.md),
/// step by step with the same calls, on a small generated data set: if an API the article shows
/// changes, this stops compiling. Keep the two in step.
struct GettingStartedTests {
    /// 200 users; each visits items of one of 8 groups, 12 events a user, one minute apart.
    func writeData(in folder: TemporaryFolder) -> (sessions: String, events: String) {
        var rng = FastRandom(seed: 11)
        var sessionLines: [String] = []
        var eventLines = ["user_id\titem_id\ttimestamp"]
        for user in 0..<200 {
            let group = rng.next(below: 8)
            let items = (0..<12).map { _ in "item_\(group * 10 + rng.next(below: 10))" }
            sessionLines.append(items.joined(separator: " "))
            for (i, item) in items.enumerated() { eventLines.append("u\(user)\t\(item)\t\(1_700_000_000 + i * 60)") }
        }
        return (
            folder.write("sessions.txt", sessionLines.joined(separator: "\n") + "\n"),
            folder.write("events.tsv", eventLines.joined(separator: "\n") + "\n")
        )
    }

    @Test func theArticlesProgramRuns() throws {
        let folder = TemporaryFolder()
        let (sessionsPath, eventsPath) = writeData(in: folder)
        let modelPath = folder.file("sessions.rvmodel")

        // Read a corpus
        let corpus = try SequenceFileReader.read(path: sessionsPath, options: ReadOptions(minCount: 5))
        #expect(corpus.vocabulary.count == 80)
        #expect(corpus.sequences.count == 200)
        var events = EventOptions()
        events.sessionGap = 30 * 60
        let sessions = try EventFileReader.read(path: eventsPath, events: events, options: ReadOptions(minCount: 5))
        #expect(sessions.sequences.count == 200)

        // Train
        var config = TrainingConfig()
        config.dim = 16
        config.epochs = 10
        config.windowMode = .full
        config.threads = 1
        let epochs = Counter()
        let model = try Trainer(config: config).train(corpus) { event in
            if case .epochFinished = event { epochs.increment() }
        }
        #expect(epochs.value == 10)

        // Train any model by name
        var settings = ModelSettings()
        settings.training.dim = 16
        settings.training.epochs = 2
        settings.training.threads = 1
        let prod2vec = try ModelRegistry.requireTrainable("prod2vec")
        let sequenceModel = try Trainer(config: prod2vec.configuration(settings)).train(corpus, inputs: ModelInputs())
        #expect(sequenceModel.config.model == "prod2vec")
        #expect(sequenceModel.itemCount == 80)

        // Save and load
        try ModelFile.write(model, to: modelPath)
        let loaded = try ModelFile.read(from: modelPath)
        #expect(loaded.isIdentical(to: model))
        try Word2VecFormat.write(loaded, to: folder.file("sessions.bin"), format: .binary)
        let imported = try Word2VecFormat.read(from: folder.file("sessions.bin"))
        #expect(imported.vocabulary.tokens == loaded.vocabulary.tokens)
        #expect(imported.output == nil)

        // Query
        let neighbors = NearestNeighbors(model: loaded)
        let similar = try neighbors.similar(to: ["item_42"], top: 5)
        #expect(similar.count == 5)
        #expect(similar.allSatisfy { $0.token.hasPrefix("item_4") })  // the same group
        #expect(throws: QueryError.self) { try neighbors.similar(to: ["item_420"], top: 5) }
        let recommender = try EmbeddingRecommender(
            model: loaded,
            scoring: .cosine,
            weighting: HistoryWeighting(lastN: 5, decay: 0.2)
        )
        let recommended = recommender.recommend(history: ["item_42", "item_47"], top: 10, excludeHistory: true)
        #expect(recommended.count == 10)
        #expect(!recommended.contains { $0.token == "item_42" || $0.token == "item_47" })

        // Search large catalogues approximately
        let unit = loaded.input.normalizedRows()
        let index = HNSWIndex.build(vectors: unit, count: loaded.itemCount, parameters: HNSWParameters(m: 16))
        let fingerprint = try ModelFingerprint(modelPath: modelPath, model: loaded)
        try IndexFile.write(index, fingerprint: fingerprint, to: IndexFile.path(forModel: modelPath))
        var warnings: [String] = []
        let search = ItemSearch(model: loaded, modelPath: modelPath) { warnings.append($0) }
        #expect(search.isApproximate)
        #expect(warnings.isEmpty)
        let fast = NearestNeighbors(model: loaded, search: search)
        #expect(try fast.similar(to: ["item_42"], top: 5).map(\.token) == similar.map(\.token))

        // Evaluate
        let data = try Interactions.read(path: eventsPath, format: .events)
        var evaluation = EvaluationSettings(protocolName: .leaveLastOut)
        evaluation.cutoffs = [10, 20]
        settings.training.epochs = 5
        let models = try ["popularity", "item2vec"].map { try ModelRegistry.recommender($0, settings: settings) }
        let report = try EvaluationRun.run(data: data, settings: evaluation, models: models)
        #expect(report.results.map(\.model) == ["popularity", "item2vec"])
        let hr = report.results.map { $0.metrics["hr@10"] ?? 0 }
        #expect(hr[1] > hr[0])  // the groups make the embedding beat popularity
        #expect(report.results.allSatisfy { $0.metrics["ndcg@10"] != nil })
    }
}

/// A thread-safe counter for the training callback.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func increment() { lock.withLock { count += 1 } }
}
