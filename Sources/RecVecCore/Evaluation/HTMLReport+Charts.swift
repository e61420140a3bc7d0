// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

// The inline SVG charts of the HTML report: grouped bars per cut-off, and the search over time.

extension HTMLReport {
    // MARK: - Colours

    /// One colour per model name, in order of first appearance, from the Okabe–Ito palette
    /// (distinguishable with the common forms of colour blindness); repeats after eight models.
    struct Palette {
        static let colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"]
        private var index: [String: Int] = [:]

        init(models: [String]) {
            for model in models where index[model] == nil { index[model] = index.count }
        }

        func colour(for model: String) -> String {
            Self.colours[(index[model] ?? 0) % Self.colours.count]
        }
    }

    /// An HTML legend: a swatch and the escaped name of each model.
    static func legend(_ models: [String], palette: Palette) -> String {
        var seen: Set<String> = []
        var html = "<div class=\"legend\">"
        for model in models where seen.insert(model).inserted {
            html += "<span><span class=\"swatch\" style=\"background:\(palette.colour(for: model))\"></span>"
            html += "\(escape(model))</span>"
        }
        return html + "</div>\n"
    }

    // MARK: - Axes

    /// A linear axis from `low` to `high` with round tick marks every `step`.
    struct NiceScale {
        var low: Double
        var high: Double
        var step: Double

        /// A scale covering `low...high` with about `ticks` intervals; a degenerate range (all values
        /// equal, or all zero) is widened, never below zero when `low` is not negative.
        init(low: Double, high: Double, ticks: Int = 5) {
            var (lo, hi) = (low.isFinite ? low : 0, high.isFinite ? high : 1)
            if !(hi > lo) {
                let pad = lo == 0 ? 0.5 : lo.magnitude * 0.1
                hi = lo + pad
                lo = lo >= 0 ? max(0, lo - pad) : lo - pad
            }
            step = Self.niceStep((hi - lo) / Double(max(ticks, 1)))
            self.low = (lo / step).rounded(.down) * step
            self.high = (hi / step).rounded(.up) * step
        }

        /// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
        static func niceStep(_ raw: Double) -> Double {
            guard raw > 0, raw.isFinite else { return 1 }
            // raw = normalised × 10^exponent, 1 ≤ normalised < 10; powers of ten are exact up to 10^22,
            // and dividing by one (rather than multiplying by 0.1…) keeps 0.1 exactly 0.1.
            func power(_ n: Int) -> Double { (0..<n).reduce(1.0) { p, _ in p * 10 } }
            var exponent = 0
            while exponent > -300, raw < (exponent >= 0 ? power(exponent) : 1 / power(-exponent)) { exponent -= 1 }
            while exponent < 300, raw >= (exponent >= -1 ? power(exponent + 1) : 1 / power(-exponent - 1)) {
                exponent += 1
            }
            let magnitude = exponent >= 0 ? power(exponent) : 1 / power(-exponent)
            let normalised = raw / magnitude
            let nice = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 2.5 ? 2.5 : normalised <= 5 ? 5 : 10
            return exponent >= 0 ? nice * magnitude : nice / power(-exponent)
        }

        var ticks: [Double] {
            Array(stride(from: low, through: high + step * 1e-6, by: step))
        }

        /// Decimals needed to print the ticks exactly (0.25 → 2).
        var decimals: Int {
            var scaled = step
            for d in 0...6 {
                if (scaled - scaled.rounded()).magnitude < 1e-6 * max(1, scaled) { return d }
                scaled *= 10
            }
            return 6
        }

        /// Where `value` lies between `low` (0) and `high` (1).
        func fraction(_ value: Double) -> Double {
            high > low ? (value - low) / (high - low) : 0
        }
    }

    /// An SVG coordinate with one decimal.
    static func c(_ x: Double) -> String { fixed(x, 1) }

    /// Grid lines and labels of a vertical axis, and the axis title turned on its side.
    static func yAxis(
        _ scale: NiceScale,
        left: Double,
        right: Double,
        top: Double,
        height: Double,
        title: String
    ) -> String {
        var svg = ""
        for tick in scale.ticks {
            let y = top + height * (1 - scale.fraction(tick))
            svg += "<line class=\"grid\" x1=\"\(c(left))\" y1=\"\(c(y))\" x2=\"\(c(right))\" y2=\"\(c(y))\"/>"
            svg +=
                "<text x=\"\(c(left - 6))\" y=\"\(c(y + 4))\" text-anchor=\"end\">\(fixed(tick, scale.decimals))</text>\n"
        }
        let mid = top + height / 2
        svg += "<text x=\"14\" y=\"\(c(mid))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(c(mid)))\">"
        svg += "\(escape(title))</text>\n"
        svg += "<line class=\"axis\" x1=\"\(c(left))\" y1=\"\(c(top))\" x2=\"\(c(left))\" y2=\"\(c(top + height))\"/>"
        svg += "<line class=\"axis\" x1=\"\(c(left))\" y1=\"\(c(top + height))\" x2=\"\(c(right))\" "
        svg += "y2=\"\(c(top + height))\"/>\n"
        return svg
    }

    // MARK: - Bar chart

    /// Grouped bars of `<family>@k`: one group per cut-off, one bar per model, with the value above
    /// each bar (turned on its side when the bar is narrow) and the confidence interval when known
    /// (the repeats' ±, else the bootstrap interval) as an error bar and in the bar's tooltip.
    static func barChart(_ report: EvaluationReport, family: String, caption: String, palette: Palette) -> String {
        let models = report.results
        let cutoffs = report.cutoffs.filter { k in models.contains { $0.metrics["\(family)@\(k)"] != nil } }
        guard !models.isEmpty, !cutoffs.isEmpty else { return "" }
        func value(_ result: ModelResult, _ key: String) -> Double? {
            result.metrics[key].flatMap { $0.isFinite ? $0 : nil }
        }
        /// The error bar: ± the repeats' half-width, else the bootstrap interval.
        func errorBar(_ result: ModelResult, _ key: String, _ v: Double) -> (low: Double, high: Double)? {
            if let half = result.confidence?[key], half.isFinite, half != 0 {
                return (v - half.magnitude, v + half.magnitude)
            }
            if let i = result.intervals?[key], i.lower.isFinite, i.upper.isFinite, i.upper > i.lower {
                return (i.lower, i.upper)
            }
            return nil
        }
        var top = 0.0
        for result in models {
            for k in cutoffs {
                let key = "\(family)@\(k)"
                if let v = value(result, key) { top = max(top, errorBar(result, key, v)?.high ?? v) }
            }
        }
        let scale = NiceScale(low: 0, high: top > 0 ? top : 1)

        let width = 1100.0
        let plotHeight = 260.0
        let left = 60.0
        let right = width - 12
        let groupWidth = (right - left) / Double(cutoffs.count)
        let groupPad = groupWidth * 0.1
        let barWidth = (groupWidth - 2 * groupPad) / Double(models.count)
        let gap = min(2, barWidth * 0.15)
        let labelWidth = 31.0  // "0.123" at 10 px
        let labelMode = barWidth - gap >= labelWidth ? 1 : barWidth >= 11 ? 2 : 0  // across, upright, none
        let plotTop = labelMode == 2 ? 40.0 : 18.0
        let height = plotTop + plotHeight + 30
        func y(_ v: Double) -> Double { plotTop + plotHeight * (1 - scale.fraction(v)) }

        let label = "\(familyLabel(family)) (\(family)@k)"
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" "
        svg += "width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" aria-label=\"\(escape(label)) by model\">\n"
        svg += yAxis(scale, left: left, right: right, top: plotTop, height: plotHeight, title: family)
        for (g, k) in cutoffs.enumerated() {
            let key = "\(family)@\(k)"
            let groupLeft = left + Double(g) * groupWidth
            svg += "<text x=\"\(c(groupLeft + groupWidth / 2))\" y=\"\(c(plotTop + plotHeight + 20))\" "
            svg += "text-anchor=\"middle\">\(escape(key))</text>\n"
            for (m, result) in models.enumerated() {
                guard let v = value(result, key) else { continue }
                let x = groupLeft + groupPad + Double(m) * barWidth + gap / 2
                let w = barWidth - gap
                let cx = x + w / 2
                let yTop = y(max(v, 0))
                let yZero = y(0)
                svg += "<rect x=\"\(c(x))\" y=\"\(c(yTop))\" width=\"\(c(w))\" height=\"\(c(max(yZero - yTop, 0)))\" "
                svg += "fill=\"\(palette.colour(for: result.model))\">"
                let bar = errorBar(result, key, v)
                let range = bar.map { " [\(fixed($0.low, 4)), \(fixed($0.high, 4))]" } ?? ""
                svg += "<title>\(escape(result.model)) — \(escape(key)): \(fixed(v, 4))\(range)</title></rect>"
                var labelY = yTop
                if let bar {
                    let (y1, y2) = (y(max(bar.low, 0)), y(bar.high))
                    let cap = min(w * 0.3, 5)
                    svg += "<path d=\"M\(c(cx)) \(c(y1))V\(c(y2))M\(c(cx - cap)) \(c(y1))h\(c(2 * cap))"
                    svg += "M\(c(cx - cap)) \(c(y2))h\(c(2 * cap))\" stroke=\"#222\" stroke-width=\"1\" fill=\"none\"/>"
                    labelY = min(labelY, y2)
                }
                switch labelMode {
                case 1:
                    svg += "<text class=\"value\" x=\"\(c(cx))\" y=\"\(c(labelY - 4))\" text-anchor=\"middle\">"
                    svg += "\(fixed(v, 3))</text>"
                case 2:
                    let (tx, ty) = (cx + 3.5, labelY - 4)
                    svg +=
                        "<text class=\"value\" x=\"\(c(tx))\" y=\"\(c(ty))\" transform=\"rotate(-90 \(c(tx)) \(c(ty)))\">"
                    svg += "\(fixed(v, 3))</text>"
                default:
                    break
                }
                svg += "\n"
            }
        }
        svg += "</svg>\n"
        return "<figure>\n<h3>\(escape(label))</h3>\n" + legend(models.map(\.model), palette: palette) + svg
            + "<figcaption>\(escape(caption)).</figcaption>\n</figure>\n"
    }

    // MARK: - Search over time

    /// The validation score of each trial against the seconds since the search started: one colour
    /// per model, bigger and more opaque markers for bigger budgets, and the running best as a step line.
    static func trialChart(_ trials: [TuningTrial], cutoffs: [Int], palette: Palette) -> String {
        let points = trials.compactMap { trial -> (trial: TuningTrial, metric: String, value: Double)? in
            guard trial.elapsedSeconds.isFinite, let score = trialScore(trial, cutoffs: cutoffs) else { return nil }
            return (trial, score.metric, score.value)
        }.sorted { ($0.trial.elapsedSeconds, $0.trial.trial) < ($1.trial.elapsedSeconds, $1.trial.trial) }
        guard !points.isEmpty else { return "<p class=\"empty\">No trial has a validation score.</p>\n" }
        let metrics = Set(points.map(\.metric))
        let yTitle = metrics.count == 1 ? "validation \(points[0].metric)" : "validation score"
        let xScale = NiceScale(low: 0, high: max(points.map(\.trial.elapsedSeconds).max() ?? 0, 0), ticks: 8)
        let yScale = NiceScale(low: points.map(\.value).min() ?? 0, high: points.map(\.value).max() ?? 1)

        let width = 1100.0
        let plotTop = 14.0
        let plotHeight = 300.0
        let left = 60.0
        let right = width - 16
        let height = plotTop + plotHeight + 46
        func x(_ t: Double) -> Double { left + (right - left) * xScale.fraction(t) }
        func y(_ v: Double) -> Double { plotTop + plotHeight * (1 - yScale.fraction(v)) }
        func share(_ budget: Double) -> Double { budget.isFinite ? min(max(budget, 0), 1) : 1 }
        func radius(_ budget: Double) -> Double { 3 + 4.5 * share(budget).squareRoot() }
        func opacity(_ budget: Double) -> Double { 0.35 + 0.55 * share(budget) }

        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\" "
        svg += "width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" "
        svg += "aria-label=\"validation score of each trial over time\">\n"
        svg += yAxis(yScale, left: left, right: right, top: plotTop, height: plotHeight, title: yTitle)
        for tick in xScale.ticks {
            let tx = x(tick)
            svg += "<line class=\"axis\" x1=\"\(c(tx))\" y1=\"\(c(plotTop + plotHeight))\" x2=\"\(c(tx))\" "
            svg += "y2=\"\(c(plotTop + plotHeight + 4))\"/><text x=\"\(c(tx))\" y=\"\(c(plotTop + plotHeight + 18))\" "
            svg += "text-anchor=\"middle\">\(fixed(tick, xScale.decimals))</text>\n"
        }
        svg += "<text x=\"\(c((left + right) / 2))\" y=\"\(c(height - 6))\" text-anchor=\"middle\">"
        svg += "seconds since the search started</text>\n"
        for p in points {
            svg += "<circle cx=\"\(c(x(p.trial.elapsedSeconds)))\" cy=\"\(c(y(p.value)))\" "
            svg += "r=\"\(c(radius(p.trial.budget)))\" "
            svg +=
                "fill=\"\(palette.colour(for: p.trial.model))\" fill-opacity=\"\(fixed(opacity(p.trial.budget), 2))\" "
            svg += "stroke=\"\(palette.colour(for: p.trial.model))\" stroke-width=\"1\">"
            svg += "<title>trial \(p.trial.trial): \(escape(p.trial.model)), budget \(fixed(p.trial.budget, 2)), "
            svg +=
                "\(escape(p.metric)) \(fixed(p.value, 4)) at \(fixed(p.trial.elapsedSeconds, 1)) s</title></circle>\n"
        }
        // The running best: flat until a trial beats it, then up.
        var best = points[0].value
        var path = "M\(c(x(points[0].trial.elapsedSeconds))) \(c(y(best)))"
        for p in points.dropFirst() where p.value > best {
            best = p.value
            path += "H\(c(x(p.trial.elapsedSeconds)))V\(c(y(best)))"
        }
        path += "H\(c(x(points[points.count - 1].trial.elapsedSeconds)))"
        svg +=
            "<path d=\"\(path)\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\n</svg>\n"

        var html = "<figure>\n<h3>Validation score of each trial over time</h3>\n"
        html += legend(points.map(\.trial.model), palette: palette)
        html += "<div class=\"legend\">"
        for budget in Set(points.map(\.trial.budget).filter(\.isFinite)).sorted().prefix(8) {
            let r = radius(budget)
            html += "<span><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"18\" viewBox=\"0 0 20 18\">"
            html +=
                "<circle cx=\"10\" cy=\"9\" r=\"\(c(r))\" fill=\"#555\" fill-opacity=\"\(fixed(opacity(budget), 2))\" "
            html += "stroke=\"#555\"/></svg>budget \(fixed(budget, 2))</span>"
        }
        html += "<span><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"18\" viewBox=\"0 0 24 18\">"
        html += "<path d=\"M2 13H11V5H22\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\"/></svg>"
        html += "running best</span></div>\n"
        html += svg
        html += "<figcaption>Each point is a trial, scored on the validation split; bigger, darker points had a "
        html += "bigger share of the full training budget (successive halving).</figcaption>\n</figure>\n"
        return html
    }
}
