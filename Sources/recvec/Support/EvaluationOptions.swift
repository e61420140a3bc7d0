// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

extension EvaluationProtocol: ExpressibleByArgument {}
extension RecommendationScoring: ExpressibleByArgument {}

/// Data, protocol and model options shared by `evaluate` and `tune`.
struct EvaluationOptions: ParsableArguments {
    @Option(help: "The data to split (alternatively --train and --test).")
    var input: String?

    @Option(help: "A given training file (with --test).")
    var train: String?

    @Option(help: "A given test file (with --train).")
    var test: String?

    @Option(help: InteractionFormat.help)
    var format: InteractionFormat = .auto

    @OptionGroup var columns: EventColumnOptions

    @Option(help: "leave-last-out, session, basket or next-event.")
    var `protocol`: EvaluationProtocol

    @Option(help: "Comma-separated models: popularity, cooccurrence, sknn, markov, item2vec, cbow, mix.")
    var models: String = "popularity,cooccurrence,sknn,markov,item2vec"

    @Option(help: "Comma-separated cut-offs k.")
    var top: String = "1,5,10,20"

    @Option(help: "leave-last-out: users with fewer events are skipped.") var minEvents: Int = 3
    @Option(help: "session: the test period in days.") var testDays: Double = 1
    @Option(help: "basket: the fraction of baskets held out.") var testFraction: Double = 0.2
    @Option(help: "next-event: how many random sequences are tested.") var testSequences: Int = 1000
    @Option(help: "next-event: repetitions (mean and 95% confidence interval).") var repeats: Int = 1
    @Option(help: "Item cold start: remove every event of this random fraction of items from training (they stay test targets).")
    var hideItems: Double = 0
    @Option(help: "Also report metrics over test cases whose target occurs at most N times in training (0 with --hide-items: the hidden items).")
    var coldStart: Int?

    @Option(help: "Exclude the history's items from recommendations: true or false (default: per protocol).")
    var excludeHistory: Bool?

    @Option(help: "Embedding models: drop items seen fewer times in training.")
    var minCount: Int = 5

    @Option(help: "Embedding models: cosine (input·input) or dual (input·output).")
    var scoring: RecommendationScoring = .cosine

    @Option(help: "Histories: use only the last N items (0 = all).") var lastN: Int = 0
    @Option(help: "Histories: an item a steps old weighs (1 - decay)^a.") var decay: Double = 0
    @Option(help: "cooccurrence and mix: the window (0 = whole sequence).") var cooccurrenceWindow: Int = 0
    @Option(help: "Seed of the embedding models' training only (default: --seed, which also seeds the split).")
    var trainingSeed: UInt64?
    @Option(help: "mix: the embedding weight (default: tuned on validation).") var mixAlpha: Double?

    var cutoffs: [Int] {
        get throws {
            let parts = top.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 1 }) else {
                throw ConfigurationError(option: "--top", "'\(top)' is not a list of positive integers such as 1,5,10,20")
            }
            return Array(Set(parts.map { $0! })).sorted()
        }
    }

    var modelNames: [String] {
        get throws {
            let names = models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if names.isEmpty { throw ConfigurationError(option: "--models", "no model given") }
            return names
        }
    }

    /// `seed` (the training options' `--seed`) also seeds the split.
    func settings(seed: UInt64) throws -> EvaluationSettings {
        var s = EvaluationSettings(protocolName: `protocol`)
        s.cutoffs = try cutoffs
        s.excludeHistory = excludeHistory
        s.protocolOptions.minEvents = minEvents
        s.protocolOptions.testDays = testDays
        s.protocolOptions.testFraction = testFraction
        s.protocolOptions.testSequences = testSequences
        s.protocolOptions.repeats = repeats
        s.protocolOptions.hideItems = hideItems
        s.coldStart = coldStart
        s.protocolOptions.seed = seed
        s.dataset = input ?? [train, test].compactMap { $0 }.joined(separator: " + ")
        try s.validate()
        return s
    }

    func catalogOptions(training options: TrainingOptions) throws -> ModelCatalog.Options {
        var o = ModelCatalog.Options()
        o.training = try options.resolvedConfig()
        o.metadata = try options.metadata.read()
        o.metadataFields = options.metadata.fields
        if let trainingSeed { o.training.seed = trainingSeed }
        o.minCount = minCount
        o.scoring = scoring
        o.weighting = HistoryWeighting(lastN: lastN, decay: decay)
        try o.weighting.validate()
        try o.training.validate()
        if minCount < 1 { throw ConfigurationError(option: "--min-count", "must be at least 1") }
        if cooccurrenceWindow < 0 { throw ConfigurationError(option: "--cooccurrence-window", "must be 0 (whole sequence) or positive") }
        o.cooccurrenceWindow = cooccurrenceWindow
        if let mixAlpha, !(mixAlpha >= 0 && mixAlpha <= 1) { throw ConfigurationError(option: "--mix-alpha", "must be in [0, 1]") }
        o.mixAlpha = mixAlpha
        return o
    }

    /// The data, and the given test file in the same item index.
    func load() throws -> (data: Interactions, test: Interactions?) {
        let events = try columns.eventOptions()
        switch (input, train, test) {
        case let (input?, nil, nil):
            return (try Interactions.read(path: input, format: format, events: events), nil)
        case let (nil, train?, test?):
            var data = try Interactions.read(path: train, format: format, events: events)
            let testData = data.absorb(try Interactions.read(path: test, format: format, events: events))
            return (data, testData)
        default:
            throw ConfigurationError(option: "--input", "give either --input, or --train and --test")
        }
    }
}
