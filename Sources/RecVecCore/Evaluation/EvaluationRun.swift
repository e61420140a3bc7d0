// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// Settings of one evaluation.
public struct EvaluationSettings: Sendable {
    public var protocolName: EvaluationProtocol
    public var protocolOptions = ProtocolOptions()
    public var cutoffs = [1, 5, 10, 20]
    /// `nil`: the protocol's default (see ``EvaluationProtocol/excludesHistoryByDefault``).
    public var excludeHistory: Bool? = nil
    /// A name for the data in reports.
    public var dataset = ""
    /// Also report the metrics over test cases whose target occurs at most this many times in
    /// training (the cold-start view of Vasile et al. 2016); `nil`: no such table.
    public var coldStart: Int? = nil
    /// Bootstrap replicates for the 95 % intervals and the paired comparisons (``Bootstrap``),
    /// seeded by ``ProtocolOptions/seed``; 0 turns the bootstrap off (the sign tests remain).
    /// Default 1000.
    public var bootstrap = 1000
    /// The processes the work is spread over (`nil`: this one alone). ``EvaluationRun`` gives each
    /// its own models when there are at least as many models as processes; otherwise every process
    /// fits each model itself (the same seed gives the same model with one training thread) and
    /// ranks its share of the cases. The figures are those of a single process. ``Tuner`` spreads
    /// its trials over them, and ``TuningRun`` its test rows.
    public var group: (any ProcessGroup)? = nil

    public init(protocolName: EvaluationProtocol) { self.protocolName = protocolName }

    public func validate() throws {
        try protocolOptions.validate()
        if cutoffs.isEmpty || cutoffs.contains(where: { $0 < 1 }) {
            throw ConfigurationError(setting: "top", "cut-offs must be positive integers, e.g. 1,5,10,20")
        }
        if let coldStart, coldStart < 0 { throw ConfigurationError(setting: "cold_start", "must be 0 or more") }
        if bootstrap < 0 { throw ConfigurationError(setting: "bootstrap", "must be 0 (off) or more") }
    }

    /// The evaluator these settings imply.
    public func evaluator() -> Evaluator {
        var e = Evaluator(cutoffs: cutoffs, excludeHistory: excludeHistory ?? protocolName.excludesHistoryByDefault)
        e.queryCountsAsHit = protocolName == .nextEvent
        return e
    }
}

/// Runs several models through one protocol on one split and collects one comparison table.
public enum EvaluationRun {
    /// Evaluates `models` on `data` (or on the given `test` file, already in `data`'s item index).
    /// `log` receives one line per step.
    public static func run(
        data: Interactions,
        test: Interactions? = nil,
        settings: EvaluationSettings,
        models: [any RecommenderModel],
        log: ((String) -> Void)? = nil
    ) throws -> EvaluationReport {
        try settings.validate()
        if models.isEmpty { throw ConfigurationError(setting: "models", "no model given") }
        let repeats = settings.protocolName == .nextEvent && test == nil ? settings.protocolOptions.repeats : 1
        let keepsTimes = readTimes(models)
        let data = forSplit(data, protocol: settings.protocolName, modelsReadTimes: keepsTimes)
        var perModel = [[[String: Double]]](repeating: [], count: models.count)
        var perModelCold = [[[String: Double]]](repeating: [], count: models.count)
        // Every repeat's cases, one after the other: the models see the same ones.
        let names = PerCaseMetrics.names(cutoffs: settings.cutoffs.sorted())
        var perCase = [PerCaseMetrics](repeating: PerCaseMetrics(names: names, values: []), count: models.count)
        var perCaseCold = perCase
        var coldCases = 0
        var seconds = [Double](repeating: 0, count: models.count)
        var cpuSeconds = [Double](repeating: 0, count: models.count)
        var scoreSeconds = [Double](repeating: 0, count: models.count)
        var fitted = models.map { (name: $0.name, config: $0.config) }
        var testCases = 0
        var hiddenCount = 0
        var skipped: [String: Int] = [:]
        for r in 0..<repeats {
            var (split, items) = try Splitter.split(
                data,
                test: test,
                protocol: settings.protocolName,
                options: settings.protocolOptions,
                repeatIndex: r
            )
            if !keepsTimes { split.trainTimes = nil }
            testCases = split.cases.count
            skipped = split.skipped
            hiddenCount = split.hidden.count
            let trainData = TrainingData(sequences: split.train, items: items, times: split.trainTimes)
            log?(
                "split\(repeats > 1 ? " \(r + 1)/\(repeats)" : ""): \(split.train.count) training sequences, \(split.cases.count) test cases"
            )
            /// A model's row of this repeat into the tables, and its log line.
            func take(_ row: ModelRow) {
                let m = row.index
                seconds[m] += row.seconds
                cpuSeconds[m] += row.cpuSeconds
                scoreSeconds[m] += row.scoreSeconds
                perModel[m].append(row.metrics)
                if let cold = row.cold { perModelCold[m].append(cold) }
                coldCases = row.coldCases
                perCase[m].append(row.perCase.metrics)
                perCaseCold[m].append(row.coldPerCase.metrics)
                fitted[m] = (row.name, row.config)
                let k = settings.cutoffs.last!
                log?(
                    "  \(row.name): hr@\(k) \(format(row.metrics["hr@\(k)"] ?? 0)), ndcg@\(k) \(format(row.metrics["ndcg@\(k)"] ?? 0))"
                        + " (scored in \(String(format: "%.1f", row.scoreSeconds)) s)"
                )
            }
            // Across at least as many models as processes, each process fits and ranks its own
            // models (model m on process m mod N) and the rows are gathered; with fewer models every
            // process fits each model and ranks its share of the cases.
            let group = settings.group ?? SingleProcess()
            let spread = group.isDistributed && models.count >= group.size
            var mine: [ModelRow] = []
            for (m, model) in models.enumerated() where !spread || m % group.size == group.rank {
                let row = try fitAndScore(
                    model,
                    index: m,
                    split: split,
                    items: items,
                    trainData: trainData,
                    settings: settings,
                    coldStart: settings.coldStart,
                    across: spread ? SingleProcess() : group,
                    log: log
                )
                if spread { mine.append(row) } else { take(row) }
            }
            if spread {
                try group.allGather(encoding: mine).sorted { $0.index < $1.index }.forEach(take)
            }
        }
        /// Each model's mean over the repeats (and the spread across them, when repeated).
        func modelResults(_ perRepeat: [[[String: Double]]]) -> [ModelResult] {
            fitted.enumerated().map { m, model in
                let (mean, half) = meanAndConfidence(perRepeat[m])
                var result = ModelResult(
                    model: model.name,
                    config: model.config,
                    metrics: mean,
                    trainSeconds: seconds[m] / Double(repeats),
                    confidence: repeats > 1 ? half : nil
                )
                result.trainCPUSeconds = cpuSeconds[m] / Double(repeats)
                result.scoreSeconds = scoreSeconds[m] / Double(repeats)
                return result
            }
        }
        var results = modelResults(perModel)
        let comparisons = statistics(for: &results, perCase: perCase, settings: settings, log: log).comparisons
        var report = EvaluationReport(
            protocolName: settings.protocolName.rawValue,
            dataset: settings.dataset,
            cutoffs: settings.cutoffs.sorted(),
            testCases: testCases,
            skipped: skipped,
            results: results
        )
        report.bootstrapReplicates = settings.bootstrap > 0 ? settings.bootstrap : nil
        report.bootstrapGroups = perCase.first?.groups == nil ? nil : perCase.first?.groupIndices.groupCount
        report.comparisons = comparisons.isEmpty ? nil : comparisons
        if let threshold = settings.coldStart {
            var coldResults = modelResults(perModelCold)
            let coldComparisons = statistics(for: &coldResults, perCase: perCaseCold, settings: settings).comparisons
            report.coldStart = ColdStartResults(maxTrainingCount: threshold, testCases: coldCases, results: coldResults)
            report.coldStart?.comparisons = coldComparisons.isEmpty ? nil : coldComparisons
            report.coldStart?.bootstrapGroups =
                perCaseCold.first?.groups == nil ? nil : perCaseCold.first?.groupIndices.groupCount
        }
        report.hiddenItems = settings.protocolOptions.hideItems > 0 ? hiddenCount : nil
        return report
    }

    /// Fits `model` on `trainData` (its mix weight tuned first, when unset) and ranks `split`'s cases
    /// across `group`: the model's row number `index`, with the seconds fitting and ranking took.
    static func fitAndScore(
        _ model: any RecommenderModel,
        index: Int,
        split: Split,
        items: [String],
        trainData: TrainingData,
        settings: EvaluationSettings,
        coldStart: Int?,
        across group: any ProcessGroup,
        log: ((String) -> Void)?
    ) throws -> ModelRow {
        let start = Date()
        let cpuStart = ProcessCPUTime.seconds
        var model = try resolvingMixWeight(model, split: split, items: items, settings: settings, log: log)
        try model.fit(trainData)
        let fitSeconds = Date().timeIntervalSince(start)
        let cpu = ProcessCPUTime.seconds - cpuStart
        let scoreStart = Date()
        let scores = try settings.evaluator().evaluate(
            model,
            cases: split.cases,
            data: trainData,
            coldStart: coldStart,
            across: group
        )
        return ModelRow(
            index: index,
            name: model.name,
            config: model.config,
            scores: scores,
            seconds: fitSeconds,
            cpuSeconds: cpu,
            scoreSeconds: Date().timeIntervalSince(scoreStart)
        )
    }

    /// Whether `models` need event times beyond the split's own cut: one that reads them
    /// (``RecommenderModel/usesTimes``), or a mix whose α is tuned on a validation split (which the
    /// session protocol cuts by time). Times cost 8 bytes an event in the data and again in a split.
    static func readTimes(_ models: [any RecommenderModel]) -> Bool {
        models.contains { $0.usesTimes || ($0 as? MixModel)?.alpha.isNaN == true }
    }

    /// `data` as a split under `p` needs it: without its times when the models do not read them
    /// and the protocol does not cut by them (`session` does).
    static func forSplit(_ data: Interactions, protocol p: EvaluationProtocol, modelsReadTimes: Bool) -> Interactions {
        var data = data
        if p != .session && !modelsReadTimes { data.times = nil }
        return data
    }

    /// `model`, ready to fit on `split.train`: a ``MixModel`` whose α is not set gets it tuned on the
    /// validation split carved from `split`; any other model is returned as it is.
    public static func resolvingMixWeight(
        _ model: any RecommenderModel,
        split: Split,
        items: [String],
        settings: EvaluationSettings,
        log: ((String) -> Void)? = nil
    ) throws -> any RecommenderModel {
        guard var mix = model as? MixModel, mix.alpha.isNaN else { return model }
        mix.alpha = try tuneMixAlpha(mix, split: split, items: items, settings: settings, log: log)
        return mix
    }

    /// The mix weight α in {0, 0.1, …, 1} with the best validation hr at the largest cut-off
    /// (ties: the smaller α); the validation split is carved from `split.train` by the same protocol.
    public static func tuneMixAlpha(
        _ mix: MixModel,
        split: Split,
        items: [String],
        settings: EvaluationSettings,
        log: ((String) -> Void)? = nil
    ) throws -> Double {
        let validation = try Splitter.validation(
            of: split,
            items: items,
            protocol: settings.protocolName,
            options: settings.protocolOptions
        )
        var fitting = mix
        let data = TrainingData(sequences: validation.train, items: items, times: validation.trainTimes)
        try fitting.fit(data)
        let model = fitting
        let alphas = (0...10).map { Double($0) / 10 }
        let evaluator = settings.evaluator()
        let popular = Evaluator.popularOrder(data.counts)
        let k = settings.cutoffs.max()!
        let cases = validation.cases
        let hitsPerChunk = evaluator.parallelChunks(cases.count) { range -> [Int] in
            var hits = [Int](repeating: 0, count: alphas.count)
            var scores = [Float](repeating: -.infinity, count: items.count)
            for c in range {
                let test = cases[c]
                let history = Array(test.history)
                let parts = model.componentScores(history: history, count: items.count)
                for (a, alpha) in alphas.enumerated() {
                    for i in scores.indices { scores[i] = -.infinity }
                    if let parts { MixModel.blend(parts.e, parts.c, alpha: Float(alpha), into: &scores) }
                    let ranked = evaluator.rank(
                        parts == nil ? nil : scores,
                        history: history,
                        popular: popular,
                        depth: k
                    )
                    if ranked.contains(where: {
                        $0 == test.target || (evaluator.queryCountsAsHit && test.history.last == test.target)
                    }) {
                        hits[a] += 1
                    }
                }
            }
            return hits
        }
        var total = [Int](repeating: 0, count: alphas.count)
        for h in hitsPerChunk { for a in h.indices { total[a] += h[a] } }
        let best = total.indices.max { total[$0] != total[$1] ? total[$0] < total[$1] : $0 > $1 }!
        log?(
            "  mix: validation hr@\(k) by alpha "
                + zip(alphas, total).map { "\($0.0):\(format(Double($0.1) / Double(max(1, cases.count))))" }.joined(
                    separator: " "
                ) + " → alpha \(alphas[best])"
        )
        return alphas[best]
    }

    /// Adds the bootstrap intervals (``EvaluationSettings/bootstrap`` replicates, seeded by the
    /// protocol's seed) to `results`, and returns every model against the best by hr at the largest
    /// cut-off (``PairedComparison``) and the bootstrap replicates (`nil` when off), for further
    /// paired comparisons; `perCase` holds the models' values on the same cases.
    static func statistics(
        for results: inout [ModelResult],
        perCase: [PerCaseMetrics],
        settings: EvaluationSettings,
        log: ((String) -> Void)? = nil
    ) -> (comparisons: [PairedComparison], replicates: Bootstrap.Replicates?) {
        guard let cases = perCase.first?.count, cases > 0 else { return ([], nil) }
        var replicates: Bootstrap.Replicates? = nil
        if settings.bootstrap > 0 {
            let start = Date()
            let reps = Bootstrap(replicates: settings.bootstrap, seed: settings.protocolOptions.seed).resample(perCase)
            for m in results.indices {
                var intervals: [String: MetricInterval] = [:]
                for (j, name) in perCase[m].names.enumerated() { intervals[name] = reps.interval(model: m, column: j) }
                results[m].intervals = intervals
            }
            replicates = reps
            log?(
                "bootstrap: \(settings.bootstrap) replicates of \(cases) cases in "
                    + String(format: "%.2f", Date().timeIntervalSince(start)) + " s"
            )
        }
        let comparisons = PairedComparison.againstBest(
            names: results.map(\.model),
            perCase: perCase,
            metric: "hr@\(settings.cutoffs.max()!)",
            replicates: replicates
        )
        return (comparisons, replicates)
    }

    /// Mean and 95% confidence half-width (normal approximation, 1.96·s/√n) of each metric.
    static func meanAndConfidence(_ runs: [[String: Double]]) -> ([String: Double], [String: Double]) {
        var mean: [String: Double] = [:]
        var half: [String: Double] = [:]
        guard let keys = runs.first?.keys else { return (mean, half) }
        let n = Double(runs.count)
        for key in keys {
            let xs = runs.map { $0[key] ?? 0 }
            let m = xs.reduce(0, +) / n
            mean[key] = m
            let variance = n > 1 ? xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
            half[key] = 1.96 * (variance / n).squareRoot()
        }
        return (mean, half)
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }
}

/// One model's figures on one split, as the process that fitted and ranked it reports them.
struct ModelRow: Codable {
    var index: Int
    var name: String
    var config: [String: String]
    var metrics: [String: Double]
    var cold: [String: Double]?
    var coldCases: Int
    var perCase: CaseValues
    var coldPerCase: CaseValues
    var seconds: Double
    var cpuSeconds: Double
    var scoreSeconds: Double

    init(
        index: Int,
        name: String,
        config: [String: String],
        scores: Evaluator.Scores,
        seconds: Double,
        cpuSeconds: Double,
        scoreSeconds: Double
    ) {
        self.index = index
        self.name = name
        self.config = config
        metrics = scores.all
        cold = scores.cold
        coldCases = scores.coldCases
        perCase = CaseValues(scores.perCase)
        coldPerCase = CaseValues(scores.coldPerCase)
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        self.scoreSeconds = scoreSeconds
    }
}

/// ``PerCaseMetrics`` as it travels between processes.
struct CaseValues: Codable {
    var names: [String]
    var values: [Float]
    var groups: [Int]?

    init(_ m: PerCaseMetrics) {
        names = m.names
        values = m.values
        groups = m.groups
    }

    var metrics: PerCaseMetrics { PerCaseMetrics(names: names, values: values, groups: groups) }
}
