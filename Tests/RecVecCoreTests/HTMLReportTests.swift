// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

struct HTMLReportTests {
    /// Two models at cut-offs 1 and 10; `mix` has no `mrr@10`.
    func smallReport(firstModel: String = "popularity") -> EvaluationReport {
        EvaluationReport(
            protocolName: "next-event",
            dataset: "data/ratings.tsv",
            cutoffs: [1, 10],
            testCases: 1234,
            skipped: ["target unseen in training": 12, "empty history": 3],
            results: [
                ModelResult(
                    model: firstModel,
                    config: ["top": "100"],
                    metrics: ["hr@1": 0.05, "hr@10": 0.2, "mrr@1": 0.05, "mrr@10": 0.1, "ndcg@10": 0.12345678],
                    trainSeconds: 0.01,
                    confidence: ["hr@10": 0.0123]
                ),
                ModelResult(
                    model: "mix",
                    config: ["alpha": "0.5", "window": "5"],
                    metrics: ["hr@1": 0.125, "hr@10": 0.45, "mrr@1": 0.125, "ndcg@10": 0.25],
                    trainSeconds: 12.5
                ),
            ]
        )
    }

    func trials(count: Int = 6) -> [TuningTrial] {
        (0..<count).map { i in
            TuningTrial(
                trial: i,
                model: i % 2 == 0 ? "item2vec" : "mix",
                config: ["window": "\(i + 2)"],
                budget: [0.25, 0.5, 1][i % 3],
                validation: ["hr@10": 0.1 + 0.03 * Double(i % 4), "mrr@10": 0.05],
                elapsedSeconds: 10 * Double(i + 1)
            )
        }
    }

    @Test func showsEveryModelAndFormattedValues() {
        let html = HTMLReport.render(smallReport())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<title>RecVec evaluation: next-event on data/ratings.tsv</title>"))
        for name in ["popularity", "mix"] { #expect(html.contains(">\(name)</span>")) }
        for value in ["0.0500", "0.2000", "0.4500", "0.1235", "0.2500", "±0.0123", "12.5", "0.01"] {
            #expect(html.contains(value), "missing \(value)")
        }
        #expect(html.contains("1234"))
        #expect(html.contains("target unseen in training: 12"))
        #expect(html.contains("alpha=0.5, window=5"))
        // mix has no mrr@10: a dash, not a number.
        #expect(html.contains("missing\">–</td>"))
        // Both bar charts, one bar per model and cut-off.
        #expect(html.contains("Hit rate") && html.contains("nDCG (ndcg@k)"))
        #expect(html.components(separatedBy: "<rect ").count - 1 == 2 * 2 + 2)
        #expect(HTMLReport.render(smallReport(), title: "Mine").contains("<h1>Mine</h1>"))
    }

    @Test func bootstrapIntervalsBecomeErrorBarsAndComparisonsATable() {
        var report = smallReport()
        report.results[0].confidence = nil
        report.results[1].intervals = [
            "hr@1": MetricInterval(lower: 0.1, upper: 0.16), "hr@10": .init(lower: 0.4, upper: 0.5),
        ]
        report.bootstrapReplicates = 500
        report.comparisons = [
            PairedComparison(
                model: "popularity",
                baseline: "mix",
                metric: "hr@10",
                difference: -0.25,
                interval: MetricInterval(lower: -0.3, upper: -0.2),
                bootstrapP: 0.002,
                wins: 1,
                losses: 30,
                signTestP: 1e-8
            )
        ]
        let html = HTMLReport.render(report)
        #expect(html.contains("<span class=\"pm\">[0.400, 0.500]</span>"))
        #expect(html.contains("95% bootstrap interval over the test cases (500 resamples)"))
        // The bar of mix's hr@10 (0.45) has its error bar from 0.4 to 0.5: two bars for mix's two hr values.
        #expect(html.components(separatedBy: "stroke=\"#222\" stroke-width=\"1\" fill=\"none\"").count - 1 == 2)
        #expect(html.contains("<title>mix — hr@10: 0.4500 [0.4000, 0.5000]</title>"))
        #expect(html.contains("<td class=\"start verdict\">worse</td>"))
        #expect(html.contains("<td class=\"start verdict\">best</td>"))
        #expect(html.contains("Paired tests against the best"))
        #expect(html.contains("<td>-0.2500</td><td>[-0.3000, -0.2000]</td><td>1 / 30</td><td>&lt;0.001</td>"))
        #expect(html.contains("mix better"))
    }

    @Test func coldStartTableFollowsTheResults() {
        var report = smallReport()
        #expect(!HTMLReport.render(report).contains("Cold start"))
        report.coldStart = ColdStartResults(
            maxTrainingCount: 0,
            testCases: 77,
            results: [ModelResult(model: "content2vec", config: [:], metrics: ["hr@10": 0.3125], trainSeconds: 1)]
        )
        report.hiddenItems = 42
        let html = HTMLReport.render(report)
        #expect(html.contains("<h2>Cold start</h2>"))
        #expect(
            html.contains("The 77 test cases whose target occurs at most 0 times in training (42 items were hidden")
        )
        #expect(html.contains("0.3125"))
    }

    @Test func columnsAreGroupedByFamilyInCutoffOrder() {
        var report = smallReport()
        report.cutoffs = [1, 5, 10]
        report.results[0].metrics["coverage@5"] = 0.3
        report.results[0].metrics["popularity@1"] = 0.9
        report.results[1].metrics["hr@5"] = 0.3
        let keys = HTMLReport.metricColumns(report).map(\.key)
        #expect(keys == ["hr@1", "hr@5", "hr@10", "mrr@1", "mrr@10", "ndcg@10", "coverage@5", "popularity@1"])
    }

    @Test func escapesUserStrings() {
        var report = smallReport(firstModel: "<script>alert(1)</script>")
        report.dataset = "a&b \"c\" 'd'.tsv"
        report.results[1].config["note"] = "<b>\"x\"</b>"
        report.skipped["<i>odd</i>"] = 1
        let html = HTMLReport.render(
            report,
            trials: [
                TuningTrial(
                    trial: 0,
                    model: "<img>",
                    config: ["k": "'v'"],
                    budget: 1,
                    validation: ["hr@10": 0.1],
                    elapsedSeconds: 1
                )
            ]
        )
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img>"))
        #expect(!html.contains("<b>") && !html.contains("<i>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("a&amp;b &quot;c&quot; &#39;d&#39;.tsv"))
        #expect(html.contains("&lt;b&gt;&quot;x&quot;&lt;/b&gt;"))
        #expect(HTMLReport.escape("&<>\"'é") == "&amp;&lt;&gt;&quot;&#39;é")
    }

    @Test func isSelfContained() {
        let html = HTMLReport.render(smallReport(), trials: trials())
        let rest = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!rest.contains("http://") && !rest.contains("https://"))
        for forbidden in ["<script", "<link", "@import", "url(", "src="] {
            #expect(!html.contains(forbidden), "found \(forbidden)")
        }
    }

    @Test func rendersWithoutResults() {
        let report = EvaluationReport(
            protocolName: "leave-last-out",
            dataset: "x",
            cutoffs: [10],
            testCases: 0,
            skipped: [:],
            results: []
        )
        let html = HTMLReport.render(report)
        #expect(html.contains("No models were evaluated."))
        #expect(!html.contains("<table") && !html.contains("<svg"))
        #expect(html.hasSuffix("</html>\n"))
        // Trials alone still draw their chart.
        #expect(HTMLReport.render(report, trials: trials()).contains("<circle"))
    }

    @Test func rendersTrials() {
        let html = HTMLReport.render(smallReport(), trials: trials())
        #expect(html.contains("Hyperparameter search"))
        #expect(html.contains("validation hr@10"))
        #expect(html.components(separatedBy: "<circle ").count - 1 == 6 + 3)  // trials + budget legend
        #expect(html.contains("budget 0.25") && html.contains("budget 1.00"))
        #expect(html.contains("running best"))
        #expect(html.contains("window=7"))
        // The trials table has one row per trial, the best score in bold.
        #expect(html.components(separatedBy: "<tr><td>").count - 1 == 6)
        #expect(html.contains("<th>Validation hr@10</th>"))
        #expect(html.contains("<td class=\"best\">0.1900</td>"))
        #expect(HTMLReport.render(smallReport(), trials: trials()) == html)  // deterministic
        // Mixed metrics: each row names its own, the chart axis says "validation score".
        var mixed = trials(count: 2)
        mixed[1].validation = ["ndcg@5": 0.3]
        let page = HTMLReport.render(smallReport(), trials: mixed)
        #expect(page.contains("<th>Validation</th>") && page.contains(">ndcg@5 0.3000</td>"))
        #expect(page.contains(">validation score</text>"))
    }

    @Test func trialScoreFallsBackToTheFirstMetricByName() {
        var t = TuningTrial(
            trial: 0,
            model: "m",
            config: [:],
            budget: 1,
            validation: ["ndcg@5": 0.2, "mrr@5": 0.1],
            elapsedSeconds: 1
        )
        #expect(HTMLReport.trialScore(t, cutoffs: [5, 20])! == ("mrr@5", 0.1))
        t.validation["hr@20"] = 0.4
        #expect(HTMLReport.trialScore(t, cutoffs: [5, 20])! == ("hr@20", 0.4))
        t.validation = [:]
        #expect(HTMLReport.trialScore(t, cutoffs: [5]) == nil)
    }

    @Test func boldsTheBestHitRate() {
        let html = HTMLReport.render(smallReport())
        #expect(html.contains("best\">0.4500"))
        #expect(html.contains("best\">0.1250"))
        #expect(!html.contains("best\">0.2000"))
        #expect(!html.contains("best\">0.0500"))
    }

    @Test func survivesZerosAndLongNames() {
        let long = String(repeating: "a-very-long-model-name-", count: 8)
        var report = smallReport(firstModel: long)
        for i in report.results.indices {
            for key in report.results[i].metrics.keys { report.results[i].metrics[key] = 0 }
        }
        report.results[1].metrics["hr@10"] = .nan
        report.results[1].trainSeconds = .infinity
        let zeros = (0..<3).map {
            TuningTrial(
                trial: $0,
                model: "m",
                config: [:],
                budget: $0 == 2 ? .nan : 0,
                validation: ["hr@10": 0],
                elapsedSeconds: 0
            )
        }
        let html = HTMLReport.render(report, trials: zeros)
        #expect(html.contains(long))
        #expect(!html.contains("best\">"))  // all equal: nothing in bold
        for bad in ["nan", "inf", "NaN"] { #expect(!html.contains(bad), "found \(bad)") }
    }

    @Test func formatsNumbersWithoutALocale() {
        #expect(HTMLReport.fixed(1.0 / 3, 4) == "0.3333")
        #expect(HTMLReport.fixed(2, 2) == "2.00")
        #expect(HTMLReport.fixed(-0.00001, 4) == "0.0000")
        #expect(HTMLReport.fixed(-1.5, 1) == "-1.5")
        #expect(HTMLReport.fixed(0.999996, 4) == "1.0000")
        #expect(HTMLReport.fixed(42, 0) == "42")
        #expect(HTMLReport.fixed(.nan, 4) == "–")
        let scale = HTMLReport.NiceScale(low: 0, high: 0.43)
        #expect(scale.low == 0 && scale.step == 0.1 && abs(scale.high - 0.5) < 1e-12 && scale.decimals == 1)
        let flat = HTMLReport.NiceScale(low: 0, high: 0)
        #expect(flat.high > flat.low)
    }

    // MARK: - Sample page

    /// A realistic report: seven models at four cut-offs, and a 30-trial search over ten minutes.
    static func sample() -> (EvaluationReport, [TuningTrial]) {
        let models: [(String, [String: String], Double, Double)] = [
            ("popularity", [:], 0.09, 0.02),
            ("cooccurrence", ["window": "5"], 0.27, 0.4),
            ("sknn", ["neighbours": "100", "sample": "500", "similarity": "cosine"], 0.33, 1.8),
            ("markov", ["order": "1", "smoothing": "0.1"], 0.30, 0.3),
            ("item2vec", ["dim": "64", "window": "5", "epochs": "10", "ns_exponent": "0.75"], 0.36, 14.2),
            (
                "item2vec-tuned",
                ["dim": "128", "window": "3", "epochs": "30", "ns_exponent": "-0.5", "negative": "10"],
                0.43, 41.7
            ),
            ("mix", ["alpha": "0.7", "components": "item2vec-tuned+markov"], 0.45, 42.1),
        ]
        let cutoffs = [1, 5, 10, 20]
        let results = models.enumerated().map { (m, model) in
            var metrics: [String: Double] = [:]
            var confidence: [String: Double] = [:]
            for k in cutoffs {
                let shape = [1: 0.25, 5: 0.6, 10: 0.8, 20: 1.0][k]!
                let hr = model.2 * shape
                metrics["hr@\(k)"] = hr
                metrics["mrr@\(k)"] = model.2 * 0.25 * (0.9 + 0.1 * shape)
                metrics["ndcg@\(k)"] = k == 1 ? hr : hr * (0.5 + 0.1 * shape)
                metrics["coverage@\(k)"] =
                    m == 0 ? 0.002 * Double(k) : min(0.95, 0.2 + 0.03 * Double(k) + 0.05 * Double(m))
                metrics["popularity@\(k)"] = m == 0 ? 0.98 : 0.6 - 0.04 * Double(m) - 0.02 * shape
                confidence["hr@\(k)"] = 0.004 + 0.01 * hr
                confidence["ndcg@\(k)"] = 0.003 + 0.008 * hr
            }
            return ModelResult(
                model: model.0,
                config: model.1,
                metrics: metrics,
                trainSeconds: model.3,
                confidence: confidence
            )
        }
        let report = EvaluationReport(
            protocolName: "next-event",
            dataset: "Sources/recvec/SampleData/movielens/sequences.tsv",
            cutoffs: cutoffs,
            testCases: 6124,
            skipped: ["target unseen in training": 412, "history too short": 35],
            results: results
        )
        var seed: UInt64 = 42
        func random() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        let trials = (0..<30).map { i in
            let budget = [0.25, 0.25, 0.5, 1][i % 4]
            let model = ["item2vec", "sknn", "item2vec", "markov"][i % 4 == 3 ? (i / 4) % 4 : i % 3]
            let base = ["item2vec": 0.34, "sknn": 0.31, "markov": 0.29][model]!
            let value = base * (0.8 + 0.15 * budget) + 0.05 * random() + 0.0015 * Double(i)
            return TuningTrial(
                trial: i,
                model: model,
                config: ["window": "\(2 + i % 7)", "dim": "\([32, 64, 128][i % 3])"],
                budget: budget,
                validation: ["hr@20": value, "ndcg@20": value * 0.55],
                elapsedSeconds: 20 * Double(i + 1) - 10 * random()
            )
        }
        return (report, trials)
    }

    @Test func sampleRendersEverything() {
        let (report, trials) = Self.sample()
        let html = HTMLReport.render(report, trials: trials)
        #expect(html.components(separatedBy: "<rect ").count - 1 == 2 * 7 * 4)
        #expect(html.components(separatedBy: "<tr><td>").count - 1 == 30)
    }

    /// Writes the sample page to `/tmp/report-sample.html` when RECVEC_WRITE_SAMPLE_REPORT is set.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RECVEC_WRITE_SAMPLE_REPORT"] != nil))
    func writeSamplePage() throws {
        let (report, trials) = Self.sample()
        try HTMLReport.render(report, trials: trials)
            .write(toFile: "/tmp/report-sample.html", atomically: true, encoding: .utf8)
    }
}
