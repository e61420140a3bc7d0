// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// A sparse users × items matrix of interaction strengths r_ui (how often, or how much, user u
/// interacted with item i), kept twice: by user (compressed sparse rows) and by item (the
/// transpose), since ALS sweeps both ways.
///
/// Within a row, ids are sorted and distinct; repeated interactions of one pair are summed.
public struct UserItemMatrix: Sendable {
    public let userCount: Int
    public let itemCount: Int
    /// `userOffsets[u]..<userOffsets[u + 1]` indexes user u's entries in `userItems`/`userValues`.
    public let userOffsets: [Int]
    public let userItems: [Int32]
    public let userValues: [Float]
    /// `itemOffsets[i]..<itemOffsets[i + 1]` indexes item i's entries in `itemUsers`/`itemValues`.
    public let itemOffsets: [Int]
    public let itemUsers: [Int32]
    public let itemValues: [Float]

    /// Number of (user, item) pairs with an interaction.
    public var nonZeroCount: Int { userItems.count }

    /// Builds the matrix from sequences of item ids: sequence s belongs to user `sequenceUsers[s]`
    /// (each sequence its own user when `sequenceUsers` is empty); each token adds its weight
    /// (`weights`, parallel to the tokens) or 1 to r_ui. Ids outside `0..<itemCount` are skipped.
    public init(
        sequences: Sequences,
        sequenceUsers: [Int32],
        userCount: Int,
        itemCount: Int,
        weights: FlatArray<Float>? = nil
    ) {
        precondition(sequenceUsers.isEmpty || sequenceUsers.count == sequences.count, "one user per sequence")
        precondition(weights == nil || weights!.count == sequences.tokenCount, "one weight per token")
        let users = sequenceUsers.isEmpty ? sequences.count : userCount
        self.userCount = users
        self.itemCount = itemCount
        func user(_ s: Int) -> Int { sequenceUsers.isEmpty ? s : Int(sequenceUsers[s]) }

        // Group the tokens by user (counting sort), then sort and merge each user's items.
        var start = [Int](repeating: 0, count: users + 1)
        for s in 0..<sequences.count {
            start[user(s) + 1] += sequences.offsets[s + 1] - sequences.offsets[s]
        }
        for u in 0..<users { start[u + 1] += start[u] }
        var fill = start
        var grouped = [(item: Int32, value: Float)](repeating: (0, 0), count: sequences.tokenCount)
        for s in 0..<sequences.count {
            let u = user(s)
            for t in sequences.offsets[s]..<sequences.offsets[s + 1] {
                grouped[fill[u]] = (sequences.tokens[t], weights?[t] ?? 1)
                fill[u] += 1
            }
        }
        var offsets = [0]
        offsets.reserveCapacity(users + 1)
        var items: [Int32] = []
        var values: [Float] = []
        items.reserveCapacity(sequences.tokenCount)
        values.reserveCapacity(sequences.tokenCount)
        for u in 0..<users {
            grouped[start[u]..<start[u + 1]].sort { $0.item < $1.item }
            for e in grouped[start[u]..<start[u + 1]] where e.item >= 0 && Int(e.item) < itemCount {
                if items.count > offsets[u] && items[items.count - 1] == e.item {
                    values[values.count - 1] += e.value
                } else {
                    items.append(e.item)
                    values.append(e.value)
                }
            }
            offsets.append(items.count)
        }
        userOffsets = offsets
        userItems = items
        userValues = values

        // The transpose; users come out sorted within each item because they are visited in order.
        var itemStart = [Int](repeating: 0, count: itemCount + 1)
        for i in items { itemStart[Int(i) + 1] += 1 }
        for i in 0..<itemCount { itemStart[i + 1] += itemStart[i] }
        var itemFill = itemStart
        var byItemUsers = [Int32](repeating: 0, count: items.count)
        var byItemValues = [Float](repeating: 0, count: items.count)
        for u in 0..<users {
            for e in offsets[u]..<offsets[u + 1] {
                let i = Int(items[e])
                byItemUsers[itemFill[i]] = Int32(u)
                byItemValues[itemFill[i]] = values[e]
                itemFill[i] += 1
            }
        }
        itemOffsets = itemStart
        itemUsers = byItemUsers
        itemValues = byItemValues
    }

    /// Builds the matrix from nested arrays: `rows[u]` lists user u's items (repeats add up).
    public init(rows: [[Int32]], itemCount: Int) {
        self.init(sequences: Sequences(rows), sequenceUsers: [], userCount: rows.count, itemCount: itemCount)
    }

    /// The users of a corpus: its sequence ids (``Corpus/documents``: users or sessions of an event
    /// log, so a user's several sessions make one row), items = the corpus vocabulary, r_ui = the
    /// number of events (or the summed event weights).
    public init(corpus: Corpus) {
        let hasIDs = corpus.sequenceDocuments.count == corpus.sequences.count && !corpus.documents.isEmpty
        self.init(
            sequences: corpus.sequences,
            sequenceUsers: hasIDs ? corpus.sequenceDocuments : [],
            userCount: hasIDs ? corpus.documents.count : corpus.sequences.count,
            itemCount: corpus.vocabulary.count,
            weights: corpus.weights
        )
    }

    /// Whether user u has interacted with item i (binary search in the sorted row).
    @inline(__always)
    public func contains(user u: Int, item i: Int32) -> Bool {
        var lo = userOffsets[u]
        var hi = userOffsets[u + 1]
        while lo < hi {
            let mid = (lo + hi) >> 1
            let v = userItems[mid]
            if v == i { return true }
            if v < i { lo = mid + 1 } else { hi = mid }
        }
        return false
    }

    /// The summed interaction strength of each user (for the model's vocabulary counts).
    public var userTotals: [Int64] {
        (0..<userCount).map { u in Int64(userValues[userOffsets[u]..<userOffsets[u + 1]].reduce(0, +).rounded()) }
    }
}
