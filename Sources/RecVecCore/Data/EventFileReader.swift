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

    public init() {}
}

/// Reads the `events` format: a TSV or CSV event log with a header line.
///
/// Events are grouped per session (or per user), ordered by time — stable, so events with the same
/// time keep their file order — and split where the gap between two events exceeds the session gap.
public enum EventFileReader {
    /// Reads `path` into a ``Corpus``.
    public static func read(path: String, events: EventOptions = EventOptions(), options: ReadOptions = ReadOptions())
        throws -> Corpus
    {
        try readWithTimes(path: path, events: events, options: options).corpus
    }

    /// Reads `path` into a ``Corpus`` and, when no token was filtered out (`minCount` 1, no
    /// `maxVocab`), the time of every token, parallel to `corpus.sequences.tokens` (`nil` otherwise,
    /// or when there is no time column).
    public static func readWithTimes(
        path: String, events: EventOptions = EventOptions(), options: ReadOptions = ReadOptions()
    ) throws -> (corpus: Corpus, times: [Double]?) {
        try options.validate()
        if let gap = events.sessionGap, !(gap > 0) {
            throw ConfigurationError(option: "--session-gap", "must be a positive duration")
        }
        let file = try ChunkedFile(path: path)
        if file.size == 0 { throw InputError(file: path, "file is empty") }
        let delimiter = events.delimiter ?? (path.lowercased().hasSuffix(".csv") ? UInt8(ascii: ",") : 9)
        var splitter = DelimitedLine(delimiter: delimiter)
        var builder = CorpusBuilder(maxSequenceLength: options.maxSequenceLength)
        var groups = TokenInterner()
        var itemIDs: [Int32] = []
        var groupIDs: [Int32] = []
        var times: [Double] = []
        var columns: (item: Int, group: Int, time: Int?)? = nil
        var header: [String] = []
        var isNew = false

        try file.forEachLine { line, number in
            if columns == nil {
                guard splitter.split(line) else { throw InputError(file: path, line: number, "unclosed quote in header") }
                header = (0..<splitter.fields.count).map { splitter.string($0, of: line) }
                if header.count == 1 && header[0].isEmpty { throw InputError(file: path, line: number, "empty header line") }
                if let first = header.first, first.hasPrefix("\u{FEFF}") { header[0] = String(first.dropFirst()) }
                func find(_ name: String, _ option: String) throws -> Int {
                    guard let k = header.firstIndex(of: name) else {
                        throw InputError(
                            file: path, line: number,
                            "missing column '\(name)' (\(option)); the header has: \(header.joined(separator: ", "))")
                    }
                    return k
                }
                let item = try find(events.itemColumn, "--item-column")
                let group: Int
                if let session = events.sessionColumn {
                    group = try find(session, "--session-column")
                } else if let user = events.userColumn {
                    group = try find(user, "--user-column")
                } else {
                    throw ConfigurationError(option: "--user-column", "events need a user or a session column")
                }
                let time = try events.timeColumn.map { try find($0, "--time-column") }
                columns = (item, group, time)
                return
            }
            guard let cols = columns else { return }
            if line.isEmpty || line.allSatisfy({ $0 == 32 || $0 == 9 }) { return }
            guard splitter.split(line) else { throw InputError(file: path, line: number, "unclosed quote") }
            let needed = max(cols.item, cols.group, cols.time ?? 0)
            guard splitter.fields.count > needed else {
                throw InputError(
                    file: path, line: number,
                    "expected at least \(needed + 1) fields, found \(splitter.fields.count)")
            }
            let item = try splitter.withField(cols.item, of: line) { bytes -> Int32 in
                let b = trimmed(bytes)
                if b.isEmpty { throw InputError(file: path, line: number, "empty item in column '\(events.itemColumn)'") }
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
                            file: path, line: number,
                            "time '\(String(decoding: bytes, as: UTF8.self))' in column '\(header[t])' is not a number or an ISO 8601 date-time")
                    }
                    return seconds
                }
            }
            itemIDs.append(item)
            groupIDs.append(group)
            times.append(time)
        }
        if columns == nil { throw InputError(file: path, "file is empty") }
        if itemIDs.isEmpty { throw InputError(file: path, "no events after the header line") }

        // Stable order by (group in order of first appearance, time).
        var order = Array(0..<itemIDs.count)
        order.sort { a, b in
            if groupIDs[a] != groupIDs[b] { return groupIDs[a] < groupIDs[b] }
            if times[a] != times[b] { return times[a] < times[b] }
            return a < b
        }
        var orderedTimes: [Double] = []
        orderedTimes.reserveCapacity(order.count)
        var previous = -1
        for e in order {
            if previous >= 0 {
                if groupIDs[e] != groupIDs[previous] {
                    builder.endSequence()
                } else if let gap = events.sessionGap, times[e] - times[previous] > gap {
                    builder.endSequence()
                }
            }
            builder.append(itemIDs[e])
            orderedTimes.append(times[e])
            previous = e
        }
        let corpus = try builder.finish(minCount: options.minCount, maxVocab: options.maxVocab, file: path)
        let complete = corpus.sequences.tokenCount == orderedTimes.count && columns?.time != nil
        return (corpus, complete ? orderedTimes : nil)
    }

    private static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var b = bytes
        while let f = b.first, f == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropFirst()) }
        while let l = b.last, l == 32 { b = UnsafeRawBufferPointer(rebasing: b.dropLast()) }
        return b
    }
}
