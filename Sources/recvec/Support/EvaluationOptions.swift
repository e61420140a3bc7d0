// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

extension EvaluationProtocol: ExpressibleByArgument {}
extension RecommendationScoring: ExpressibleByArgument {}
extension SessionDecay: ExpressibleByArgument {}
extension ContentKNNConfig.TermFrequency: ExpressibleByArgument {}

/// How `evaluate` and `tune` find the top items of the embedding models.
enum EvaluationSearch: String, ExpressibleByArgument, CaseIterable {
    case exact, hnsw
}

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

    @OptionGroup var disk: OnDiskOption

    @Option(help: "leave-last-out, session, basket or next-event.")
    var `protocol`: EvaluationProtocol

    @Option(
        help: ArgumentHelp(
            "Comma-separated models: \(ModelHelp.allNames) (`recvec models` describes them).",
            valueName: "names"
        )
    )
    var models: String = ModelRegistry.defaultComparison.joined(separator: ",")

    @Option(help: "Comma-separated cut-offs k.")
    var top: String = "1,5,10,20"

    @Option(help: "leave-last-out: users with fewer events are skipped.") var minEvents: Int = 3
    @Option(help: "session: the test period in days.") var testDays: Double = 1
    @Option(help: "basket: the fraction of baskets held out.") var testFraction: Double = 0.2
    @Option(help: "next-event: how many random sequences are tested.") var testSequences: Int = 1000
    @Option(help: "next-event: repetitions (mean and 95% confidence interval).") var repeats: Int = 1
    @Option(
        help:
            "Score a seeded random sample of about N test cases (session: whole test sessions) instead of all; training is the same. (default: all)"
    )
    var testCases: Int?
    @Option(
        help:
            "Item cold start: remove every event of this random fraction of items from training (they stay test targets)."
    )
    var hideItems: Double = 0
    @Option(
        help:
            "Also report metrics over test cases whose target occurs at most N times in training (0 with --hide-items: the hidden items)."
    )
    var coldStart: Int?

    @Option(
        help: ArgumentHelp(
            "Bootstrap resamples of the test cases (test sessions under the session protocol) for the 95% intervals and the paired comparisons (seeded by --seed; 0: none, the sign tests remain).",
            valueName: "n"
        )
    )
    var bootstrap: Int = 1000

    @Option(help: "Exclude the history's items from recommendations: true or false (default: per protocol).")
    var excludeHistory: Bool?

    @Option(help: "Embedding models: drop items seen fewer times in training.")
    var minCount: Int = 5

    @Option(help: "Embedding models: cosine (input·input) or dual (input·output).")
    var scoring: RecommendationScoring = .cosine

    @Option(
        help:
            "Embedding models with cosine scoring (item2vec, skipgram, cbow, prod2vec, bagged-prod2vec, vectors:): exact scores every item; hnsw builds an HNSW index after training and finds each case's top items through it (approximate, for large catalogs; the others score exactly)."
    )
    var search: EvaluationSearch = .exact
    @Option(name: .customLong("hnsw-m"), help: "--search hnsw: links per node (the bottom layer keeps 2·M).")
    var hnswM: Int = 16
    @Option(help: "--search hnsw: candidate list size while building.") var efConstruction: Int = 200
    @Option(help: "--search hnsw: candidate list size of queries (larger: better recall, slower).")
    var efSearch: Int = 100

    @Option(help: "Histories: use only the last N items (0 = all).") var lastN: Int = 0
    @Option(help: "Histories: an item a steps old weighs (1 - decay)^a.") var decay: Double = 0
    @Option(help: "cooccurrence and mix: the window (0 = whole sequence).") var cooccurrenceWindow: Int = 0
    @Option(help: "Seed of the embedding models' training only (default: --seed, which also seeds the split).")
    var trainingSeed: UInt64?
    @Option(help: "mix: the embedding weight (default: tuned on validation).") var mixAlpha: Double?
    @Option(help: "ease: λ, the L2 regularization of the item-item weights.") var easeLambda: Double = 500
    @Option(help: "ease: refuse catalogs larger than this (a dense n × n matrix; 8·n² bytes twice).")
    var easeMaxItems: Int = 10_000
    @Option(
        help:
            "contentknn: a token's term frequency in an item: binary (1), count, or log (1 + ln count); its tokens are content2vec's (--metadata-fields, --content-text-fields, --content-min-count)."
    )
    var contentknnTf: ContentKNNConfig.TermFrequency = .binary
    @Option(help: "contentknn: weigh tokens by inverse document frequency ln(N / df): true or false.")
    var contentknnIdf: Bool = true
    @Option(help: "vsknn: neighbour sessions k.") var vsknnNeighbors: Int = 100
    @Option(help: "vsknn: the most recent sessions sharing an item with the history searched.")
    var vsknnSample: Int = 1000
    @Option(help: "vsknn: position weights of the history: same, div, linear, log or quadratic.")
    var vsknnWeighting: SessionDecay = .div
    @Option(help: "vsknn: neighbour weights by how far back the shared click is: same, div, linear, log or quadratic.")
    var vsknnScoreWeighting: SessionDecay = .div
    @Option(help: "vsknn: IDF weight w of scored items, sim·(1 + w·idf); 0 = off.") var vsknnIdf: Double = 0
    @Option(help: "stan: neighbour sessions k.") var stanNeighbors: Int = 100
    @Option(help: "stan: the most recent sessions sharing an item with the history searched.")
    var stanSample: Int = 5000
    @Option(help: "stan: λ1, decay of a history click with its distance from the last click.")
    var stanLambdaPosition: Double = 1.02
    @Option(help: "stan: λ2 in days, decay of a neighbour session with its age (off when the data has no times).")
    var stanLambdaRecency: Double = 5
    @Option(help: "stan: λ3, decay of a neighbour's item with its distance from the shared item.")
    var stanLambdaNeighbor: Double = 2.05

    var cutoffs: [Int] {
        get throws {
            let parts = top.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 1 }) else {
                throw ConfigurationError(
                    setting: "top",
                    "'\(top)' is not a list of positive integers such as 1,5,10,20"
                )
            }
            return Array(Set(parts.map { $0! })).sorted()
        }
    }

    var modelNames: [String] {
        get throws {
            let names = models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            if names.isEmpty { throw ConfigurationError(setting: "models", "no model given") }
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
        s.protocolOptions.maxTestCases = testCases
        s.protocolOptions.hideItems = hideItems
        s.coldStart = coldStart
        s.bootstrap = bootstrap
        s.protocolOptions.seed = seed
        s.dataset = input ?? [train, test].compactMap { $0 }.joined(separator: " + ")
        try s.validate()
        return s
    }

    /// The settings every model of `--models` is built from: the training options' and these,
    /// validated (a pure function of the options).
    func modelSettings(training options: TrainingOptions) throws -> ModelSettings {
        var s = try options.settings()
        if let trainingSeed { s.training.seed = trainingSeed }
        s.minCount = minCount
        s.scoring = scoring
        s.weighting = HistoryWeighting(lastN: lastN, decay: decay)
        if search == .hnsw {
            if !(2...256).contains(hnswM) { throw ConfigurationError(setting: "hnsw_m", "must be in 2...256") }
            s.approximateSearch = HNSWParameters(
                m: hnswM,
                efConstruction: efConstruction,
                efSearch: efSearch,
                seed: s.training.seed
            )
        }
        s.cooccurrenceWindow = cooccurrenceWindow
        s.mixAlpha = mixAlpha
        s.ease.lambda = easeLambda
        s.ease.maxItems = easeMaxItems
        s.contentKNN.termFrequency = contentknnTf
        s.contentKNN.idf = contentknnIdf
        s.vsknn.neighbors = vsknnNeighbors
        s.vsknn.sample = vsknnSample
        s.vsknn.weighting = vsknnWeighting
        s.vsknn.scoreWeighting = vsknnScoreWeighting
        s.vsknn.idfWeight = vsknnIdf
        s.stan.neighbors = stanNeighbors
        s.stan.sample = stanSample
        s.stan.lambdaPosition = stanLambdaPosition
        s.stan.lambdaRecency = stanLambdaRecency
        s.stan.lambdaNeighbor = stanLambdaNeighbor
        try s.validate()
        return s
    }

    /// ``modelSettings(training:)`` with the metadata file read.
    func loadedModelSettings(training options: TrainingOptions) throws -> ModelSettings {
        var s = try modelSettings(training: options)
        s.metadata = try options.metadata.read()
        return s
    }

    /// Checks every option and model name at parse time.
    func validate(training options: TrainingOptions) throws {
        try FlagNames.mapping {
            _ = try settings(seed: options.seed)
            _ = try modelSettings(training: options)
            for name in try modelNames { _ = try ModelRegistry.parse(name) }
        }
    }

    /// The data, and the given test file in the same item index.
    func load() throws -> (data: Interactions, test: Interactions?) {
        let events = try columns.eventOptions()
        let ignored = (format != .auto ? ["--format"] : []) + columns.nonDefaultFlags
        for path in [input, train, test].compactMap({ $0 })
        where !ignored.isEmpty && PreparedCorpus.isPreparedCorpus(path) {
            if let note = InputOptions.preparedNote(path: path, ignored: ignored) { printError(note) }
        }
        switch (input, train, test) {
        case (let input?, nil, nil):
            return (try Interactions.read(path: input, format: format, events: events, spill: disk.onDisk), nil)
        case (nil, let train?, let test?):
            var data = try Interactions.read(path: train, format: format, events: events, spill: disk.onDisk)
            let testData = try data.absorb(
                try Interactions.read(path: test, format: format, events: events, spill: disk.onDisk)
            )
            return (data, testData)
        default:
            throw ConfigurationError(setting: "input", "give either --input, or --train and --test")
        }
    }
}
