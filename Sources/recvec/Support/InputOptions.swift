// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

extension InteractionFormat: ExpressibleByArgument {
    /// The help of every command's `--format`.
    static let help = ArgumentHelp(
        "sequences: tokens separated by spaces or tabs, one sequence a line; "
            + "events: a TSV/CSV event log with a header; baskets: basket_id item_id rows with a header, each basket "
            + "a sequence (the basket column is --session-column, default basket_id); auto: events when the first "
            + "line is a header naming the item column (--item-column), sequences otherwise."
    )
}

/// Options that say how to read the training input.
struct InputOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "The training data: a sequences file (one sequence a line), an event log or a baskets file (TSV/CSV with a header)."
    )
    var input: String

    @Option(help: InteractionFormat.help)
    var format: InteractionFormat = .auto

    @Option(help: "Drop tokens seen fewer times.")
    var minCount: Int = 5

    @Option(help: "Keep at most this many tokens, the most frequent.")
    var maxVocab: Int?

    @Option(help: "Cut longer sequences into consecutive pieces of this many tokens.")
    var maxSequenceLength: Int = 10_000

    @Flag(
        help:
            "sequences: the first token of each line is the sequence's id (a document for paragraph vectors), not an item."
    )
    var firstTokenIsId = false

    @OptionGroup var columns: EventColumnOptions

    var readOptions: ReadOptions {
        ReadOptions(
            minCount: minCount,
            maxVocab: maxVocab,
            maxSequenceLength: maxSequenceLength,
            firstTokenIsID: firstTokenIsId
        )
    }

    /// Reads the input as the options say.
    /// `keepSequenceIDs: false` skips the per-line ids of a sequences file (models without
    /// document or user vectors do not need them). A prepared corpus is read mapped; the data
    /// options it fixes are ignored with a note when they were given.
    /// `spill`: the parse and the corpus of an event log or a sequences file go to temporary files
    /// (``ReadOptions/spill``).
    func read(keepSequenceIDs: Bool = true, spill: Bool = false) throws -> Corpus {
        if PreparedCorpus.isPreparedCorpus(input), let note = preparedNote() { printError(note) }
        var options = readOptions(keepSequenceIDs: keepSequenceIDs)
        options.spill = spill
        return try InteractionReader.read(
            path: input,
            format: format,
            events: columns.eventOptions(),
            options: options
        )
    }

    /// ``readOptions`` keeping the sequence ids when asked, or when the first token is one.
    private func readOptions(keepSequenceIDs: Bool) -> ReadOptions {
        var options = readOptions
        options.keepSequenceIDs = keepSequenceIDs || firstTokenIsId
        return options
    }

    /// Under a launcher (`group` of several processes): this process's share of a plain sequences
    /// file, read by byte range with the whole file's vocabulary
    /// (``SequenceFileReader/readShare(path:options:group:)``); `nil` for any other input
    /// (a prepared corpus, an event log, gzip, a directory of parts, standard input), which every
    /// process reads whole.
    func readShare(group: any ProcessGroup, keepSequenceIDs: Bool) throws -> Corpus? {
        guard group.isDistributed, !PreparedCorpus.isPreparedCorpus(input), resolvedFormat == .sequences,
            SequenceFileReader.canShare(input)
        else { return nil }
        return try SequenceFileReader.readShare(
            path: input,
            options: readOptions(keepSequenceIDs: keepSequenceIDs),
            group: group
        )
    }

    /// The format the input is read in (`auto` resolved from its first line).
    var resolvedFormat: InteractionFormat {
        format.resolved(path: PartFiles.formatName(input), events: (try? columns.eventOptions()) ?? EventOptions())
    }

    /// The structural data options as given (for a prepared corpus's description).
    func describedOptions() -> [String: String] {
        var o = columns.described
        o["max-sequence-length"] = String(maxSequenceLength)
        if firstTokenIsId { o["first-token-is-id"] = "true" }
        return o
    }

    /// The options given that a prepared corpus fixes (they were `prepare`'s), as a note, or `nil`.
    func preparedNote() -> String? {
        var ignored = columns.nonDefaultFlags
        if format != .auto { ignored.insert("--format", at: 0) }
        if maxSequenceLength != 10_000 { ignored.append("--max-sequence-length") }
        if firstTokenIsId { ignored.append("--first-token-is-id") }
        return Self.preparedNote(path: input, ignored: ignored)
    }

    /// The note that options `ignored` (flag names) were given for the prepared corpus at `path`,
    /// which fixed them when it was prepared; `nil` when none was.
    static func preparedNote(path: String, ignored: [String]) -> String? {
        guard !ignored.isEmpty else { return nil }
        return "note: \(path) is a prepared corpus; " + ignored.joined(separator: ", ")
            + " were fixed by recvec prepare and are ignored (see recvec info \(path))"
    }
}

/// How an event log's columns are named and how its events become sequences (train, evaluate, tune).
struct EventColumnOptions: ParsableArguments {
    @Option(help: "events, baskets: the item column.")
    var itemColumn: String = "item_id"

    @Option(help: "events: the user column (sequences are per user unless --session-column is given).")
    var userColumn: String = "user_id"

    @Option(help: "events: the time column (Unix seconds or ISO 8601); 'none' keeps the file order.")
    var timeColumn: String = "timestamp"

    @Option(help: "events: a session column, each session a sequence; baskets: the basket column (default basket_id).")
    var sessionColumn: String?

    @Option(help: "events: split where consecutive events are further apart than this (e.g. 30m, 2h, 1d, 90s).")
    var sessionGap: String?

    @Option(
        help: "events, baskets: the field delimiter ('tab', ',', ';', '|'); default: ',' for .csv files, tab otherwise."
    )
    var delimiter: String?

    @Option(
        help: "events: a basket (order) column; consecutive events with the same value form a basket (bagged-prod2vec)."
    )
    var basketColumn: String?

    @Flag(
        help: "events: events of a sequence with the same time form a basket (bagged-prod2vec without a basket column)."
    )
    var basketsByTime = false

    @Option(help: "events: a column of non-negative event weights (rating, plays, dwell time) that scale training.")
    var weightColumn: String?

    @Option(
        help: ArgumentHelp(
            "events: COLUMN=VALUE marks global-context events (e.g. event_type=purchase): a sequence's last such item is a positive for all its tokens.",
            valueName: "column=value"
        )
    )
    var contextEvent: String?

    /// The column options as given, by flag name (for a prepared corpus's description).
    var described: [String: String] {
        var o = ["item-column": itemColumn, "user-column": userColumn, "time-column": timeColumn]
        if let sessionColumn { o["session-column"] = sessionColumn }
        if let sessionGap { o["session-gap"] = sessionGap }
        if let delimiter { o["delimiter"] = delimiter }
        if let basketColumn { o["basket-column"] = basketColumn }
        if basketsByTime { o["baskets-by-time"] = "true" }
        if let weightColumn { o["weight-column"] = weightColumn }
        if let contextEvent { o["context-event"] = contextEvent }
        return o
    }

    /// The flags given with values other than their defaults (``described`` against the options
    /// with no flag given), by name.
    var nonDefaultFlags: [String] {
        let defaults = (try! EventColumnOptions.parse([])).described
        return described.filter { defaults[$0.key] != $0.value }.map { "--" + $0.key }.sorted()
    }

    func eventOptions() throws -> EventOptions {
        var e = EventOptions()
        e.itemColumn = itemColumn
        e.userColumn = userColumn
        e.timeColumn = timeColumn.lowercased() == "none" ? nil : timeColumn
        e.sessionColumn = sessionColumn
        e.basketColumn = basketColumn
        e.basketsByTime = basketsByTime
        e.weightColumn = weightColumn
        if let contextEvent {
            let parts = contextEvent.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConfigurationError(
                    setting: "context_event",
                    "'\(contextEvent)' is not COLUMN=VALUE, e.g. event_type=purchase"
                )
            }
            e.contextEventColumn = parts[0]
            e.contextEventValue = parts[1]
        }
        if let sessionGap {
            guard let seconds = TimeParsing.duration(sessionGap), seconds > 0 else {
                throw ConfigurationError(
                    setting: "session_gap",
                    "'\(sessionGap)' is not a duration such as 30m, 2h or 90s"
                )
            }
            e.sessionGap = seconds
        }
        if let delimiter {
            switch delimiter {
            case "tab", "\\t", "\t": e.delimiter = 9
            case ",", ";", "|": e.delimiter = delimiter.utf8.first
            default: throw ConfigurationError(setting: "delimiter", "must be tab, ',', ';' or '|'")
            }
        }
        return e
    }
}
