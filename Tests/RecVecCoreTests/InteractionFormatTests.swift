// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// One input-format type for every command, `auto` detection and the one reader entry point.
struct InteractionFormatTests {
    func sequences(_ c: Corpus) -> [[String]] {
        (0..<c.sequences.count).map { i in c.sequences[i].map { c.vocabulary.tokens[Int($0)] } }
    }

    let options = ReadOptions(minCount: 1)

    @Test func autoIsEventsForAHeaderNamingTheItemColumnAndSequencesOtherwise() throws {
        let dir = TemporaryFolder()
        let events = dir.write("e.tsv", "user_id\titem_id\ttimestamp\nu\ta\t1\nu\tb\t2\n")
        let csv = dir.write("e.csv", "\u{FEFF}\"user_id\",item_id\nu,a\n")
        let corpus = dir.write("corpus.txt", "a b c\nb c d\n")
        let tabbed = dir.write("tabbed.tsv", "a\tb\tc\nb\tc\td\n")
        let baskets = dir.write("b.tsv", "basket_id\titem_id\nb1\ta\n")
        let renamed = dir.write("r.tsv", "user\tmovie\nu\ta\n")
        #expect(InteractionFormat.auto.resolved(path: events) == .events)
        #expect(InteractionFormat.auto.resolved(path: csv) == .events)  // ',' for .csv, BOM and quotes as the reader
        #expect(InteractionFormat.auto.resolved(path: baskets) == .events)
        #expect(InteractionFormat.auto.resolved(path: corpus) == .sequences)
        #expect(InteractionFormat.auto.resolved(path: tabbed) == .sequences)
        #expect(InteractionFormat.auto.resolved(path: renamed) == .sequences)
        var movie = EventOptions()
        movie.itemColumn = "movie"
        #expect(InteractionFormat.auto.resolved(path: renamed, events: movie) == .events)
        var semicolon = EventOptions()
        semicolon.delimiter = UInt8(ascii: ";")
        #expect(
            InteractionFormat.auto.resolved(path: dir.write("s.txt", "user_id;item_id\nu;a\n"), events: semicolon)
                == .events
        )
        // Unreadable files are sequences: the reader then says what is wrong.
        #expect(InteractionFormat.auto.resolved(path: dir.file("missing.tsv")) == .sequences)
        #expect(InteractionFormat.auto.resolved(path: dir.write("empty.tsv", "")) == .sequences)
        // An explicit format always wins.
        for format in [InteractionFormat.sequences, .events, .baskets] {
            for path in [events, corpus, baskets] { #expect(format.resolved(path: path) == format) }
        }
    }

    @Test func theReaderReadsEveryFormatAndAutoAsItsResolution() throws {
        let dir = TemporaryFolder()
        let events = dir.write("e.tsv", "user_id\titem_id\ttimestamp\nu1\tb\t2\nu1\ta\t1\nu2\tc\t5\n")
        let corpus = dir.write("corpus.txt", "a b c\nb c d\n")
        let baskets = dir.write("b.tsv", "basket_id\titem_id\nb1\ta\nb1\tb\nb2\tc\nb1\td\n")

        let auto = try InteractionReader.read(path: events, format: .auto, options: options)
        #expect(sequences(auto) == [["a", "b"], ["c"]])
        #expect(auto.times == [1, 2, 5])
        #expect(sequences(auto) == sequences(try EventFileReader.read(path: events, options: options)))
        #expect(
            sequences(try InteractionReader.read(path: corpus, format: .auto, options: options)) == [
                ["a", "b", "c"], ["b", "c", "d"],
            ]
        )
        // Explicit sequences on an event log: the header is a sequence like any line.
        #expect(try InteractionReader.read(path: events, format: .sequences, options: options).sequences.count == 4)

        let b = try InteractionReader.read(path: baskets, format: .baskets, options: options)
        #expect(sequences(b) == [["a", "b", "d"], ["c"]])
        #expect(b.times == nil && b.documents == ["b1", "b2"])
        var order = EventOptions()
        order.sessionColumn = "order"
        let o = try InteractionReader.read(
            path: dir.write("o.tsv", "order\titem_id\no1\ta\no2\tb\n"),
            format: .baskets,
            events: order,
            options: options
        )
        #expect(sequences(o) == [["a"], ["b"]])

        // Interactions (evaluate, tune) read through the same entry point.
        let i = try Interactions.read(path: baskets, format: .baskets)
        #expect(i.sequences.map { $0.map { i.items[Int($0)] } } == [["a", "b", "d"], ["c"]])
        #expect(try Interactions.read(path: events, format: .auto).times == [[1, 2], [5]])
        #expect(try Interactions.read(path: corpus, format: .auto).times == nil)
    }
}
