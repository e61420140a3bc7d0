// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare models (baselines and embeddings) on one split by top-N metrics: hr, mrr, ndcg, coverage, popularity.")

    @OptionGroup var evaluation: EvaluationOptions
    @OptionGroup var training: TrainingOptions

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Write a self-contained HTML report (table and charts) to this file.")
    var report: String?

    @Option(help: "Also write the training split to DIR/train.txt (one sequence of item ids a line), to train other tools on exactly the same data.")
    var exportSplit: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func run() throws {
        let settings = try evaluation.settings(seed: training.seed)
        let options = try evaluation.catalogOptions(training: training)
        let models = try evaluation.modelNames.map { try ModelCatalog.make($0, options: options) }
        if let json { try checkWritable(json, option: "--json") }
        if let report { try checkWritable(report, option: "--report") }
        let (data, test) = try evaluation.load()
        if !quiet { printError("data: \(data.eventCount) events, \(data.sequences.count) sequences, \(data.items.count) items") }
        if let exportSplit {
            let (split, items) = try Splitter.split(
                data, test: test, protocol: settings.protocolName, options: settings.protocolOptions)
            // Whitespace inside an item id becomes "_" (vectors:FILE models map it back the same way).
            let text = split.train.map { $0.map { PretrainedVectorsModel.token(items[Int($0)]) }.joined(separator: " ") }
                .joined(separator: "\n") + "\n"
            try writeText(text, to: exportSplit + "/train.txt")
            if !quiet { printError("wrote the training split (\(split.train.count) sequences) to \(exportSplit)/train.txt") }
        }
        let result = try EvaluationRun.run(
            data: data, test: test, settings: settings, models: models, log: quiet ? nil : { printError($0) })
        print(EvaluationTable.markdown(result))
        if let json { try writeJSON(result, to: json) }
        if let report { try writeText(HTMLReport.render(result), to: report) }
    }
}

/// The comparison table as markdown.
enum EvaluationTable {
    static func markdown(_ r: EvaluationReport) -> String {
        var text = markdown(
            title: "\(r.protocolName) on \(r.dataset): \(r.testCases) test cases"
                + (r.hiddenItems.map { "; \($0) items hidden from training" } ?? "")
                + (r.skipped.isEmpty ? "" : "; skipped: " + r.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")),
            cutoffs: r.cutoffs, results: r.results)
        if let cold = r.coldStart {
            text += "\n\n" + markdown(
                title: "cold start: the \(cold.testCases) test cases whose target occurs at most \(cold.maxTrainingCount) times in training",
                cutoffs: r.cutoffs, results: cold.results)
        }
        return text
    }

    static func markdown(title: String, cutoffs: [Int], results: [ModelResult]) -> String {
        let families = ["hr", "mrr", "ndcg", "coverage", "popularity"]
        let columns = families.flatMap { f in cutoffs.map { "\(f)@\($0)" } }
        var lines = [title, ""]
        lines.append("| model | " + columns.joined(separator: " | ") + " | train s |")
        lines.append("|---|" + columns.map { _ in "---:" }.joined(separator: "|") + "|---:|")
        for m in results {
            let cells = columns.map { c -> String in
                guard let v = m.metrics[c] else { return "–" }
                if let h = m.confidence?[c] { return String(format: "%.4f ± %.4f", v, h) }
                return String(format: "%.4f", v)
            }
            lines.append("| \(m.model) | " + cells.joined(separator: " | ") + String(format: " | %.1f |", m.trainSeconds))
        }
        return lines.joined(separator: "\n")
    }
}

/// Writes encodable values as pretty JSON, atomically.
func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try writeText(String(decoding: try encoder.encode(value), as: UTF8.self), to: path)
}

func writeText(_ text: String, to path: String) throws {
    let w = try AtomicFileWriter(path: path)
    try w.write(text)
    try w.commit()
}
