// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Everything users did, over one item index: the input of the evaluation protocols.
/// Unlike a training ``Corpus`` nothing is filtered out: every item can be a test target.
///
/// Sequences and times are kept flat (``FlatRows``); read from a prepared corpus they stay in the
/// mapped file.
public struct Interactions: Sendable {
    /// Item strings by item id.
    public var items: [String]
    /// Each user's, session's or basket's items, oldest first.
    public var sequences: FlatRows<Int32>
    /// The time of every event, parallel to `sequences` (`nil` when the data has none).
    public var times: FlatRows<Double>?

    /// Interactions over flat rows; `times`, when given, must be parallel to `sequences`.
    public init(items: [String], sequences: FlatRows<Int32>, times: FlatRows<Double>? = nil) {
        precondition(times.map { $0.isParallel(to: sequences) } ?? true, "times must be parallel to the sequences")
        self.items = items
        self.sequences = sequences
        self.times = times
    }

    /// Interactions from nested arrays (copied into flat rows).
    public init(items: [String], sequences: [[Int32]], times: [[Double]]? = nil) {
        self.init(items: items, sequences: FlatRows(sequences), times: times.map { FlatRows($0) })
    }

    /// Reads a file in `format` (see ``InteractionReader``), every item kept. With `spill` a text
    /// input is parsed into temporary files (``ReadOptions/spill``) and read mapped, as a prepared
    /// corpus is, so that the splits made of it go to temporary files too.
    public static func read(
        path: String,
        format: InteractionFormat,
        events: EventOptions = EventOptions(),
        maxSequenceLength: Int = 10_000,
        spill: Bool = false
    ) throws -> Interactions {
        // No sequence ids: interactions have none (a prepared corpus's stay on disk, unread).
        var options = ReadOptions(
            minCount: 1,
            maxVocab: nil,
            maxSequenceLength: maxSequenceLength,
            keepSequenceIDs: false
        )
        options.spill = spill
        let corpus = try InteractionReader.read(path: path, format: format, events: events, options: options)
        return Interactions(corpus: corpus, times: corpus.times)
    }

    /// The corpus's sequences and times, shared (a mapped corpus stays mapped).
    init(corpus: Corpus, times flat: FlatArray<Double>?) {
        items = corpus.vocabulary.tokens
        let s = corpus.sequences
        sequences = FlatRows(values: s.tokens, offsets: s.offsets)
        times = flat.map { FlatRows(values: $0, offsets: s.offsets) }
    }

    /// Gives back the memory pages of `sequences` and their times when they are mapped from a
    /// prepared corpus (they are read again from the file if touched): a split walks the data once.
    public func releasePages(sequences range: Range<Int>) {
        sequences.releasePages(rows: range)
        times?.releasePages(rows: range)
    }

    /// Number of events.
    public var eventCount: Int { sequences.valueCount }

    /// `other`'s sequences re-indexed into this item index; items this one lacks are appended to
    /// ``items`` (they exist only in the other file, e.g. test-only items). Mapped sequences (a
    /// prepared corpus, text read with `spill`) are re-indexed into a mapped temporary file, walked a
    /// chunk at a time; throws an ``InputError`` when that file cannot be written.
    public mutating func absorb(_ other: Interactions) throws -> Interactions {
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
        var ids = try FlatArray<Int32>.Builder(spilled: other.sequences.values.isMapped)
        ids.reserveCapacity(other.sequences.valueCount)
        other.sequences.values.forEachChunk { chunk, _ in
            for id in chunk { ids.append(map[Int(id)]) }
        }
        return Interactions(
            items: items,
            sequences: FlatRows(values: try ids.finish(), offsets: other.sequences.offsets),
            times: other.times
        )
    }
}
