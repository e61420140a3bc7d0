// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract:
            "Compare models (baselines and embeddings) on one split by top-N metrics: hr, mrr, ndcg, coverage, popularity."
    )

    @OptionGroup var evaluation: EvaluationOptions
    @OptionGroup var training: TrainingOptions

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Write a self-contained HTML report (table and charts) to this file.")
    var report: String?

    @Option(
        help:
            "Also write the training split to DIR/train.txt (one sequence of item ids a line), to train other tools on exactly the same data."
    )
    var exportSplit: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        try evaluation.validate(training: training)
    }

    func run() throws {
        var settings = try evaluation.settings(seed: training.seed)
        settings.group = Cluster.group
        let root = Cluster.group.isRoot
        let options = try evaluation.loadedModelSettings(training: training)
        let models = try evaluation.modelNames.map { try ModelRegistry.recommender($0, settings: options) }
        if root, let json { try checkWritable(json, option: "--json") }
        if root, let report { try checkWritable(report, option: "--report") }
        let (data, test) = try evaluation.load()
        if !quiet {
            printError("data: \(data.eventCount) events, \(data.sequences.count) sequences, \(data.items.count) items")
            if let note = KernelNote.line(models: try evaluation.modelNames) { printError(note) }
        }
        if root, let exportSplit {
            let (split, items) = try Splitter.split(
                data,
                test: test,
                protocol: settings.protocolName,
                options: settings.protocolOptions
            )
            // Whitespace inside an item id becomes "_" (vectors:FILE models map it back the same way).
            let text =
                split.train.map { $0.map { PretrainedVectorsModel.token(items[Int($0)]) }.joined(separator: " ") }
                .joined(separator: "\n") + "\n"
            try writeText(text, to: exportSplit + "/train.txt")
            if !quiet {
                printError("wrote the training split (\(split.train.count) sequences) to \(exportSplit)/train.txt")
            }
        }
        let result = try EvaluationRun.run(
            data: data,
            test: test,
            settings: settings,
            models: models,
            log: quiet ? nil : { printError($0) }
        )
        // Across processes, each has the whole report; rank 0 prints it and writes the files.
        guard root else { return }
        print(result.markdown)
        if let json { try writeJSON(result, to: json) }
        if let report { try writeText(HTMLReport.render(result), to: report) }
    }
}

/// Writes encodable values as pretty JSON, atomically.
func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
    try writeText(try ReportJSON.encode(value), to: path)
}

func writeText(_ text: String, to path: String) throws {
    let w = try AtomicFileWriter(path: path)
    try w.write(text)
    try w.commit()
}
