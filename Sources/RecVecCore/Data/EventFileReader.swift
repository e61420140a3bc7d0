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
        return try ChunkedFile.reading(path) { file in
            if try file.isEmpty() { throw InputError(file: path, "file is empty") }
            var splitter = DelimitedLine(delimiter: events.delimiter(for: path))
            var builder = CorpusBuilder(maxSequenceLength: options.maxSequenceLength)
            var groups = TokenInterner()
            var itemIDs: [Int32] = []
            var groupIDs: [Int32] = []
            var times: [Double] = []
            var columns: (item: Int, group: Int, time: Int?, basket: Int?, weight: Int?, event: Int?)? = nil
            var basketIDs = TokenInterner()
            var baskets: [Int32] = []
            var weights: [Float] = []
            var isContextEvent: [Bool] = []
            if (events.contextEventColumn == nil) != (events.contextEventValue == nil) {
                throw ConfigurationError(
                    setting: "context_event",
                    "needs both the event-type column and its value, as COLUMN=VALUE"
                )
            }
            var header: [String] = []
            var isNew = false

            try file.forEachLine(repeatedHeader: true) { line, number in
                if columns == nil {
                    guard splitter.split(line) else {
                        throw InputError(file: path, line: number, "unclosed quote in header")
                    }
                    header = (0..<splitter.fields.count).map { splitter.string($0, of: line) }
                    if header.count == 1 && header[0].isEmpty {
                        throw InputError(file: path, line: number, "empty header line")
                    }
                    func find(_ name: String, _ option: String) throws -> Int {
                        guard let k = header.firstIndex(of: name) else {
                            throw InputError(
                                file: path,
                                line: number,
                                "missing column '\(name)' (\(option)); the header has: \(header.joined(separator: ", "))"
                            )
                        }
                        return k
                    }
                    let item = try find(events.itemColumn, "the item column")
                    let group: Int
                    if let session = events.sessionColumn {
                        group = try find(session, "the session column")
                    } else if let user = events.userColumn {
                        group = try find(user, "the user column")
                    } else {
                        throw ConfigurationError(setting: "user_column", "events need a user or a session column")
                    }
                    let time = try events.timeColumn.map { try find($0, "the time column") }
                    let basket = try events.basketColumn.map { try find($0, "the basket column") }
                    let weight = try events.weightColumn.map { try find($0, "the weight column") }
                    let event = try events.contextEventColumn.map { try find($0, "the context-event column") }
                    if events.basketsByTime && time == nil && basket == nil {
                        throw ConfigurationError(setting: "baskets", "baskets by time need a time column")
                    }
                    columns = (item, group, time, basket, weight, event)
                    return
                }
                guard let cols = columns else { return }
                if line.isEmpty || line.allSatisfy({ $0 == 32 || $0 == 9 }) { return }
                guard splitter.split(line) else { throw InputError(file: path, line: number, "unclosed quote") }
                let needed = max(
                    cols.item,
                    cols.group,
                    cols.time ?? 0,
                    cols.basket ?? 0,
                    cols.weight ?? 0,
                    cols.event ?? 0
                )
                guard splitter.fields.count > needed else {
                    throw InputError(
                        file: path,
                        line: number,
                        "expected at least \(needed + 1) fields, found \(splitter.fields.count)"
                    )
                }
                let item = try splitter.withField(cols.item, of: line) { bytes -> Int32 in
                    let b = trimmed(bytes)
                    if b.isEmpty {
                        throw InputError(file: path, line: number, "empty item in column '\(events.itemColumn)'")
                    }
                    let id = builder.interner.intern(b, isNew: &isNew)
                    if isNew && !isValidUTF8(b) { throw InputError(file: path, line: number, "invalid UTF-8 in item") }
                    return id
                }
                let group = splitter.withField(cols.group, of: line) { groups.intern(trimmed($0), isNew: &isNew) }
                var time = Double(itemIDs.count)
                if let t = cols.time {
                    time = try splitter.withField(t, of: line) { bytes in
                        guard let seconds = TimeParsing.seconds(bytes) else {
                            throw InputError(
                                file: path,
                                line: number,
                                "time '\(String(decoding: bytes, as: UTF8.self))' in column '\(header[t])' is not a number or an ISO 8601 date-time"
                            )
                        }
                        return seconds
                    }
                }
                if let b = cols.basket {
                    baskets.append(splitter.withField(b, of: line) { basketIDs.intern(trimmed($0), isNew: &isNew) })
                }
                if let w = cols.weight {
                    let text = splitter.withField(w, of: line) { String(decoding: trimmed($0), as: UTF8.self) }
                    guard let value = Float(text), value >= 0, value.isFinite else {
                        throw InputError(
                            file: path,
                            line: number,
                            "weight '\(text)' in column '\(header[w])' is not a non-negative number"
                        )
                    }
                    weights.append(value)
                }
                if let e = cols.event, let wanted = events.contextEventValue {
                    isContextEvent.append(
                        splitter.withField(e, of: line) { String(decoding: trimmed($0), as: UTF8.self) } == wanted
                    )
                }
                itemIDs.append(item)
                groupIDs.append(group)
                times.append(time)
            }
            if columns == nil { throw InputError(file: path, "file is empty") }
            if itemIDs.isEmpty { throw InputError(file: path, "no events after the header line") }

            try EventOrder.check(events: itemIDs.count, file: path)
            // Stable order by (group in order of first appearance, time), applied to the columns in
            // place: the log is held once, plus 4 bytes an event for the order.
            do {
                var order = EventOrder(groups: groupIDs, times: times, groupCount: groups.count)
                order.apply(to: &itemIDs, &groupIDs, &times)
                order.apply(to: &baskets, &weights, &isContextEvent)
            }
            let hasBaskets = columns?.basket != nil || events.basketsByTime
            builder.tokens.reserveCapacity(itemIDs.count)
            if hasBaskets {
                builder.baskets = []
                builder.baskets!.reserveCapacity(itemIDs.count)
            }
            if columns?.event != nil { builder.contextItems = [] }
            // The global-context item of each group's sequence(s): its last event of the chosen type.
            var contextOfGroup = [Int32](repeating: -1, count: groups.count)
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
                    builder.baskets!.append(basketNumbers.next(columns?.basket != nil ? Double(baskets[e]) : times[e]))
                }
            }
            // The sorted columns become the corpus's own, without a copy.
            itemIDs = []
            groupIDs = []
            baskets = []
            builder.times = times
            times = []
            if columns?.weight != nil {
                builder.weights = weights
                weights = []
            }
            builder.keys = groups
            var corpus = try builder.finish(minCount: options.minCount, maxVocab: options.maxVocab, file: path)
            if columns?.time == nil { corpus.times = nil }
            return (corpus, corpus.times)
        }
    }

    private static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var b = bytes
        while let f = b.first, f == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropFirst()) }
        while let l = b.last, l == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropLast()) }
        return b
    }
}
