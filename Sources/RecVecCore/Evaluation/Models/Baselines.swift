// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Recommends the most frequent training items to everyone.
public struct PopularityModel: RecommenderModel {
    public let name = PopularityDefinition.name.rawValue
    public var config: [String: String] { [:] }
    var counts: [Int] = []

    public init() {}

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws { counts = data.counts }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        for (i, c) in counts.enumerated() where c > 0 { scores[i] = Float(c) }
        return true
    }
}

/// Item-kNN over co-occurrence counts: items are similar when they occur in the same sequence
/// (or within `window` positions), normalized by cosine, c(i, j) / √(n(i) · n(j)). A history's score
/// for j is the recency-weighted sum of its items' similarities to j.
public struct CooccurrenceModel: RecommenderModel {
    public let name = CooccurrenceDefinition.name.rawValue
    /// Co-occurrence within this many positions; 0 = anywhere in the same sequence.
    public var window: Int
    public var weighting: HistoryWeighting
    var rows = SparseRows(count: 0)

    public init(window: Int = 0, weighting: HistoryWeighting = .init()) {
        self.window = window
        self.weighting = weighting
    }

    public var config: [String: String] {
        ["window": String(window), "last_n": String(weighting.lastN), "decay": String(weighting.decay)]
    }

    /// One row at a time: the item's occurrences (from an inverted index) add their window
    /// neighbours into a dense scratch row, which is then read out sparsely — O(Σ pairs), no hashing.
    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        let n = data.items.count
        var occurrences = [[(sequence: Int32, position: Int32)]](repeating: [], count: n)
        for (s, seq) in data.sequences.enumerated() {
            for (p, item) in seq.enumerated() { occurrences[Int(item)].append((Int32(s), Int32(p))) }
        }
        let norms = data.counts.map { Float(max(1, $0)) }
        var dense = [Float](repeating: 0, count: n)
        var touched: [Int32] = []
        var result = SparseRows(count: n)
        for a in 0..<n where !occurrences[a].isEmpty {
            for (s, p) in occurrences[a] {
                let seq = data.sequences[Int(s)]
                let position = Int(p)
                let lo = window > 0 ? max(0, position - window) : 0
                let hi = window > 0 ? min(seq.count, position + window + 1) : seq.count
                for q in lo..<hi where q != position {
                    let b = Int(seq[q])
                    if b == a { continue }
                    if dense[b] == 0 { touched.append(Int32(b)) }
                    dense[b] += 1
                }
            }
            touched.sort()
            result.ids[a] = touched
            result.values[a] = touched.map { dense[Int($0)] / (norms[a] * norms[Int($0)]).squareRoot() }
            for b in touched { dense[Int(b)] = 0 }
            touched.removeAll(keepingCapacity: true)
        }
        rows = result
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        var any = false
        for (i, w) in weighting.weights(count: history.count)
        where rows.accumulate(row: history[i], weight: w, into: &scores) {
            any = true
        }
        return any
    }
}

/// First-order Markov chain / sequential rules: the items that followed the history's last item
/// in training, by transition frequency.
public struct MarkovModel: RecommenderModel {
    public let name = MarkovDefinition.name.rawValue
    public var config: [String: String] { [:] }
    var rows = SparseRows(count: 0)

    public init() {}

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        var counts = [[Int32: Float]](repeating: [:], count: data.items.count)
        for s in data.sequences where s.count >= 2 {
            for p in 1..<s.count { counts[Int(s[p - 1])][s[p], default: 0] += 1 }
        }
        rows = SparseRows(counts)
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        // The last item with known successors.
        for item in history.reversed() where rows.accumulate(row: item, weight: 1, into: &scores) { return true }
        return false
    }
}

/// Session-based kNN (Jannach & Ludewig 2017): the `neighbors` training sequences most similar to the
/// history (cosine of item sets), among the `sampleSize` most recent ones sharing an item with it;
/// an item scores the summed similarity of the neighbours that contain it.
public struct SessionKNNModel: RecommenderModel {
    public let name = SessionKNNDefinition.name.rawValue
    public var neighbors: Int
    public var sampleSize: Int
    public var weighting: HistoryWeighting
    var sessions: [[Int32]] = []
    var index: [[Int32]] = []

    public init(neighbors: Int = 100, sampleSize: Int = 1000, weighting: HistoryWeighting = .init(lastN: 0)) {
        self.neighbors = neighbors
        self.sampleSize = sampleSize
        self.weighting = weighting
    }

    public var config: [String: String] {
        ["neighbors": String(neighbors), "sample": String(sampleSize), "last_n": String(weighting.lastN)]
    }

    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        sessions = data.sequences.map { Array(Set($0)).sorted() }
        index = Array(repeating: [], count: data.items.count)
        for (s, items) in sessions.enumerated() { for i in items { index[Int(i)].append(Int32(s)) } }
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        let current = Set(weighting.weights(count: history.count).map { history[$0.index] })
        if current.isEmpty { return false }
        // Candidate sessions: for each item, its most recent sessions (higher index = later in the file).
        var overlap: [Int32: Int] = [:]
        let perItem = max(1, sampleSize / current.count)
        for item in current where Int(item) < index.count {
            for s in index[Int(item)].suffix(perItem) { overlap[s, default: 0] += 1 }
        }
        if overlap.isEmpty { return false }
        var best = TopK(k: neighbors)
        let norm = Float(current.count).squareRoot()
        for (s, o) in overlap { best.offer(Float(o) / (norm * Float(sessions[Int(s)].count).squareRoot()), s) }
        for n in best.sorted() {
            for j in sessions[Int(n.id)] {
                let old = scores[Int(j)]
                scores[Int(j)] = (old == -.infinity ? 0 : old) + n.score
            }
        }
        return true
    }
}
