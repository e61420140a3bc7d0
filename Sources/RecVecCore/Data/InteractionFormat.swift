// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The formats of interaction data, the same for every command that reads it (train, evaluate, tune).
public enum InteractionFormat: String, Sendable, CaseIterable {
    /// `events` when the file's first line is a header naming the item column
    /// (``EventOptions/itemColumn``, split as an event log's header is), `sequences` otherwise.
    case auto
    /// One sequence per line, tokens separated by spaces or tabs, no times.
    case sequences
    /// An event log with a header (see ``EventOptions``): sequences per user or session, in time order.
    case events
    /// `basket_id item_id` rows with a header; each basket is a sequence, in file order, no times.
    /// The basket column is ``EventOptions/sessionColumn`` when set, `basket_id` otherwise.
    case baskets

    /// The format `auto` stands for with the file at `path` (any other format is itself). A file
    /// that cannot be read is `sequences`: the reader then says what is wrong with it.
    public func resolved(path: String, events: EventOptions = EventOptions()) -> InteractionFormat {
        guard self == .auto else { return self }
        guard let header = try? Self.firstLineFields(path: path, delimiter: events.delimiter(for: path)) else {
            return .sequences
        }
        return header.contains(events.itemColumn) ? .events : .sequences
    }

    /// The fields of the first line of `path` (at most its first 64 KiB) as an event log's header is split.
    static func firstLineFields(path: String, delimiter: UInt8) throws -> [String] {
        let file = try ChunkedFile(path: path, peek: true)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        let n = try file.readFully(into: buffer)
        var line = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
        if let end = line.firstIndex(of: 10) { line = UnsafeRawBufferPointer(rebasing: line[0..<end]) }
        if let last = line.last, last == 13 { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        var splitter = DelimitedLine(delimiter: delimiter)
        guard splitter.split(line) else { return [] }
        return (0..<splitter.fields.count).map { splitter.string($0, of: line) }
    }
}

/// The one entry point of the readers: a file of interaction data in any ``InteractionFormat``.
public enum InteractionReader {
    /// Reads `path` in `format` (`auto` resolved first). `events` names the columns of an event
    /// log (for `baskets`: the item column, the basket column as `sessionColumn`, the delimiter);
    /// `options` filters the vocabulary (`firstTokenIsID` and `keepSequenceIDs` concern sequences
    /// files). The corpus keeps the events' times when the format has them.
    ///
    /// A prepared corpus (`recvec prepare`, ``PreparedCorpus``) is recognised by its first bytes
    /// and read memory-mapped, whatever `format` says: its format and columns were fixed when it
    /// was prepared, and only `options`' vocabulary filters apply (``PreparedCorpus/load(path:options:)``).
    public static func read(
        path: String,
        format: InteractionFormat,
        events: EventOptions = EventOptions(),
        options: ReadOptions = ReadOptions()
    ) throws -> Corpus {
        if PreparedCorpus.isPreparedCorpus(path) { return try PreparedCorpus.load(path: path, options: options) }
        switch format.resolved(path: path, events: events) {
        case .auto, .sequences:
            return try SequenceFileReader.read(path: path, options: options)
        case .events:
            return try EventFileReader.read(path: path, events: events, options: options)
        case .baskets:
            var e = EventOptions()
            e.itemColumn = events.itemColumn
            e.userColumn = events.sessionColumn ?? "basket_id"
            e.timeColumn = nil
            e.delimiter = events.delimiter
            return try EventFileReader.read(path: path, events: e, options: options)
        }
    }
}
