// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// How test cases are held out. Each protocol is applied twice: to the data (test split) and then
/// to the training part alone (validation split), so tuning never sees the test.
public enum EvaluationProtocol: String, Sendable, Codable, CaseIterable {
    /// Each user's last event (by time) is the target, the user's earlier events the history;
    /// users with fewer than `minEvents` events are skipped and counted.
    case leaveLastOut = "leave-last-out"
    /// Sessions that start in the last `testDays` days are the test; every position of a test
    /// session predicts the next item from its prefix (Ludewig & Jannach 2018).
    case session
    /// A random `testFraction` of baskets is the test; one random item of each (of ≥ 2 items) is the
    /// target, the rest the history.
    case basket
    /// Caselles-Dupré et al. 2018: every sequence minus its last item trains; for `testSequences`
    /// random sequences, the second-to-last item is the query and the last the target (a hit also
    /// when the target equals the query); repeated `repeats` times.
    case nextEvent = "next-event"

    /// Whether the items of the history are excluded from the recommendations by default.
    public var excludesHistoryByDefault: Bool {
        switch self {
        case .leaveLastOut, .basket: return true
        case .session, .nextEvent: return false
        }
    }
}

/// Parameters of the protocols, with their defaults.
public struct ProtocolOptions: Sendable, Equatable {
    /// leave-last-out: users with fewer events are skipped. Default 3.
    public var minEvents = 3
    /// session: the test period, in days. Default 1.
    public var testDays = 1.0
    /// basket: the fraction of baskets held out. Default 0.2.
    public var testFraction = 0.2
    /// next-event: how many random sequences are tested. Default 1000.
    public var testSequences = 1000
    /// next-event: independent repetitions. Default 1.
    public var repeats = 1
    /// Every protocol: score a seeded random sample of about this many test cases (under `session`
    /// whole test sessions, drawn until this many cases are reached) instead of all of them — for
    /// logs whose every user or session would take hours to score exactly. The others are counted
    /// as skipped; training is the same. `nil` (default): every case.
    public var maxTestCases: Int? = nil
    /// Item cold start: this fraction of the items (chosen at random) has all its events removed
    /// from training, while it stays a test target and may appear in test histories — the items
    /// a content model must place without behaviour. Default 0.
    public var hideItems = 0.0
    public var seed: UInt64 = 1

    public init() {}

    public func validate() throws {
        if minEvents < 2 { throw ConfigurationError(setting: "min_events", "must be at least 2") }
        if !(testDays > 0) { throw ConfigurationError(setting: "test_days", "must be positive") }
        if !(testFraction > 0 && testFraction < 1) {
            throw ConfigurationError(setting: "test_fraction", "must be in (0, 1)")
        }
        if testSequences < 1 { throw ConfigurationError(setting: "test_sequences", "must be at least 1") }
        if repeats < 1 { throw ConfigurationError(setting: "repeats", "must be at least 1") }
        if let m = maxTestCases, m < 1 { throw ConfigurationError(setting: "test_cases", "must be at least 1") }
        if !(hideItems >= 0 && hideItems < 1) { throw ConfigurationError(setting: "hide_items", "must be in [0, 1)") }
    }
}

/// Splits interactions by a protocol.
public enum Splitter {
    /// Holds out test cases from `data` (`repeatIndex` varies the random choices of next-event).
    public static func split(
        _ data: Interactions,
        protocol p: EvaluationProtocol,
        options: ProtocolOptions,
        repeatIndex: Int = 0
    ) throws -> Split {
        try options.validate()
        var rng = FastRandom(seed: options.seed &+ UInt64(repeatIndex) &* 0x9E37_79B9_7F4A_7C15)
        var split: Split
        var compactCases: CompactCases?
        switch p {
        case .leaveLastOut:
            (split, compactCases) = try leaveLastOut(data, minEvents: options.minEvents)
        case .session:
            guard let times = data.times else {
                throw ConfigurationError(
                    setting: "protocol",
                    "session needs event times; this data has none (read an event log with a time column)"
                )
            }
            (split, compactCases) = try session(data.sequences, times: times, testDays: options.testDays)
        case .basket:
            split = try basket(data.sequences, fraction: options.testFraction, rng: &rng)
        case .nextEvent:
            split = try nextEvent(data.sequences, testSequences: options.testSequences, rng: &rng)
        }
        try finish(
            &split,
            compactCases: compactCases,
            itemCount: data.items.count,
            options: options,
            rng: &rng,
            orElse: {
                ConfigurationError(setting: "protocol", "\(p.rawValue) left no test case (skipped: \($0.skipped))")
            }
        )
        return split
    }

    /// What every split goes through once its cases are drawn: items hidden from training
    /// (`hideItems`), cases whose target training never shows dropped, the sample of
    /// `maxTestCases`; `error(split)` thrown when no case is left. `compactCases` are cases still to
    /// be made (their histories are not touched by hiding items).
    private static func finish(
        _ split: inout Split,
        compactCases: CompactCases? = nil,
        itemCount: Int,
        options: ProtocolOptions,
        rng: inout FastRandom,
        orElse error: (Split) -> ConfigurationError
    ) throws {
        if options.hideItems > 0 {
            try split.hide(hiddenItems(count: itemCount, fraction: options.hideItems, seed: options.seed))
        }
        if var compactCases {
            compactCases.dropUnseen(split.seenTargets(itemCount: itemCount), skipped: &split.skipped)
            if let m = options.maxTestCases {
                compactCases.sample(atMost: m, seed: rng.next(), skipped: &split.skipped)
            }
            split.cases = compactCases.cases()
        } else {
            split.dropUnseenTargets(itemCount: itemCount)
            if let m = options.maxTestCases { split.sample(atMost: m, seed: rng.next()) }
        }
        if split.cases.isEmpty { throw error(split) }
    }

    /// Test cases from a given test file (`test`, already in the training data's item index):
    /// session-style cases (every position predicts the next item) for `.session`,
    /// one held-out random item per basket for `.basket`, the last event for `.leaveLastOut`.
    public static func split(
        train: Interactions,
        test: Interactions,
        protocol p: EvaluationProtocol,
        options: ProtocolOptions
    ) throws -> Split {
        var rng = FastRandom(seed: options.seed)
        var cases: [TestCase] = []
        var skipped: [String: Int] = [:]
        var baskets = FlatRows<Int32>.Builder()  // basket histories: the basket less its target
        var basketCases: [Int] = []
        // Session cases stay compact (a test file's sessions give one case an event) until drawn.
        var sessionCases = p == .session ? CompactCases(histories: test.sequences) : nil
        for (t, s) in test.sequences.enumerated() {
            switch p {
            case .session:
                if s.count < 2 {
                    skipped["test session of one event", default: 0] += 1
                    continue
                }
                sessionCases?.appendPrefixes(of: t)
            case .basket:
                if s.count < 2 {
                    skipped["test basket of one item", default: 0] += 1
                    continue
                }
                let k = rng.next(below: s.count)
                baskets.append(s.indices.lazy.filter { $0 != k }.map { s[$0] })
                basketCases.append(cases.count)
                cases.append(TestCase(history: [], target: s[k]))
            case .leaveLastOut, .nextEvent:
                if s.count < 2 {
                    skipped["test sequence of one event", default: 0] += 1
                    continue
                }
                let history = p == .nextEvent ? FlatRow([s[s.count - 2]]) : s.droppingLast()
                cases.append(TestCase(history: history, target: s[s.count - 1]))
            }
        }
        let histories = baskets.rows
        for (b, c) in basketCases.enumerated() { cases[c].history = histories[b] }
        var split = Split(train: train.sequences, trainTimes: train.times, cases: cases, skipped: skipped)
        try finish(
            &split,
            compactCases: sessionCases,
            itemCount: max(train.items.count, test.items.count),
            options: options,
            rng: &rng,
            orElse: { _ in ConfigurationError(setting: "test", "the test file gave no test case") }
        )
        return split
    }

    /// The test split of `data`, or of the given `test` file when there is one (already in `data`'s
    /// item index), and the item strings of that index.
    public static func split(
        _ data: Interactions,
        test: Interactions?,
        protocol p: EvaluationProtocol,
        options: ProtocolOptions,
        repeatIndex: Int = 0
    ) throws -> (split: Split, items: [String]) {
        if let test {
            let items = test.items.count > data.items.count ? test.items : data.items
            return (try split(train: data, test: test, protocol: p, options: options), items)
        }
        return (try split(data, protocol: p, options: options, repeatIndex: repeatIndex), data.items)
    }

    /// A random `fraction` of the item ids `0..<count` (at least one), fixed by `seed`.
    static func hiddenItems(count: Int, fraction: Double, seed: UInt64) -> Set<Int32> {
        var rng = FastRandom(seed: seed ^ 0x41DD_E17E)
        var ids = Array(0..<Int32(count))
        let n = max(1, Int((Double(count) * fraction).rounded()))
        for i in 0..<min(n, count) { ids.swapAt(i, i + rng.next(below: count - i)) }
        return Set(ids.prefix(n))
    }

    /// The validation split: the same protocol applied to the training part of `split`.
    public static func validation(
        of split: Split,
        items: [String],
        protocol p: EvaluationProtocol,
        options: ProtocolOptions
    ) throws -> Split {
        var o = options
        o.seed = options.seed ^ 0x0A11_DA7E
        o.hideItems = 0  // hidden items are already absent from the training part
        do {
            return try Self.split(
                Interactions(items: items, sequences: split.train, times: split.trainTimes),
                protocol: p,
                options: o
            )
        } catch let e as ConfigurationError {
            // Said as what it is: the test split worked; the one carved from its training part did not.
            var message = "the validation split (\(p.rawValue) applied to the training part) failed: \(e.message)"
            if p == .session, e.setting == "protocol" {
                message +=
                    "; the validation sessions are those of the training part that start in the last \(options.testDays) days of it, "
                    + "and sequences that span the log (a user's history read as one session) start too early: "
                    + "cut them with --session-column or --session-gap, or give a larger --test-days"
            }
            throw ConfigurationError(setting: e.setting, message)
        }
    }

    /// The training part and the held-out last events (made into cases by ``finish``).
    static func leaveLastOut(_ data: Interactions, minEvents: Int) throws -> (Split, CompactCases) {
        // The training part of a mapped corpus goes to mapped temporary files too.
        let spilled = data.sequences.values.isMapped
        var train = try FlatRows<Int32>.Builder(spilled: spilled)
        var trainTimes = try FlatRows<Double>.Builder(spilled: spilled && data.times != nil)
        train.reserve(values: data.sequences.valueCount, rows: data.sequences.count)
        if data.times != nil { trainTimes.reserve(values: data.sequences.valueCount, rows: data.sequences.count) }
        var rows: [Int32] = []
        var targets: [Int32] = []
        rows.reserveCapacity(data.sequences.count)
        targets.reserveCapacity(data.sequences.count)
        var skipped = 0
        data.sequences.forEachRow(alongside: data.times) { u, s in
            let times = data.times?[u]
            if s.count < minEvents {
                skipped += 1
                train.append(s)
                if let times { trainTimes.append(times) }
                return
            }
            rows.append(Int32(train.count))
            targets.append(s[s.count - 1])
            train.append(s.droppingLast())
            if let times { trainTimes.append(times.droppingLast()) }
        }
        // The history is the user's training sequence: a view of the same storage.
        let split = Split(
            train: try train.finish(),
            trainTimes: data.times == nil ? nil : try trainTimes.finish(),
            cases: [],
            skipped: skipped > 0 ? ["user with fewer than \(minEvents) events": skipped] : [:]
        )
        return (split, CompactCases(histories: split.train, rows: rows, targets: targets))
    }

    /// The sessions that start before the last `testDays` days, and the prefix cases of the others.
    static func session(
        _ sequences: FlatRows<Int32>,
        times: FlatRows<Double>,
        testDays: Double
    ) throws -> (Split, CompactCases) {
        // The last time of all, found by a walk that gives mapped pages back as it goes.
        var last: Double?
        times.forEachRow { _, t in
            if let l = t.last { last = max(last ?? l, l) }
        }
        let cut = (last ?? 0) - testDays * 86_400
        var train = try FlatRows<Int32>.Builder(storedLike: sequences)
        var trainTimes = try FlatRows<Double>.Builder(storedLike: times)
        var tested = CompactCases(histories: sequences)
        var skipped: [String: Int] = [:]
        sequences.forEachRow(alongside: times) { i, s in
            guard let start = times[i].first else { return }
            if start < cut {
                train.append(s)
                trainTimes.append(times[i])
            } else if s.count < 2 {
                skipped["test session of one event", default: 0] += 1
            } else {
                // Every prefix of the session is a history (made a view of the data's storage later).
                tested.appendPrefixes(of: i)
            }
        }
        if train.count == 0 {
            throw ConfigurationError(
                setting: "test_days",
                "every session falls in the last \(testDays) days; nothing is left to train on"
            )
        }
        let split = Split(train: try train.finish(), trainTimes: try trainTimes.finish(), cases: [], skipped: skipped)
        return (split, tested)
    }

    static func basket(_ sequences: FlatRows<Int32>, fraction: Double, rng: inout FastRandom) throws -> Split {
        var train = try FlatRows<Int32>.Builder(storedLike: sequences)
        var histories = try FlatRows<Int32>.Builder(storedLike: sequences)
        var targets: [Int32] = []
        var skipped = 0
        for s in sequences {
            if Double(rng.nextUnitFloat()) >= fraction {
                train.append(s)
            } else if s.count < 2 {
                skipped += 1
                train.append(s)
            } else {
                let k = rng.next(below: s.count)
                histories.append(s.indices.lazy.filter { $0 != k }.map { s[$0] })
                targets.append(s[k])
            }
        }
        let rows = try histories.finish()
        return Split(
            train: try train.finish(),
            trainTimes: nil,
            cases: zip(rows, targets).map { TestCase(history: $0, target: $1) },
            skipped: skipped > 0 ? ["test basket of one item (kept for training)": skipped] : [:]
        )
    }

    static func nextEvent(_ sequences: FlatRows<Int32>, testSequences: Int, rng: inout FastRandom) throws -> Split {
        var train = try FlatRows<Int32>.Builder(storedLike: sequences)
        for s in sequences where s.count >= 2 { train.append(s.droppingLast()) }
        var eligible = sequences.indices.filter { sequences[$0].count >= 2 }
        // Partial Fisher–Yates: the first `testSequences` are a uniform sample.
        let n = min(testSequences, eligible.count)
        for i in 0..<n { eligible.swapAt(i, i + rng.next(below: eligible.count - i)) }
        let cases = eligible.prefix(n).map { i in
            let s = sequences[i]
            return TestCase(history: FlatRow([s[s.count - 2]]), target: s[s.count - 1])
        }
        return Split(train: try train.finish(), trainTimes: nil, cases: Array(cases), skipped: [:])
    }
}
