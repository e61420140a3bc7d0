// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract:
            "Search models' hyperparameters on a validation split (random search + successive halving), then report test scores."
    )

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

    func validate() throws {
        if budget == nil && trials == nil {
            throw OptionError(flag: "--budget", message: "give --budget, --trials or both")
        }
        try evaluation.validate(training: training)
        try FlagNames.mapping { try tuningRun(base: evaluation.modelSettings(training: training)).validate() }
    }

    /// The run the options describe (the settings' metadata not yet read).
    func tuningRun(base: ModelSettings) throws -> TuningRun {
        var run = TuningRun(
            settings: try evaluation.settings(seed: training.seed),
            base: base,
            models: try evaluation.modelNames
        )
        run.seed = training.seed
        run.maxTrials = trials
        run.settings.group = Cluster.group
        if let budget {
            guard let s = TimeParsing.duration(budget), s > 0 else {
                throw ConfigurationError(setting: "budget", "'\(budget)' is not a duration such as 90s, 10m or 1h")
            }
            run.budgetSeconds = s
        }
        return run
    }

    func run() throws {
        let tuning = try tuningRun(base: evaluation.loadedModelSettings(training: training))
        for path in [json, trialsCsv, report, output].compactMap({ $0 }) where Cluster.group.isRoot {
            try checkWritable(path, option: "--json/--report/--output")
        }
        let log: ((String) -> Void)? = quiet ? nil : { printError($0) }
        if !quiet, let note = KernelNote.line(models: try evaluation.modelNames) { printError(note) }
        let (data, test) = try evaluation.load()
        let result = try tuning.run(data: data, test: test, log: log)
        // Across processes, each has the whole result; rank 0 reports it and writes the files.
        guard Cluster.group.isRoot else { return }
        print(result.report.markdown)
        print("\n" + result.summary)
        if let json { try writeJSON(result, to: json) }
        if let trialsCsv { try writeText(TuningTrial.csv(result.trials, metric: result.metric), to: trialsCsv) }
        if let reportPath = self.report {
            try writeText(HTMLReport.render(result.report, trials: result.trials), to: reportPath)
        }
        if let output {
            guard let best = result.bestTrainable else {
                throw ConfigurationError(
                    setting: "output",
                    "none of the tuned models trains into a model file (cooccurrence and sknn do not)"
                )
            }
            let model = try TuningRun.train(best, on: data)
            try ModelFile.write(model, to: output)
            log?("trained the best \(best.model) configuration on all \(data.eventCount) events; wrote \(output)")
        }
    }
}
