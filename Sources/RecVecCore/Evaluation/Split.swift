// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One prediction to score: given `history` (oldest first), is `target` recommended?
public struct TestCase: Sendable, Equatable {
    public var history: [Int32]
    public var target: Int32
    /// The test sequence the case comes from when a protocol draws several cases from one sequence
    /// (`session`: every position of a test session), so that the statistics can treat the cases of
    /// one sequence as one unit (``Bootstrap``, ``PairedComparison``); −1: a case of its own.
    public var group = -1
}

/// Training sequences and the test cases held out from them.
public struct Split: Sendable {
    /// What models may learn from.
    public var train: [[Int32]]
    /// Times of the training events, when known (the session protocol needs them again for validation).
    public var trainTimes: [[Double]]?
    public var cases: [TestCase]
    /// Cases that could not be scored, by reason.
    public var skipped: [String: Int]
    /// Items removed from training on purpose (item cold start, `--hide-items`): they stay targets.
    public var hidden: Set<Int32> = []

    public init(train: [[Int32]], trainTimes: [[Double]]?, cases: [TestCase], skipped: [String: Int]) {
        self.train = train
        self.trainTimes = trainTimes
        self.cases = cases
        self.skipped = skipped
    }

    /// Removes every event of `items` from the training sequences (sequences left empty go) and
    /// remembers them as ``hidden``.
    mutating func hide(_ items: Set<Int32>) {
        hidden = items
        var keptTrain: [[Int32]] = []
        var keptTimes: [[Double]] = []
        for (s, sequence) in train.enumerated() {
            let keep = sequence.indices.filter { !items.contains(sequence[$0]) }
            if keep.isEmpty { continue }
            keptTrain.append(keep.map { sequence[$0] })
            if let t = trainTimes?[s] { keptTimes.append(t.isEmpty ? [] : keep.map { t[$0] }) }
        }
        train = keptTrain
        if trainTimes != nil { trainTimes = keptTimes }
    }

    /// Drops cases whose target never occurs in `train` (nobody can recommend it) and counts them;
    /// ``hidden`` items stay targets.
    mutating func dropUnseenTargets(itemCount: Int) {
        var seen = [Bool](repeating: false, count: itemCount)
        for s in train { for i in s { seen[Int(i)] = true } }
        for i in hidden { seen[Int(i)] = true }
        let before = cases.count
        cases.removeAll { !seen[Int($0.target)] }
        if cases.count < before { skipped["target unseen in training", default: 0] += before - cases.count }
    }
}
