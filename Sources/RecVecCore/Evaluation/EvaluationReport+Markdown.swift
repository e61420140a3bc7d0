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
            results: results,
            comparisons: comparisons ?? [],
            bootstrap: bootstrapReplicates,
            groups: bootstrapGroups
        )
        if let cold = coldStart {
            text +=
                "\n\n"
                + Self.markdown(
                    title:
                        "cold start: the \(cold.testCases) test cases whose target occurs at most \(cold.maxTrainingCount) times in training",
                    cutoffs: cutoffs,
                    results: cold.results,
                    comparisons: cold.comparisons ?? [],
                    bootstrap: bootstrapReplicates,
                    groups: cold.bootstrapGroups
                )
        }
        return text
    }

    /// One table: a row per model, a column per metric and cut-off, then — with `comparisons` — how
    /// each model stands against the best, then the training time; below it, what "±" means and the
    /// paired tests. `groups`: the number of groups the bootstrap drew when the cases come in groups.
    public static func markdown(
        title: String,
        cutoffs: [Int],
        results: [ModelResult],
        comparisons: [PairedComparison] = [],
        bootstrap: Int? = nil,
        groups: Int? = nil
    ) -> String {
        let families = HTMLReport.familyOrder
        let columns = families.flatMap { f in cutoffs.map { "\(f)@\($0)" } }
        let versus = Dictionary(comparisons.map { ($0.model, $0) }, uniquingKeysWith: { a, _ in a })
        let best = comparisons.first?.baseline
        let metric = comparisons.first?.metric ?? ""
        var lines = [title, ""]
        lines.append(
            "| model | " + columns.joined(separator: " | ") + (best == nil ? "" : " | vs best \(metric)")
                + " | train s |"
        )
        lines.append(
            "|---|" + columns.map { _ in "---:" }.joined(separator: "|") + (best == nil ? "" : "|:---:") + "|---:|"
        )
        for m in results {
            var cells = columns.map { c -> String in
                guard let v = m.metrics[c] else { return "–" }
                if let h = m.confidence?[c] ?? m.intervals?[c]?.halfWidth { return String(format: "%.4f ± %.4f", v, h) }
                return String(format: "%.4f", v)
            }
            if best != nil {
                cells.append(m.model == best ? "best" : versus[m.model].map { $0.isSignificant ? "worse" : "≈" } ?? "–")
            }
            lines.append(
                "| \(m.model) | " + cells.joined(separator: " | ") + String(format: " | %.1f |", m.trainSeconds)
            )
        }
        var notes: [String] = []
        if results.contains(where: { $0.confidence != nil }) {
            notes.append("± is the 95 % confidence half-width over the repeats.")
        } else if let bootstrap, results.contains(where: { $0.intervals != nil }) {
            notes.append(
                "± is half the width of the 95 % bootstrap interval over the test cases (\(bootstrap) resamples"
                    + (groups.map { " of the \($0) test sessions: a session's cases are drawn together" } ?? "")
                    + "); coverage has none."
            )
        }
        if let best {
            notes.append(
                "vs best: \(best) against each model on the same cases by \(metric), sign test"
                    + (groups == nil ? "" : " on each session's net difference") + ": "
                    + "worse = p < \(PairedComparison.alpha), ≈ = not distinguishable."
            )
        }
        if !notes.isEmpty { lines += [""] + notes }
        if !comparisons.isEmpty { lines += ["", pairedTable(comparisons, unit: groups == nil ? "cases" : "sessions")] }
        return lines.joined(separator: "\n")
    }

    /// The paired tests as a table: each model's difference to the best, its bootstrap interval,
    /// the cases (or, when they come in groups, the `unit`s) where each is ahead and the p-values.
    public static func pairedTable(_ comparisons: [PairedComparison], unit: String = "cases") -> String {
        let p = formatP
        var lines = [
            "| model | vs | Δ \(comparisons[0].metric) | 95 % interval | \(unit) ahead / behind | sign test p | bootstrap p | verdict |",
            "|---|---|---:|:---:|---:|---:|---:|---|",
        ]
        for c in comparisons {
            let interval = c.interval.map { String(format: "[%+.4f, %+.4f]", $0.lower, $0.upper) } ?? "–"
            let verdict = c.isSignificant ? "\(c.baseline) better" : "not distinguishable"
            lines.append(
                "| \(c.model) | \(c.baseline) | " + String(format: "%+.4f", c.difference) + " | \(interval) | "
                    + "\(c.wins) / \(c.losses) | \(p(c.signTestP)) | \(p(c.bootstrapP)) | \(verdict) |"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// A p-value as the tables print it: three decimals, `<0.001` below that, `–` when absent.
    static func formatP(_ x: Double?) -> String {
        guard let x else { return "–" }
        return x < 0.001 ? "<0.001" : String(format: "%.3f", x)
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
