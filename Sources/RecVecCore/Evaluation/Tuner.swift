// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// One point of a model's search space.
public struct Candidate: Sendable {
    /// The model's name as given (a ``ModelRegistry`` name).
    public var model: String
    public var options: ModelSettings

    public init(model: String, options: ModelSettings) {
        self.model = model
        self.options = options
    }
}

/// Random search with successive halving (Jamieson & Talwalkar 2016; Li et al. 2017, Hyperband's
/// inner loop) over each model's hyperparameters, scored on the validation split only.
///
/// A bracket samples `width` configurations, trains each with a quarter of its epochs, keeps the best
/// third at half of its epochs, and the best third of those at all of them. Across the processes of
/// ``EvaluationSettings/group`` the trials of a rung are dealt out to the processes and run without
/// waiting on each other; with a trial cap, the search — its draws, trials, scores and winner — is
/// the one a single process makes (with a time budget, each process judges it by its own clock). Brackets repeat until
/// the wall-clock budget or the trial count runs out. Every trial is a complete training run, so the
/// best is chosen among all trials, each with the epochs it actually trained (more epochs are not
/// always better: a configuration may win at a quarter of its epochs and lose at all of them). Caselles-Dupré et al. (RecSys 2018) motivate
/// the space: negative-sampling exponent (negative values too), window and window mode,
/// sub-sampling, epochs, dimension, negatives and learning rate.
public struct Tuner: Sendable {
    public var settings: EvaluationSettings
    public var base: ModelSettings
    /// Wall-clock deadline, in seconds after the search's start (`nil`: none). A trial is not started
    /// when, judged by the slowest trial so far, it would end past it.
    public var budgetSeconds: Double?
    /// Maximum number of trials (`nil`: none). At least one of the two must be set.
    public var maxTrials: Int?
    /// Configurations per bracket.
    public var width = 9
    public var seed: UInt64 = 1

    public init(settings: EvaluationSettings, base: ModelSettings) {
        self.settings = settings
        self.base = base
    }

    /// A random configuration of `model` around `base`, from the model's ``TuningSpace``
    /// (`base` itself when it has nothing to tune).
    public func sample(_ model: String, rng: inout FastRandom) -> Candidate {
        let space = ModelRegistry.tuningSpace(of: model)
        return Candidate(model: model, options: space?.sample(base, &rng) ?? base)
    }

    /// The result of a search for one model.
    public struct Outcome: Sendable {
        public var model: String
        public var best: Candidate
        public var bestValidation: [String: Double]
        public var defaultsValidation: [String: Double]
        public var trials: [TuningTrial]
    }

    /// Searches `model` on `validation` (carved from the training part; the test split is never seen).
    /// `startedAt` anchors the elapsed times of the trials; `log` gets one line per trial.
    public func search(
        _ model: String,
        validation: Split,
        items: [String],
        startedAt: Date,
        firstTrial: Int,
        log: ((String) -> Void)? = nil
    ) throws -> Outcome {
        try Self.requireTunable(model)
        let metric = "hr@\(settings.cutoffs.max()!)"
        let data = TrainingData(sequences: validation.train, items: items, times: validation.trainTimes)
        let evaluator = settings.evaluator()
        let nameHash = model.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        var rng = FastRandom(seed: seed ^ nameHash)
        var trials: [TuningTrial] = []
        var trial = firstTrial
        let group = settings.group ?? SingleProcess()

        /// How long this model's search has left, as the trial lines say it: the time budget's
        /// remainder, or the trials left at the mean pace so far.
        let searchStart = Date()
        func remaining() -> String {
            let elapsed = Date().timeIntervalSince(searchStart)
            var left: Double? = nil
            if let budgetSeconds { left = max(0, budgetSeconds - Date().timeIntervalSince(startedAt)) }
            if let maxTrials {
                let done = trial + 1 - firstTrial
                let byTrials = elapsed / Double(done) * Double(max(0, maxTrials - done))
                left = min(left ?? byTrials, byTrials)
            }
            return left.map { String(format: " (elapsed %.0f s, about %.0f s left)", elapsed, $0) } ?? ""
        }

        /// `c` with `budget` of its passes (epochs, or the factorization's iterations; models that do
        /// not train ignore both). Every trial is a complete training run, so the configuration it
        /// actually trained is a candidate for the best in its own right.
        func scaled(_ c: Candidate, _ budget: Double) -> Candidate {
            var trained = c
            trained.options.training.epochs = max(1, Int((Double(c.options.training.epochs) * budget).rounded()))
            if let iterations = c.options.factorization.iterations {
                trained.options.factorization.iterations = max(1, Int((Double(iterations) * budget).rounded()))
            }
            return trained
        }

        /// Trains and validates `c` with `budget` as trial number `number`.
        func run(_ c: Candidate, budget: Double, number: Int) throws -> FinishedTrial {
            let trialStart = Date()
            var m = try EvaluationRun.resolvingMixWeight(
                ModelRegistry.recommender(c.model, settings: scaled(c, budget).options),
                split: validation,
                items: items,
                settings: settings
            )
            try m.fit(data)
            let v = evaluator.evaluate(m, cases: validation.cases, data: data)
            let record = TuningTrial(
                trial: number,
                model: c.model,
                config: m.config,
                budget: budget,
                validation: v,
                elapsedSeconds: Date().timeIntervalSince(startedAt)
            )
            log?(
                "trial \(number) \(c.model) budget \(budget): validation \(metric) \(String(format: "%.4f", v[metric] ?? 0))"
                    + remaining()
            )
            return FinishedTrial(
                trial: record,
                mixAlpha: (m as? MixModel)?.alpha,
                seconds: Date().timeIntervalSince(trialStart)
            )
        }

        /// Runs `batch` as the next trials, spread over the processes by budget (each trial, in
        /// order, to the process with the least budget dealt so far, the lowest rank on a tie: trial
        /// i to process i mod N when the budgets are equal), each process through its own in order,
        /// with no collective between them (a slow trial holds up no other process's). Every process
        /// learns every result, in batch order, numbered in that order. Before each trial a process
        /// judges the time budget by its own clock; the results are then fewer than `batch`.
        var secondsPerBudget = 0.0  // the slowest trial so far, per unit of budget
        func rung(
            _ batch: [(candidate: Candidate, budget: Double)]
        ) throws -> [(index: Int, trained: Candidate, validation: [String: Double])] {
            var mine: [IndexedTrial] = []
            for i in Self.deal(batch.map(\.budget), processes: group.size)[group.rank] {
                if let budgetSeconds,
                    Date().timeIntervalSince(startedAt) + secondsPerBudget * batch[i].budget >= budgetSeconds
                {
                    break
                }
                let finished = try run(batch[i].candidate, budget: batch[i].budget, number: trial + i)
                secondsPerBudget = max(secondsPerBudget, finished.seconds / batch[i].budget)
                mine.append(IndexedTrial(index: i, finished: finished))
            }
            let all = try group.allGather(encoding: mine).sorted { $0.index < $1.index }
            var results: [(index: Int, trained: Candidate, validation: [String: Double])] = []
            for (k, t) in all.enumerated() {
                let b = batch[t.index]
                var trained = scaled(b.candidate, b.budget)
                if let alpha = t.finished.mixAlpha { trained.options.mixAlpha = alpha }
                var record = t.finished.trial
                record.trial = trial + k
                trials.append(record)
                secondsPerBudget = max(secondsPerBudget, t.finished.seconds / b.budget)
                results.append((t.index, trained, record.validation))
            }
            trial += all.count
            return results
        }

        /// Whether a trial of `budget` would end past the deadline (judged by the slowest trial so
        /// far), as rank 0 sees it: every process gets the same answer.
        func outOfBudget(next budget: Double = 0) throws -> Bool {
            try group.decidedByRoot {
                if let budgetSeconds, Date().timeIntervalSince(startedAt) + secondsPerBudget * budget >= budgetSeconds {
                    return true
                }
                if let maxTrials, trial - firstTrial >= maxTrials { return true }
                return false
            }
        }

        // The defaults first, at full budget: the baseline every gain is measured against. They
        // run in the first rung of the first bracket, as its trial 0, so that across processes the
        // others start that rung's trials meanwhile (alone, the order is the same either way).
        let defaultsCandidate = Candidate(model: model, options: base)
        var defaults: (index: Int, trained: Candidate, validation: [String: Double])? = nil
        var best = (candidate: defaultsCandidate, validation: [String: Double]())
        let rungs = [0.25, 0.5, 1.0]
        bracketLoop: while try defaults == nil || !outOfBudget() {
            var alive = (0..<width).map { _ in (candidate: sample(model, rng: &rng), score: 0.0) }
            for (r, budget) in rungs.enumerated() {
                let first = defaults == nil
                var count = alive.count
                if let maxTrials { count = min(count, maxTrials - (trial - firstTrial) - (first ? 1 : 0)) }
                var batch = alive.prefix(max(0, count)).map { ($0.candidate, budget) }
                if first { batch.insert((defaultsCandidate, 1), at: 0) }
                var results = try rung(batch)
                if first {
                    guard let d = results.first, d.index == 0 else {
                        throw ConfigurationError(
                            setting: "budget",
                            "too short for even the defaults' trial of \(model)"
                        )
                    }
                    defaults = d
                    best = (d.trained, d.validation)
                    results = results.dropFirst().map { ($0.index - 1, $0.trained, $0.validation) }
                }
                for result in results {
                    alive[result.index].score = result.validation[metric] ?? 0
                    if alive[result.index].score > (best.validation[metric] ?? 0) {
                        best = (result.trained, result.validation)
                    }
                }
                // The trial cap or the time budget stopped the rung: the search ends here.
                if results.count < alive.count { break bracketLoop }
                if r + 1 < rungs.count {
                    alive.sort { $0.score > $1.score }
                    alive = Array(alive.prefix(max(1, alive.count / 3)))
                }
            }
        }
        return Outcome(
            model: model,
            best: best.candidate,
            bestValidation: best.validation,
            defaultsValidation: defaults!.validation,
            trials: trials
        )
    }
}

extension Tuner {
    /// Trials (by their `budgets`, in order) dealt to `processes`: each to the process with the
    /// least budget so far, the lowest on a tie. Every process computes the same deal.
    static func deal(_ budgets: [Double], processes: Int) -> [[Int]] {
        var load = [Double](repeating: 0, count: processes)
        var dealt = [[Int]](repeating: [], count: processes)
        for (i, b) in budgets.enumerated() {
            let p = load.indices.min { load[$0] < load[$1] }!
            dealt[p].append(i)
            load[p] += b
        }
        return dealt
    }
}

/// A trial of a rung, by its place in the rung, as the process that ran it reports it.
private struct IndexedTrial: Codable {
    var index: Int
    var finished: FinishedTrial
}

/// A trial as the process that ran it reports it to the others.
private struct FinishedTrial: Codable {
    var trial: TuningTrial
    /// The mix weight the trial tuned on its validation split, when the model is a mix.
    var mixAlpha: Double?
    var seconds: Double
}

extension Tuner {
    /// Throws unless `model` names a model with a tuning space.
    public static func requireTunable(_ model: String) throws {
        guard ModelRegistry.tuningSpace(of: model) != nil else {
            throw ConfigurationError(
                setting: "models",
                "'\(model)' has nothing to tune; tunable: "
                    + ModelRegistry.tunable.map { $0.name.rawValue }.joined(separator: ", ")
            )
        }
    }
}
