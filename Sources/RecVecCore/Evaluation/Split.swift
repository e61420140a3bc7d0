// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One prediction to score: given `history` (oldest first), is `target` recommended?
public struct TestCase: Sendable, Equatable {
    public var history: [Int32]
    public var target: Int32
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

    public init(train: [[Int32]], trainTimes: [[Double]]?, cases: [TestCase], skipped: [String: Int]) {
        self.train = train
        self.trainTimes = trainTimes
        self.cases = cases
        self.skipped = skipped
    }

    /// Drops cases whose target never occurs in `train` (nobody can recommend it) and counts them.
    mutating func dropUnseenTargets(itemCount: Int) {
        var seen = [Bool](repeating: false, count: itemCount)
        for s in train { for i in s { seen[Int(i)] = true } }
        let before = cases.count
        cases.removeAll { !seen[Int($0.target)] }
        if cases.count < before { skipped["target unseen in training", default: 0] += before - cases.count }
    }
}
