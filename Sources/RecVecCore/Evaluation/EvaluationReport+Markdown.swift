// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

extension EvaluationReport {
    /// The comparison table as markdown (and the cold-start table when there is one).
    public var markdown: String {
        var text = Self.markdown(
            title: "\(protocolName) on \(dataset): \(testCases) test cases"
                + (hiddenItems.map { "; \($0) items hidden from training" } ?? "")
                + (skipped.isEmpty
                    ? ""
                    : "; skipped: "
                        + skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")),
            cutoffs: cutoffs,
            results: results
        )
        if let cold = coldStart {
            text +=
                "\n\n"
                + Self.markdown(
                    title:
                        "cold start: the \(cold.testCases) test cases whose target occurs at most \(cold.maxTrainingCount) times in training",
                    cutoffs: cutoffs,
                    results: cold.results
                )
        }
        return text
    }

    /// One table: a row per model, a column per metric and cut-off, then the training time.
    public static func markdown(title: String, cutoffs: [Int], results: [ModelResult]) -> String {
        let families = HTMLReport.familyOrder
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
            lines.append(
                "| \(m.model) | " + cells.joined(separator: " | ") + String(format: " | %.1f |", m.trainSeconds)
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// The JSON RecVec writes (reports, tuning results, model descriptions): pretty, keys sorted,
/// slashes unescaped, so files diff well.
public enum ReportJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension TuningTrial {
    /// Trials as CSV: one row each, the validation `metric`, then every configuration key seen.
    public static func csv(_ trials: [TuningTrial], metric: String) -> String {
        let keys = Array(Set(trials.flatMap { $0.config.keys })).sorted()
        var lines = [(["trial", "model", "budget", "elapsed_seconds", metric] + keys).joined(separator: ",")]
        for t in trials {
            let fields =
                [
                    String(t.trial), t.model, String(t.budget), String(format: "%.2f", t.elapsedSeconds),
                    String(format: "%.6f", t.validation[metric] ?? 0),
                ] + keys.map { t.config[$0] ?? "" }
            lines.append(fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
