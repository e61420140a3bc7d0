// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// An event log parsed into columns, one value per event in line order, before its events are
/// ordered into sequences: the items and groups (users or sessions) as provisional ids with the
/// tables that name them, and the side data the options ask for.
///
/// The columns are ``FlatArray/Builder``s, so they are either in memory (``EventFileReader``'s
/// default, ordered in place afterwards) or appended to unlinked temporary files
/// (``ReadOptions/spill``: `prepare`'s path, where the process holds no per-event column at all).
struct EventLogColumns {
    /// Items: provisional ids in order of first appearance, with their counts.
    var items = TokenInterner()
    /// Groups (the session column, else the user column), numbered as they first appear.
    var groups = TokenInterner()
    var itemIDs: FlatArray<Int32>.Builder
    var groupIDs: FlatArray<Int32>.Builder
    /// Seconds, or the event's line index when the log has no time column.
    var times: FlatArray<Double>.Builder
    /// Basket ids (interned), when the log has a basket column.
    var baskets: FlatArray<Int32>.Builder
    /// Event weights, when the log has a weight column.
    var weights: FlatArray<Float>.Builder
    /// Whether the event is of the global-context type, when a context-event column is named.
    var isContextEvent: FlatArray<Bool>.Builder
    /// Which optional columns the header had.
    var hasTime = false
    var hasBasketColumn = false
    var hasWeight = false
    var hasContextEvent = false

    /// Number of events.
    var count: Int { itemIDs.count }

    /// Reads every event of `file` (an event log with a header; `path` names it in errors) into
    /// columns, in memory or `spilled` to temporary files.
    static func parse(_ file: ChunkedFile, path: String, events: EventOptions, spilled: Bool) throws -> EventLogColumns
    {
        var log = EventLogColumns(
            itemIDs: try .init(spilled: spilled),
            groupIDs: try .init(spilled: spilled),
            times: try .init(spilled: spilled),
            baskets: try .init(spilled: spilled),
            weights: try .init(spilled: spilled),
            isContextEvent: try .init(spilled: spilled)
        )
        if try file.isEmpty() { throw InputError(file: path, "file is empty") }
        var splitter = DelimitedLine(delimiter: events.delimiter(for: path))
        var columns: (item: Int, group: Int, time: Int?, basket: Int?, weight: Int?, event: Int?)? = nil
        var basketIDs = TokenInterner()
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
                log.hasTime = time != nil
                log.hasBasketColumn = basket != nil
                log.hasWeight = weight != nil
                log.hasContextEvent = event != nil && events.contextEventValue != nil
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
                let id = log.items.intern(b, isNew: &isNew)
                if isNew && !isValidUTF8(b) { throw InputError(file: path, line: number, "invalid UTF-8 in item") }
                return id
            }
            let group = splitter.withField(cols.group, of: line) { log.groups.intern(trimmed($0), isNew: &isNew) }
            var time = Double(log.itemIDs.count)
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
                log.baskets.append(splitter.withField(b, of: line) { basketIDs.intern(trimmed($0), isNew: &isNew) })
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
                log.weights.append(value)
            }
            if let e = cols.event, let wanted = events.contextEventValue {
                log.isContextEvent.append(
                    splitter.withField(e, of: line) { String(decoding: trimmed($0), as: UTF8.self) } == wanted
                )
            }
            log.itemIDs.append(item)
            log.groupIDs.append(group)
            log.times.append(time)
        }
        if columns == nil { throw InputError(file: path, "file is empty") }
        if log.count == 0 { throw InputError(file: path, "no events after the header line") }
        try EventOrder.check(events: log.count, file: path)
        return log
    }

    private static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var b = bytes
        while let f = b.first, f == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropFirst()) }
        while let l = b.last, l == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropLast()) }
        return b
    }
}
