// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One model against another on the same test cases, by one metric: the difference of the means,
/// its paired bootstrap interval, and the sign test on the per-case values.
///
/// A model is called worse than the baseline only when ``isSignificant``: the sign test's p-value
/// is below 0.05. Otherwise the two are not distinguishable on this test set, whatever their means.
public struct PairedComparison: Sendable, Codable, Equatable {
    /// The model compared.
    public var model: String
    /// The model it is compared with (the best by ``metric``).
    public var baseline: String
    /// The metric (`hr@20`: hr at the largest cut-off).
    public var metric: String
    /// `model`'s mean minus `baseline`'s, over all test cases.
    public var difference: Double
    /// The 95 % paired bootstrap interval of the difference (`nil` without a bootstrap).
    public var interval: MetricInterval?
    /// The paired bootstrap's two-sided p-value: twice the smaller share of replicate differences
    /// on either side of 0, with the +1 correction (`nil` without a bootstrap).
    public var bootstrapP: Double?
    /// Cases where `model` scores higher than `baseline`, and lower; when the cases come in groups
    /// (``PerCaseMetrics/groups``), groups whose summed difference is positive, and negative.
    public var wins: Int
    public var losses: Int
    /// The sign test's two-sided p-value on `wins` and `losses` (``SignTest``).
    public var signTestP: Double

    /// The significance level of ``isSignificant``.
    public static let alpha = 0.05

    /// Whether the sign test tells the two apart: ``signTestP`` < ``alpha``.
    public var isSignificant: Bool { signTestP < Self.alpha }

    public init(
        model: String,
        baseline: String,
        metric: String,
        difference: Double,
        interval: MetricInterval?,
        bootstrapP: Double?,
        wins: Int,
        losses: Int,
        signTestP: Double
    ) {
        self.model = model
        self.baseline = baseline
        self.metric = metric
        self.difference = difference
        self.interval = interval
        self.bootstrapP = bootstrapP
        self.wins = wins
        self.losses = losses
        self.signTestP = signTestP
    }

    enum CodingKeys: String, CodingKey {
        case model, baseline, metric, difference, interval, wins, losses
        case bootstrapP = "bootstrap_p"
        case signTestP = "sign_test_p"
        case isSignificant = "significant"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            model: try c.decode(String.self, forKey: .model),
            baseline: try c.decode(String.self, forKey: .baseline),
            metric: try c.decode(String.self, forKey: .metric),
            difference: try c.decode(Double.self, forKey: .difference),
            interval: try c.decodeIfPresent(MetricInterval.self, forKey: .interval),
            bootstrapP: try c.decodeIfPresent(Double.self, forKey: .bootstrapP),
            wins: try c.decode(Int.self, forKey: .wins),
            losses: try c.decode(Int.self, forKey: .losses),
            signTestP: try c.decode(Double.self, forKey: .signTestP)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(baseline, forKey: .baseline)
        try c.encode(metric, forKey: .metric)
        try c.encode(difference, forKey: .difference)
        try c.encodeIfPresent(interval, forKey: .interval)
        try c.encodeIfPresent(bootstrapP, forKey: .bootstrapP)
        try c.encode(wins, forKey: .wins)
        try c.encode(losses, forKey: .losses)
        try c.encode(signTestP, forKey: .signTestP)
        try c.encode(isSignificant, forKey: .isSignificant)
    }

    /// Model `a` against model `b` by column `j` of their per-case values (the same cases), with the
    /// paired bootstrap when `replicates` (drawn from the models in the same order) are given.
    public static func compare(
        _ a: Int,
        with b: Int,
        names: [String],
        perCase: [PerCaseMetrics],
        column j: Int,
        replicates: Bootstrap.Replicates?
    ) -> PairedComparison {
        let (x, y) = (perCase[a], perCase[b])
        precondition(x.count == y.count && x.names == y.names && x.groups == y.groups, "not the same test cases")
        // The sign test counts units: cases, or groups of cases (a test session) by their net difference.
        let (group, groupCount) = x.groupIndices
        var net = [Double](repeating: 0, count: groupCount)
        for (c, (u, v)) in zip(x.column(j), y.column(j)).enumerated() { net[group[c]] += Double(u) - Double(v) }
        let wins = net.count { $0 > 0 }
        let losses = net.count { $0 < 0 }
        var interval: MetricInterval? = nil
        var bootstrapP: Double? = nil
        if let replicates {
            let d = replicates.differences(model: a, minus: b, column: j)
            interval = Bootstrap.Replicates.percentileInterval(d, level: replicates.level)
            let below = d.count { $0 <= 0 }
            let above = d.count { $0 >= 0 }
            bootstrapP = min(1, 2 * Double(1 + min(below, above)) / Double(d.count + 1))
        }
        return PairedComparison(
            model: names[a],
            baseline: names[b],
            metric: x.names[j],
            difference: x.mean(j) - y.mean(j),
            interval: interval,
            bootstrapP: bootstrapP,
            wins: wins,
            losses: losses,
            signTestP: SignTest.pValue(wins: wins, losses: losses)
        )
    }

    /// Every model against the best by `metric` (the highest mean; the first on ties), in model order,
    /// the best itself left out; empty with fewer than two models or an unknown metric.
    public static func againstBest(
        names: [String],
        perCase: [PerCaseMetrics],
        metric: String,
        replicates: Bootstrap.Replicates?
    ) -> [PairedComparison] {
        guard perCase.count >= 2, let j = perCase[0].column(named: metric) else { return [] }
        let means = perCase.map { $0.mean(j) }
        let best = means.indices.max { means[$0] != means[$1] ? means[$0] < means[$1] : $0 > $1 }!
        return perCase.indices.filter { $0 != best }.map {
            compare($0, with: best, names: names, perCase: perCase, column: j, replicates: replicates)
        }
    }
}
