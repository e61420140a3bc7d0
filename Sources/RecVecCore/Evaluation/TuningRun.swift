// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// A whole tuning session (`recvec tune`): each model searched on a validation split carved from
/// the training part (``Tuner``), then its defaults and its best configuration scored on the test
/// split, the overall winner picked by validation score, and — when asked — the best trainable
/// configuration retrained on all the data.
public struct TuningRun: Sendable {
    public var settings: EvaluationSettings
    /// The settings every model starts from (its defaults trial).
    public var base: ModelSettings
    /// The models to search, as `--models` names them.
    public var models: [String]
    /// Wall-clock budget for the whole run in seconds, split evenly between the models (`nil`: none).
    public var budgetSeconds: Double?
    /// Maximum trials per model (`nil`: none). At least one of the two must be set.
    public var maxTrials: Int?
    public var seed: UInt64 = 1

    public init(settings: EvaluationSettings, base: ModelSettings, models: [String]) {
        self.settings = settings
        self.base = base
        self.models = models
    }

    /// A configuration's validation and test scores.
    public struct Scores: Sendable, Encodable {
        public var model: String
        public var config: [String: String]
        public var validation: [String: Double]
        public var test: [String: Double]
    }

    /// A model's defaults and best configuration.
    public struct ModelOutcome: Sendable, Encodable {
        public var best: Scores
        public var defaults: Scores
    }

    /// What a run found. Encodes as `tune --json` writes it.
    public struct Result: Sendable, Encodable {
        /// The model whose best configuration scored highest on validation.
        public var best: Scores
        public var defaults: Scores
        public var models: [ModelOutcome]
        public var trials: [TuningTrial]
        /// The test table: each model's defaults and tuned rows.
        public var report: EvaluationReport
        /// The validation metric the run maximized (hr at the largest cut-off).
        public var metric: String
        /// The best configuration among the models that train into a model file.
        public var bestTrainable: Candidate?
        /// The head-to-head on the test cases: RecVec's best learned model (the 2vec family and the
        /// sequence models, tuned rows only) against the best tuned baseline (counting baselines and
        /// matrix factorization), each side's best picked by its **validation** score so the test split
        /// chooses nothing; `nil` unless both sides were searched.
        public var verdict: PairedComparison?

        enum CodingKeys: String, CodingKey { case best, defaults, models, trials, report, verdict }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(best, forKey: .best)
            try c.encode(defaults, forKey: .defaults)
            try c.encode(models, forKey: .models)
            try c.encode(trials, forKey: .trials)
            try c.encode(report, forKey: .report)
            try c.encodeIfPresent(verdict, forKey: .verdict)
        }

        /// The closing lines: the winner, its gain over its defaults, its configuration.
        public var summary: String {
            let tunedTest = best.test[metric] ?? 0
            let defaultTest = defaults.test[metric] ?? 0
            let gain = defaultTest > 0 ? String(format: " (%+.0f%%)", (tunedTest / defaultTest - 1) * 100) : ""
            return "best: \(best.model) (validation \(metric) \(String(format: "%.4f", best.validation[metric] ?? 0)), "
                + "test \(metric) \(String(format: "%.4f", tunedTest))); defaults: test \(metric) \(String(format: "%.4f", defaultTest)); "
                + "gain \(String(format: "%+.4f", tunedTest - defaultTest))\(gain)\n"
                + "config: "
                + best.config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                + (verdict.map {
                    "\n" + Self.verdictLine($0, unit: report.bootstrapGroups == nil ? "cases" : "sessions")
                }
                    ?? "")
        }

        /// The head-to-head in one line: who is ahead, by how much, and whether the sign test tells them apart.
        static func verdictLine(_ v: PairedComparison, unit: String) -> String {
            let interval = v.interval.map { String(format: " [%+.4f, %+.4f]", $0.lower, $0.upper) } ?? ""
            let p = EvaluationReport.formatP(v.signTestP)
            let call =
                !v.isSignificant
                ? "not distinguishable (sign test p \(p))"
                : (v.difference > 0 ? "\(v.model) better" : "\(v.baseline) better") + " (sign test p \(p))"
            return "verdict: \(v.model) vs best tuned baseline \(v.baseline): Δ \(v.metric) "
                + String(format: "%+.4f", v.difference) + interval
                + ", ahead on \(v.wins) \(unit), behind on \(v.losses): \(call)"
        }
    }

    /// Checks the models and the limits before any work.
    public func validate() throws {
        try settings.validate()
        try base.validate()
        if models.isEmpty { throw ConfigurationError(setting: "models", "no model given") }
        for m in models { try Tuner.requireTunable(m) }
        if let maxTrials, maxTrials < 1 { throw ConfigurationError(setting: "trials", "must be at least 1") }
        if let budgetSeconds, !(budgetSeconds > 0) { throw ConfigurationError(setting: "budget", "must be positive") }
        if budgetSeconds == nil && maxTrials == nil {
            throw ConfigurationError(setting: "budget", "give a time budget, a trial count or both")
        }
    }

    /// Runs the search on `data` (or on the given `test` file, already in `data`'s item index).
    public func run(data: Interactions, test: Interactions? = nil, log: ((String) -> Void)? = nil) throws -> Result {
        try validate()
        // As in `evaluate`, judged on the models built from the base settings (the search spaces never
        // turn time-aware training on); a model that cannot be built here keeps the times.
        let built = models.map { try? ModelRegistry.recommender($0, settings: base) }
        let readsTimes = built.contains { $0 == nil } || EvaluationRun.readTimes(built.compactMap { $0 })
        let data = EvaluationRun.forSplit(data, protocol: settings.protocolName, modelsReadTimes: readsTimes)
        let (split, items) = try Splitter.split(
            data,
            test: test,
            protocol: settings.protocolName,
            options: settings.protocolOptions
        )
        let validation = try Splitter.validation(
            of: split,
            items: items,
            protocol: settings.protocolName,
            options: settings.protocolOptions
        )
        log?(
            "test split: \(split.cases.count) cases; validation split (from training only): \(validation.cases.count) cases"
        )

        let started = Date()
        let metric = "hr@\(settings.cutoffs.max()!)"
        var outcomes: [ModelOutcome] = []
        var allTrials: [TuningTrial] = []
        var results: [ModelResult] = []
        var perCase: [PerCaseMetrics] = []
        let trainData = TrainingData(sequences: split.train, items: items, times: split.trainTimes)
        var bestTrainable: (candidate: Candidate, score: Double)? = nil
        for (i, name) in models.enumerated() {
            var tuner = Tuner(settings: settings, base: base)
            tuner.seed = seed
            tuner.maxTrials = maxTrials
            if let budgetSeconds {
                // Each model gets an equal share of what is left.
                let elapsed = Date().timeIntervalSince(started)
                tuner.budgetSeconds = elapsed + (budgetSeconds - elapsed) / Double(models.count - i)
            }
            let outcome = try tuner.search(
                name,
                validation: validation,
                items: items,
                startedAt: started,
                firstTrial: allTrials.count,
                log: log
            )
            allTrials += outcome.trials
            // The test rows (defaults, tuned), each fitted and ranked by one process: across
            // processes they run side by side and are gathered.
            let rows: [(label: String, candidate: Candidate, validation: [String: Double])] = [
                ("defaults", Candidate(model: name, options: base), outcome.defaultsValidation),
                ("tuned", outcome.best, outcome.bestValidation),
            ]
            let group = settings.group ?? SingleProcess()
            var mine: [ModelRow] = []
            for k in stride(from: group.rank, to: rows.count, by: group.size) {
                mine.append(
                    try EvaluationRun.fitAndScore(
                        ModelRegistry.recommender(name, settings: rows[k].candidate.options),
                        index: k,
                        split: split,
                        items: items,
                        trainData: trainData,
                        settings: settings,
                        coldStart: nil,
                        across: SingleProcess(),
                        log: nil
                    )
                )
            }
            let gathered = try group.allGather(encoding: mine).sorted { $0.index < $1.index }
            var scored: [Scores] = []
            for (row, (label, _, v)) in zip(gathered, rows) {
                let t = row.metrics
                perCase.append(row.perCase.metrics)
                let rowName = "\(name)\(label == "tuned" ? "-tuned" : "")"
                results.append(
                    ModelResult(
                        model: rowName,
                        config: row.config,
                        metrics: t,
                        trainSeconds: row.seconds + row.scoreSeconds
                    )
                )
                scored.append(Scores(model: rowName, config: row.config, validation: v, test: t))
                log?(
                    "\(rowName): validation \(metric) \(String(format: "%.4f", v[metric] ?? 0)), test \(metric) \(String(format: "%.4f", t[metric] ?? 0))"
                )
            }
            outcomes.append(ModelOutcome(best: scored[1], defaults: scored[0]))
            let score = outcome.bestValidation[metric] ?? 0
            if (ModelRegistry.definition(named: name) as? any TrainableModelDefinition.Type) != nil,
                score > (bestTrainable?.score ?? -1)
            {
                bestTrainable = (outcome.best, score)
            }
        }
        let overall = outcomes.max { ($0.best.validation[metric] ?? 0) < ($1.best.validation[metric] ?? 0) }!
        // The same intervals and paired tests as `evaluate`, on the rows of the test table.
        let stats = EvaluationRun.statistics(for: &results, perCase: perCase, settings: settings, log: log)
        var report = EvaluationReport(
            protocolName: settings.protocolName.rawValue,
            dataset: settings.dataset,
            cutoffs: settings.cutoffs,
            testCases: split.cases.count,
            skipped: split.skipped,
            results: results
        )
        report.bootstrapReplicates = settings.bootstrap > 0 ? settings.bootstrap : nil
        report.bootstrapGroups = perCase.first?.groups == nil ? nil : perCase.first?.groupIndices.groupCount
        report.comparisons = stats.comparisons.isEmpty ? nil : stats.comparisons
        let verdict = Self.headToHead(
            outcomes,
            models: models,
            metric: metric,
            names: results.map(\.model),
            perCase: perCase,
            replicates: stats.replicates
        )
        return Result(
            best: overall.best,
            defaults: overall.defaults,
            models: outcomes,
            trials: allTrials,
            report: report,
            metric: metric,
            bestTrainable: bestTrainable?.candidate,
            verdict: verdict
        )
    }

    /// Whether `model` (a registry name) is a baseline for the verdict: a counting baseline or a
    /// matrix factorization (the brief's "baseline the 2vec models must beat").
    public static func isBaseline(_ model: String) -> Bool {
        guard let family = ModelRegistry.definition(named: model)?.family else { return false }
        return family == .baseline || family == .factorization
    }

    /// The best learned model against the best baseline, each chosen by validation score among the
    /// tuned rows (`outcomes[i]`, the search of `models[i]`, is rows `2i` (defaults) and `2i + 1`
    /// (tuned) of `perCase`).
    static func headToHead(
        _ outcomes: [ModelOutcome],
        models: [String],
        metric: String,
        names: [String],
        perCase: [PerCaseMetrics],
        replicates: Bootstrap.Replicates?
    ) -> PairedComparison? {
        func best(_ baseline: Bool) -> Int? {
            outcomes.indices.filter { isBaseline(models[$0]) == baseline }
                .max { (outcomes[$0].best.validation[metric] ?? 0) < (outcomes[$1].best.validation[metric] ?? 0) }
        }
        guard let learned = best(false), let baseline = best(true),
            let column = perCase.first?.column(named: metric)
        else { return nil }
        return PairedComparison.compare(
            2 * learned + 1,
            with: 2 * baseline + 1,
            names: names,
            perCase: perCase,
            column: column,
            replicates: replicates
        )
    }

    /// Trains `candidate` (a trainable model's configuration) on all of `data`, for a model file.
    public static func train(_ candidate: Candidate, on data: Interactions) throws -> EmbeddingModel {
        guard let definition = ModelRegistry.definition(named: candidate.model) as? any TrainableModelDefinition.Type
        else {
            throw ConfigurationError(setting: "output", "\(candidate.model) does not train into a model file")
        }
        let config = definition.configuration(candidate.options)
        let all = TrainingData(sequences: data.sequences, items: data.items, times: data.times)
        let corpus = try DataCorpus(all, minCount: candidate.options.minCount, withTimes: config.needsTimes).corpus
        var inputs = ModelInputs()
        inputs.metadata = candidate.options.metadata
        inputs.metadataFields = candidate.options.metadataFields
        return try Trainer(config: config).train(corpus, inputs: inputs)
    }
}
