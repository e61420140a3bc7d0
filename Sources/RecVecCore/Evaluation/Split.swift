// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One prediction to score: given `history` (oldest first), is `target` recommended?
///
/// The history is a view into the split's flat storage (a leave-last-out case's history is its
/// user's training sequence, a session case's a prefix of its test session), not a copy.
public struct TestCase: Sendable, Equatable {
    public var history: FlatRow<Int32>
    public var target: Int32
    /// The test sequence the case comes from when a protocol draws several cases from one sequence
    /// (`session`: every position of a test session), so that the statistics can treat the cases of
    /// one sequence as one unit (``Bootstrap``, ``PairedComparison``); −1: a case of its own.
    public var group = -1

    public init(history: FlatRow<Int32>, target: Int32, group: Int = -1) {
        self.history = history
        self.target = target
        self.group = group
    }

    /// A case whose history is its own array.
    public init(history: [Int32], target: Int32, group: Int = -1) {
        self.init(history: FlatRow(history), target: target, group: group)
    }
}

/// Training sequences and the test cases held out from them.
public struct Split: Sendable {
    /// What models may learn from.
    public var train: FlatRows<Int32>
    /// Times of the training events, parallel to ``train``, when known (the session protocol needs
    /// them again for validation).
    public var trainTimes: FlatRows<Double>?
    public var cases: [TestCase]
    /// Cases that could not be scored, by reason.
    public var skipped: [String: Int]
    /// Items removed from training on purpose (item cold start, `--hide-items`): they stay targets.
    public var hidden: Set<Int32> = []

    public init(train: FlatRows<Int32>, trainTimes: FlatRows<Double>?, cases: [TestCase], skipped: [String: Int]) {
        precondition(trainTimes.map { $0.isParallel(to: train) } ?? true, "times must be parallel to the sequences")
        self.train = train
        self.trainTimes = trainTimes
        self.cases = cases
        self.skipped = skipped
    }

    /// A split from nested arrays (copied into flat rows).
    public init(train: [[Int32]], trainTimes: [[Double]]?, cases: [TestCase], skipped: [String: Int]) {
        self.init(train: FlatRows(train), trainTimes: trainTimes.map { FlatRows($0) }, cases: cases, skipped: skipped)
    }

    /// Removes every event of `items` from the training sequences (sequences left empty go) and
    /// remembers them as ``hidden``.
    mutating func hide(_ items: Set<Int32>) throws {
        hidden = items
        var keptTrain = try FlatRows<Int32>.Builder(storedLike: train)
        var keptTimes = try FlatRows<Double>.Builder(spilled: train.values.isMapped && trainTimes != nil)
        for (s, sequence) in train.enumerated() {
            let keep = sequence.indices.filter { !items.contains(sequence[$0]) }
            if keep.isEmpty { continue }
            keptTrain.append(keep.lazy.map { sequence[$0] })
            if let t = trainTimes?[s] { keptTimes.append(keep.lazy.map { t[$0] }) }
        }
        train = try keptTrain.finish()
        if trainTimes != nil { trainTimes = try keptTimes.finish() }
    }

    /// Why the cases a sample leaves out are counted in ``skipped``.
    public static let outsideSample = "outside the sample of test cases"

    /// Keeps a uniform random sample of about `limit` cases, in their order, and counts the others
    /// in ``skipped``: single cases are drawn without replacement; the cases of one
    /// ``TestCase/group`` (a test session) are drawn together, whole groups until `limit` cases
    /// are reached, so the last one may take the count past it. Training is untouched: the sample
    /// estimates the metrics of scoring every case. Nothing happens when there are at most `limit`.
    mutating func sample(atMost limit: Int, seed: UInt64) {
        guard cases.count > limit else { return }
        // The units drawn: a group's cases together, or one case.
        var unitOf = [Int](repeating: 0, count: cases.count)
        var unitOfGroup: [Int: Int] = [:]
        var units = 0
        for (i, c) in cases.enumerated() {
            if c.group >= 0, let u = unitOfGroup[c.group] {
                unitOf[i] = u
                continue
            }
            if c.group >= 0 { unitOfGroup[c.group] = units }
            unitOf[i] = units
            units += 1
        }
        var size = [Int](repeating: 0, count: units)
        for u in unitOf { size[u] += 1 }
        let kept = Self.sampledUnits(units, size: { size[$0] }, limit: limit, seed: seed)
        let before = cases.count
        cases = cases.indices.filter { kept[unitOf[$0]] }.map { cases[$0] }
        skipped[Self.outsideSample, default: 0] += before - cases.count
    }

    /// Which of `units` units (unit `u` holds `size(u)` cases) a uniform sample of about `limit`
    /// cases keeps: whole units drawn without replacement until `limit` cases are reached.
    static func sampledUnits(_ units: Int, size: (Int) -> Int, limit: Int, seed: UInt64) -> [Bool] {
        // A partial Fisher–Yates shuffle: the first k units drawn are a uniform sample.
        var rng = FastRandom(seed: seed ^ 0x7E57_CA5E_5A3B_1E00)
        var order = Array(0..<units)
        var kept = [Bool](repeating: false, count: units)
        var taken = 0
        var k = 0
        while taken < limit && k < units {
            order.swapAt(k, k + rng.next(below: units - k))
            kept[order[k]] = true
            taken += size(order[k])
            k += 1
        }
        return kept
    }

    /// Drops cases whose target never occurs in `train` (nobody can recommend it) and counts them;
    /// ``hidden`` items stay targets.
    mutating func dropUnseenTargets(itemCount: Int) {
        let seen = seenTargets(itemCount: itemCount)
        let before = cases.count
        cases.removeAll { !seen[Int($0.target)] }
        if cases.count < before { skipped[Self.unseenTarget, default: 0] += before - cases.count }
    }

    /// Why cases whose target training never shows are counted in ``skipped``.
    static let unseenTarget = "target unseen in training"

    /// Which items may be targets: those `train` shows, and the ``hidden`` ones.
    func seenTargets(itemCount: Int) -> [Bool] {
        var seen = [Bool](repeating: false, count: itemCount)
        train.values.forEachChunk { chunk, _ in for i in chunk { seen[Int(i)] = true } }
        for i in hidden { seen[Int(i)] = true }
        return seen
    }
}

/// Test cases kept small — a row, a target and for session cases a prefix length, 8 or 12 bytes
/// each — until dropping and sampling have chosen the ones to score: a ``TestCase`` costs 64 bytes,
/// and leave-last-out holds out one case per user (137 MB for 2.1 M users before `--test-cases`
/// keeps 2,000 of them), the session protocol one per event of every test session.
struct CompactCases {
    /// The rows the histories are taken from.
    let histories: FlatRows<Int32>
    private(set) var rows: [Int32] = []
    private(set) var targets: [Int32] = []
    /// Session cases: case `i`'s history is the first `lengths[i]` items of its row, and the cases
    /// of one row are one ``TestCase/group`` (numbered by the row). Empty: every history is a
    /// whole row and every case a unit of its own.
    private(set) var lengths: [Int32] = []

    /// No cases yet; their histories will be rows of `histories`.
    init(histories: FlatRows<Int32>) {
        self.histories = histories
    }

    /// Cases whose histories are whole rows: case `i` is row `rows[i]` predicting `targets[i]`.
    init(histories: FlatRows<Int32>, rows: [Int32], targets: [Int32]) {
        precondition(rows.count == targets.count, "one target a row")
        self.histories = histories
        self.rows = rows
        self.targets = targets
    }

    /// Adds every prefix of `row` as a case predicting the item after it (a test session).
    mutating func appendPrefixes(of row: Int) {
        precondition(rows.count == lengths.count, "whole-row and prefix cases do not mix")
        let s = histories[row]
        for j in 1..<max(1, s.count) {
            rows.append(Int32(row))
            lengths.append(Int32(j))
            targets.append(s[j])
        }
    }

    /// Drops the cases whose target is not `seen`, counting them in `skipped` as
    /// ``Split/dropUnseenTargets(itemCount:)`` does.
    mutating func dropUnseen(_ seen: [Bool], skipped: inout [String: Int]) {
        let before = rows.count
        keep { _, target in seen[Int(target)] }
        if rows.count < before { skipped[Split.unseenTarget, default: 0] += before - rows.count }
    }

    /// Keeps the sample of ``Split/sample(atMost:seed:)``: every case a unit of its own, or for
    /// session cases every row's cases one unit, numbered in order as that function numbers groups.
    mutating func sample(atMost limit: Int, seed: UInt64, skipped: inout [String: Int]) {
        guard rows.count > limit else { return }
        let before = rows.count
        if lengths.isEmpty {
            let kept = Split.sampledUnits(rows.count, size: { _ in 1 }, limit: limit, seed: seed)
            keep { i, _ in kept[i] }
        } else {
            // Units are the runs of one row's cases; `ends[u]` is where run `u` stops.
            var ends: [Int] = []
            for i in rows.indices where i + 1 == rows.count || rows[i + 1] != rows[i] { ends.append(i + 1) }
            let kept = Split.sampledUnits(
                ends.count,
                size: { ends[$0] - ($0 == 0 ? 0 : ends[$0 - 1]) },
                limit: limit,
                seed: seed
            )
            var unit = 0
            keep { i, _ in
                if i == ends[unit] { unit += 1 }
                return kept[unit]
            }
        }
        skipped[Split.outsideSample, default: 0] += before - rows.count
    }

    /// Keeps the cases for which `isKept(i, target)` holds (asked once each, in order), in order.
    private mutating func keep(_ isKept: (_ index: Int, _ target: Int32) -> Bool) {
        var kept = 0
        for i in rows.indices where isKept(i, targets[i]) {
            rows[kept] = rows[i]
            targets[kept] = targets[i]
            if !lengths.isEmpty { lengths[kept] = lengths[i] }
            kept += 1
        }
        let dropped = rows.count - kept
        rows.removeLast(dropped)
        targets.removeLast(dropped)
        if !lengths.isEmpty { lengths.removeLast(dropped) }
    }

    /// The cases, their histories views of ``histories``.
    func cases() -> [TestCase] {
        if lengths.isEmpty {
            return zip(rows, targets).map { TestCase(history: histories[Int($0)], target: $1) }
        }
        return rows.indices.map { i in
            let row = Int(rows[i])
            return TestCase(history: histories[row].prefix(Int(lengths[i])), target: targets[i], group: row)
        }
    }
}
