// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search models' hyperparameters on a validation split (random search + successive halving), then report test scores.")

    @OptionGroup var evaluation: EvaluationOptions
    @OptionGroup var training: TrainingOptions

    @Option(help: "Wall-clock budget for the whole search, e.g. 90s, 10m, 1h (split evenly between the models).")
    var budget: String?

    @Option(help: "Maximum trials per model.")
    var trials: Int?

    @Option(help: "Write best and default configurations with validation and test metrics, and every trial, as JSON.")
    var json: String?

    @Option(help: "Write every trial as CSV.")
    var trialsCsv: String?

    @Option(help: "Write a self-contained HTML report (test table, charts, trials over time).")
    var report: String?

    @Option(help: "Train the best embedding configuration on all the input data and save the model here.")
    var output: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    struct Scores: Encodable {
        var model: String
        var config: [String: String]
        var validation: [String: Double]
        var test: [String: Double]
    }

    struct Output: Encodable {
        var best: Scores
        var defaults: Scores
        var models: [ModelOutcome]
        var trials: [TuningTrial]
    }

    struct ModelOutcome: Encodable {
        var best: Scores
        var defaults: Scores
    }

    func run() throws {
        let settings = try evaluation.settings(seed: training.seed)
        let base = try evaluation.catalogOptions(training: training)
        let names = try evaluation.modelNames
        for n in names where !Tuner.tunable.contains(n) {
            throw ConfigurationError(option: "--models", "'\(n)' has nothing to tune; tunable: \(Tuner.tunable.joined(separator: ", "))")
        }
        var seconds: Double? = nil
        if let budget {
            guard let s = TimeParsing.duration(budget), s > 0 else {
                throw ConfigurationError(option: "--budget", "'\(budget)' is not a duration such as 90s, 10m or 1h")
            }
            seconds = s
        }
        if let trials, trials < 1 { throw ConfigurationError(option: "--trials", "must be at least 1") }
        if seconds == nil && trials == nil { throw ConfigurationError(option: "--budget", "give --budget, --trials or both") }
        for path in [json, trialsCsv, report, output].compactMap({ $0 }) { try checkWritable(path, option: "--json/--report/--output") }
        let log: ((String) -> Void)? = quiet ? nil : { printError($0) }

        let (data, test) = try evaluation.load()
        let (split, items) = try Splitter.split(
            data, test: test, protocol: settings.protocolName, options: settings.protocolOptions)
        let validation = try Splitter.validation(of: split, items: items, protocol: settings.protocolName, options: settings.protocolOptions)
        log?("test split: \(split.cases.count) cases; validation split (from training only): \(validation.cases.count) cases")

        let started = Date()
        var outcomes: [ModelOutcome] = []
        var allTrials: [TuningTrial] = []
        var results: [ModelResult] = []
        let trainData = TrainingData(sequences: split.train, items: items, times: split.trainTimes)
        let evaluator = settings.evaluator()
        var bestCandidate: (candidate: Candidate, score: Double)? = nil
        for (i, name) in names.enumerated() {
            var tuner = Tuner(settings: settings, base: base)
            tuner.seed = training.seed
            tuner.maxTrials = trials
            if let seconds {
                // Each model gets an equal share of what is left.
                tuner.budgetSeconds = Date().timeIntervalSince(started) + (seconds - Date().timeIntervalSince(started)) / Double(names.count - i)
            }
            let outcome = try tuner.search(name, validation: validation, items: items, startedAt: started, firstTrial: allTrials.count, log: log)
            allTrials += outcome.trials
            var scored: [Scores] = []
            for (label, candidate, v) in [("defaults", Candidate(model: name, options: base), outcome.defaultsValidation),
                                          ("tuned", outcome.best, outcome.bestValidation)] {
                let start = Date()
                var model = try EvaluationRun.resolvingMixWeight(
                    ModelCatalog.make(name, options: candidate.options), split: split, items: items, settings: settings)
                try model.fit(trainData)
                let t = evaluator.evaluate(model, cases: split.cases, data: trainData)
                let row = "\(name)\(label == "tuned" ? "-tuned" : "")"
                results.append(ModelResult(model: row, config: model.config, metrics: t, trainSeconds: Date().timeIntervalSince(start)))
                scored.append(Scores(model: row, config: model.config, validation: v, test: t))
                let k = settings.cutoffs.max()!
                log?("\(row): validation hr@\(k) \(String(format: "%.4f", v["hr@\(k)"] ?? 0)), test hr@\(k) \(String(format: "%.4f", t["hr@\(k)"] ?? 0))")
            }
            outcomes.append(ModelOutcome(best: scored[1], defaults: scored[0]))
            let score = outcome.bestValidation[metricKey(settings)] ?? 0
            if !["cooccurrence", "sknn"].contains(name), score > (bestCandidate?.score ?? -1) {
                bestCandidate = (outcome.best, score)
            }
        }
        let key = metricKey(settings)
        let overall = outcomes.max { ($0.best.validation[key] ?? 0) < ($1.best.validation[key] ?? 0) }!
        let report = EvaluationReport(
            protocolName: settings.protocolName.rawValue, dataset: settings.dataset, cutoffs: settings.cutoffs,
            testCases: split.cases.count, skipped: split.skipped, results: results)
        print(EvaluationTable.markdown(report))
        let tunedTest = overall.best.test[key] ?? 0, defaultTest = overall.defaults.test[key] ?? 0
        let gain = defaultTest > 0 ? String(format: " (%+.0f%%)", (tunedTest / defaultTest - 1) * 100) : ""
        print("\nbest: \(overall.best.model) (validation \(key) \(String(format: "%.4f", overall.best.validation[key] ?? 0)), "
            + "test \(key) \(String(format: "%.4f", tunedTest))); defaults: test \(key) \(String(format: "%.4f", defaultTest)); "
            + "gain \(String(format: "%+.4f", tunedTest - defaultTest))\(gain)")
        print("config: " + overall.best.config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        if let json { try writeJSON(Output(best: overall.best, defaults: overall.defaults, models: outcomes, trials: allTrials), to: json) }
        if let trialsCsv { try writeText(Self.csv(allTrials, metric: key), to: trialsCsv) }
        if let reportPath = self.report { try writeText(HTMLReport.render(report, trials: allTrials), to: reportPath) }
        if let output {
            guard let best = bestCandidate?.candidate else {
                throw ConfigurationError(option: "--output", "only embedding models (not cooccurrence or sknn) can be saved as a model file")
            }
            var config = best.options.training
            config.architecture = best.model == "cbow" ? .cbow : .skipGram
            config.model = ModelKind(rawValue: best.model)  // mix saves its embedding: item2vec
            let corpus = try Self.corpus(data, minCount: best.options.minCount, withTimes: config.needsTimes)
            var inputs = ModelInputs()
            inputs.metadata = best.options.metadata
            inputs.metadataFields = best.options.metadataFields
            let model = try Trainer(config: config).train(corpus, inputs: inputs)
            try ModelFile.write(model, to: output)
            log?("trained the best \(best.model) configuration on all \(data.eventCount) events; wrote \(output)")
        }
    }

    func metricKey(_ s: EvaluationSettings) -> String { "hr@\(s.cutoffs.max()!)" }

    static func csv(_ trials: [TuningTrial], metric: String) -> String {
        let keys = Array(Set(trials.flatMap { $0.config.keys })).sorted()
        var lines = [(["trial", "model", "budget", "elapsed_seconds", metric] + keys).joined(separator: ",")]
        for t in trials {
            let fields = [String(t.trial), t.model, String(t.budget), String(format: "%.2f", t.elapsedSeconds),
                          String(format: "%.6f", t.validation[metric] ?? 0)] + keys.map { t.config[$0] ?? "" }
            lines.append(fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// All sequences of the data as a training corpus (items by their own names).
    static func corpus(_ data: Interactions, minCount: Int, withTimes: Bool = false) throws -> Corpus {
        let lines = data.sequences.map { $0.map { data.items[Int($0)] } }
        return try Corpus.from(lines, times: withTimes ? data.times : nil, minCount: minCount)
    }
}
