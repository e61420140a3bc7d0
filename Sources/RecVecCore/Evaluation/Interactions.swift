// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Everything users did, over one item index: the input of the evaluation protocols.
/// Unlike a training ``Corpus`` nothing is filtered out: every item can be a test target.
public struct Interactions: Sendable {
    /// Item strings by item id.
    public var items: [String]
    /// Each user's, session's or basket's items, oldest first.
    public var sequences: [[Int32]]
    /// The time of every event, parallel to `sequences` (`nil` when the data has none).
    public var times: [[Double]]?

    public init(items: [String], sequences: [[Int32]], times: [[Double]]? = nil) {
        self.items = items
        self.sequences = sequences
        self.times = times
    }

    /// Reads a file in `format` (see ``InteractionReader``), every item kept.
    public static func read(
        path: String,
        format: InteractionFormat,
        events: EventOptions = EventOptions(),
        maxSequenceLength: Int = 10_000
    ) throws -> Interactions {
        let options = ReadOptions(minCount: 1, maxVocab: nil, maxSequenceLength: maxSequenceLength)
        let corpus = try InteractionReader.read(path: path, format: format, events: events, options: options)
        return Interactions(corpus: corpus, times: corpus.times)
    }

    init(corpus: Corpus, times flat: FlatArray<Double>?) {
        items = corpus.vocabulary.tokens
        let s = corpus.sequences
        sequences = (0..<s.count).map { Array(s[$0]) }
        times = flat.map { t in (0..<s.count).map { Array(t[s.offsets[$0]..<s.offsets[$0 + 1]]) } }
    }

    /// Number of events.
    public var eventCount: Int { sequences.reduce(0) { $0 + $1.count } }

    /// `other`'s sequences re-indexed into this item index; items this one lacks are appended to
    /// ``items`` (they exist only in the other file, e.g. test-only items).
    public mutating func absorb(_ other: Interactions) -> Interactions {
        var index = [String: Int32](minimumCapacity: items.count)
        for (i, item) in items.enumerated() { index[item] = Int32(i) }
        var map = [Int32](repeating: -1, count: other.items.count)
        for (i, item) in other.items.enumerated() {
            if let id = index[item] {
                map[i] = id
            } else {
                map[i] = Int32(items.count)
                index[item] = Int32(items.count)
                items.append(item)
            }
        }
        return Interactions(
            items: items,
            sequences: other.sequences.map { $0.map { map[Int($0)] } },
            times: other.times
        )
    }
}
