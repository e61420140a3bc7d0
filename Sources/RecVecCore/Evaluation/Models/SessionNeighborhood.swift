// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The training sessions of the session-kNN models (``VSKNNModel``, ``STANModel``), most recent
/// first, with an inverted index from items to the sessions that contain them.
///
/// Sessions are renumbered by recency — the time of their last event when the data has times,
/// otherwise their order in the file (later = more recent) — so session 0 is the most recent and
/// every posting list is sorted most recent first: the `sample` most recent sessions sharing an
/// item with a history are a prefix of each list.
struct SessionNeighborhood: Sendable {
    /// Session s's distinct items are `members[offsets[s]..<offsets[s + 1]]`.
    var offsets: [Int] = [0]
    var members: [Int32] = []
    /// The 1-based position of each member's last occurrence in its session (parallel to `members`).
    var lastPositions: [Int32] = []
    /// Each session's time (its last event's), or `nil` when the data has no times.
    var times: [Double]? = nil
    /// The latest training time (the recency reference), 0 without times.
    var latestTime = 0.0
    /// Item i's sessions are `postings[postingOffsets[i]..<postingOffsets[i + 1]]`, most recent first.
    var postingOffsets: [Int] = [0]
    var postings: [Int32] = []

    init() {}

    init(_ data: TrainingData) {
        let order = Self.recencyOrder(data)
        var offsets = [0]
        var members: [Int32] = []
        var lastPositions: [Int32] = []
        var last: [Int32: Int32] = [:]
        for s in order {
            let sequence = data.sequences[s]
            last.removeAll(keepingCapacity: true)
            for (p, item) in sequence.enumerated() { last[item] = Int32(p + 1) }
            for (item, p) in last.sorted(by: { $0.key < $1.key }) {
                members.append(item)
                lastPositions.append(p)
            }
            offsets.append(members.count)
        }
        self.offsets = offsets
        self.members = members
        self.lastPositions = lastPositions
        if let t = data.times {
            let sessionTimes = order.map { t[$0].max() ?? 0 }
            times = sessionTimes
            latestTime = sessionTimes.max() ?? 0
        }
        var counts = [Int](repeating: 0, count: data.items.count + 1)
        for item in members { counts[Int(item) + 1] += 1 }
        for i in 0..<data.items.count { counts[i + 1] += counts[i] }
        var fill = counts
        var postings = [Int32](repeating: 0, count: members.count)
        for s in 0..<(offsets.count - 1) {
            for m in offsets[s]..<offsets[s + 1] {
                let item = Int(members[m])
                postings[fill[item]] = Int32(s)
                fill[item] += 1
            }
        }
        postingOffsets = counts
        self.postings = postings
    }

    /// The non-empty training sequences, most recent first (ties: the later in the file first).
    static func recencyOrder(_ data: TrainingData) -> [Int] {
        let kept = data.sequences.indices.filter { !data.sequences[$0].isEmpty }
        guard let t = data.times else { return kept.reversed() }
        let last = kept.map { t[$0].max() ?? 0 }
        return kept.indices.sorted { last[$0] != last[$1] ? last[$0] > last[$1] : $0 > $1 }.map { kept[$0] }
    }

    var sessionCount: Int { offsets.count - 1 }

    /// The `sample` most recent sessions that share an item with `items` (distinct items, each
    /// within the index), in increasing session number (most recent first).
    func candidates(sharing items: [Int32], sample: Int) -> [Int32] {
        var all: [Int32] = []
        for item in items where Int(item) + 1 < postingOffsets.count {
            let lo = postingOffsets[Int(item)]
            let hi = min(postingOffsets[Int(item) + 1], lo + sample)
            all.append(contentsOf: postings[lo..<hi])
        }
        if items.count > 1 { all.sort() }
        var out: [Int32] = []
        out.reserveCapacity(min(all.count, sample))
        for s in all where out.last != s {
            out.append(s)
            if out.count == sample { break }
        }
        return out
    }

    /// The history's distinct items within the index, each with the 1-based position of its last
    /// click; the position is also written into `scratch[item]` (which must hold −∞ there, and is
    /// read back by ``overlap(session:scratch:)``).
    func markHistory(_ history: [Int32], scratch: inout [Float]) -> [Int32] {
        var distinct: [Int32] = []
        for (p, item) in history.enumerated() where Int(item) < scratch.count {
            if scratch[Int(item)] == -.infinity { distinct.append(item) }
            scratch[Int(item)] = Float(p + 1)
        }
        return distinct
    }

    /// Resets what ``markHistory(_:scratch:)`` wrote.
    func unmark(_ distinct: [Int32], scratch: inout [Float]) {
        for item in distinct { scratch[Int(item)] = -.infinity }
    }
}
