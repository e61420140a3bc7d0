// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// How to turn an event log (one event a row, with a header line) into sequences.
public struct EventOptions: Sendable, Equatable {
    /// Column holding the item (token). Default `item_id`.
    public var itemColumn = "item_id"
    /// Column holding the user; events are grouped per user unless `sessionColumn` is set. Default `user_id`.
    public var userColumn: String? = "user_id"
    /// Column holding the time (Unix seconds or ISO 8601); `nil` keeps the file order. Default `timestamp`.
    public var timeColumn: String? = "timestamp"
    /// Column holding a session id; when set, each session is a sequence.
    public var sessionColumn: String? = nil
    /// Split a group's events where consecutive events are more than this many seconds apart.
    public var sessionGap: Double? = nil
    /// Field delimiter; `nil` picks `,` for `.csv` files and tab otherwise.
    public var delimiter: UInt8? = nil
    /// Column holding a basket (order) id: consecutive events of a sequence with the same value
    /// form one basket (bagged-prod2vec). `nil`: no baskets, unless `basketsByTime`.
    public var basketColumn: String? = nil
    /// Events of a sequence with the same time form one basket (when there is no basket column).
    public var basketsByTime = false
    /// Column holding a non-negative event weight (e.g. a rating, a play count, dwell time).
    public var weightColumn: String? = nil
    /// Column holding the event type; with `contextEventValue`, the item of a sequence's last event
    /// of that type becomes its global context (e.g. the booked listing; Grbovic & Cheng 2018).
    public var contextEventColumn: String? = nil
    /// The event type that marks the global-context event (e.g. `purchase`, `booking`).
    public var contextEventValue: String? = nil

    public init() {}

    /// The field delimiter of the file at `path`: ``delimiter``, or `,` for `.csv` files and tab otherwise.
    public func delimiter(for path: String) -> UInt8 {
        delimiter ?? (PartFiles.formatName(path).lowercased().hasSuffix(".csv") ? UInt8(ascii: ",") : 9)
    }
}

/// Reads the `events` format: a TSV or CSV event log with a header line.
///
/// Events are grouped per session (or per user), ordered by time — stable, so events with the same
/// time keep their file order — and split where the gap between two events exceeds the session gap.
public enum EventFileReader {
    /// Reads `path` into a ``Corpus``.
    public static func read(
        path: String,
        events: EventOptions = EventOptions(),
        options: ReadOptions = ReadOptions()
    )
        throws -> Corpus
    {
        try readWithTimes(path: path, events: events, options: options).corpus
    }

    /// Reads `path` into a ``Corpus`` and the time of every kept token, parallel to
    /// `corpus.sequences.tokens` (`nil` when there is no time column).
    public static func readWithTimes(
        path: String,
        events: EventOptions = EventOptions(),
        options: ReadOptions = ReadOptions()
    ) throws -> (corpus: Corpus, times: FlatArray<Double>?) {
        try options.validate()
        if let gap = events.sessionGap, !(gap > 0) {
            throw ConfigurationError(setting: "session_gap", "must be a positive duration")
        }
        if (events.contextEventColumn == nil) != (events.contextEventValue == nil) {
            throw ConfigurationError(
                setting: "context_event",
                "needs both the event-type column and its value, as COLUMN=VALUE"
            )
        }
        return try ChunkedFile.reading(path) { file in
            let log = try EventLogColumns.parse(file, path: path, events: events, spilled: options.spill)
            let corpus: Corpus
            if options.spill {
                corpus = try spilledSequences(of: log, path: path, events: events, options: options)
            } else {
                // Consumed: the columns are rearranged in place, without a copy.
                corpus = try sequences(of: consume log, path: path, events: events, options: options)
            }
            return (corpus, corpus.times)
        }
    }

    /// The corpus of a log parsed in memory: the columns are put in order in place (the log is held
    /// once, plus 4 bytes an event for the order) and cut into sequences by ``CorpusBuilder``.
    private static func sequences(
        of parsed: consuming EventLogColumns,
        path: String,
        events: EventOptions,
        options: ReadOptions
    ) throws -> Corpus {
        var log = parsed
        var itemIDs = log.itemIDs.takeElements()
        var groupIDs = log.groupIDs.takeElements()
        var times = log.times.takeElements()
        var baskets = log.baskets.takeElements()
        var weights = log.weights.takeElements()
        var isContextEvent = log.isContextEvent.takeElements()
        var builder = CorpusBuilder(maxSequenceLength: options.maxSequenceLength)
        builder.interner = log.items
        log.items = TokenInterner(capacity: 16)
        let groupCount = log.groups.count
        // Stable order by (group in order of first appearance, time), applied to the columns in
        // place: the log is held once, plus 4 bytes an event for the order.
        do {
            var order = EventOrder(groups: groupIDs, times: times, groupCount: groupCount)
            order.apply(to: &itemIDs, &groupIDs, &times)
            order.apply(to: &baskets, &weights, &isContextEvent)
        }
        let hasBaskets = log.hasBasketColumn || events.basketsByTime
        builder.tokens.reserveCapacity(itemIDs.count)
        if hasBaskets {
            builder.baskets = []
            builder.baskets!.reserveCapacity(itemIDs.count)
        }
        if log.hasContextEvent { builder.contextItems = [] }
        // The global-context item of each group's sequence(s): its last event of the chosen type.
        var contextOfGroup = [Int32](repeating: -1, count: groupCount)
        if !isContextEvent.isEmpty {
            for e in isContextEvent.indices where isContextEvent[e] {
                contextOfGroup[Int(groupIDs[e])] = itemIDs[e]
            }
            isContextEvent = []
        }
        var basketNumbers = Baskets()
        for e in itemIDs.indices {
            var newSequence = e == 0
            if e > 0 {
                if groupIDs[e] != groupIDs[e - 1] {
                    builder.endSequence()
                    newSequence = true
                } else if let gap = events.sessionGap, times[e] - times[e - 1] > gap {
                    builder.endSequence()
                    newSequence = true
                }
            }
            if newSequence {
                builder.currentKey = groupIDs[e]
                builder.currentContextItem = contextOfGroup[Int(groupIDs[e])]
                basketNumbers.startSequence()
            }
            let piece = builder.offsets.count
            builder.append(itemIDs[e])
            if builder.offsets.count != piece { basketNumbers.startSequence() }  // a new piece starts at basket 0
            if hasBaskets {
                builder.baskets!.append(basketNumbers.next(log.hasBasketColumn ? Double(baskets[e]) : times[e]))
            }
        }
        // The sorted columns become the corpus's own, without a copy.
        itemIDs = []
        groupIDs = []
        baskets = []
        builder.times = times
        times = []
        if log.hasWeight {
            builder.weights = weights
            weights = []
        }
        builder.keys = log.groups
        var corpus = try builder.finish(minCount: options.minCount, maxVocab: options.maxVocab, file: path)
        if !log.hasTime { corpus.times = nil }
        return corpus
    }
}
