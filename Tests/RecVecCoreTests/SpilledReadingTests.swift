// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Reading an event log or a sequences file with its parse in temporary files (`ReadOptions.spill`,
/// `recvec prepare`'s path) gives the corpus the in-memory reader gives — every field, for every
/// way of cutting sequences — with its arrays mapped.
struct SpilledReadingTests {
    let same = PreparedCorpusTests()

    /// Reads `path` both ways and checks they agree and that the spilled corpus is mapped.
    func expectBothWays(
        _ path: String,
        _ events: EventOptions,
        _ options: ReadOptions,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let memory = try EventFileReader.read(path: path, events: events, options: options)
        var spilledOptions = options
        spilledOptions.spill = true
        let spilled = try EventFileReader.read(path: path, events: events, options: spilledOptions)
        same.expectSame(spilled, memory, sourceLocation: sourceLocation)
        #expect(spilled.sequences.isMapped && !memory.sequences.isMapped, sourceLocation: sourceLocation)
        if let times = spilled.times { #expect(times.isMapped, sourceLocation: sourceLocation) }
    }

    @Test func everySideDataAndFilter() throws {
        let dir = TemporaryFolder()
        let path = dir.write("e.tsv", PreparedCorpusTests.events)
        for minCount in [1, 2, 3] {
            try expectBothWays(path, PreparedCorpusTests.eventOptions, ReadOptions(minCount: minCount))
        }
        // Pieces of 2 events (counted before the vocabulary drops any), with baskets by time.
        var byTime = EventOptions()
        byTime.basketsByTime = true
        try expectBothWays(path, byTime, ReadOptions(minCount: 2, maxSequenceLength: 2))
        try expectBothWays(path, PreparedCorpusTests.eventOptions, ReadOptions(minCount: 1, maxSequenceLength: 2))
    }

    /// A generated log: interleaved users whose times go backwards and repeat, sessions, gaps,
    /// rare items, baskets, weights and context events, under many combinations of options.
    @Test(arguments: [1, 2, 3])
    func generatedLogs(seed: UInt64) throws {
        var random = FastRandom(seed: seed)
        var lines = ["session\tuser\titem\ttime\tbasket\tweight\tkind"]
        for e in 0..<2_000 {
            let user = Int(random.next() % 60)
            let session = user * 4 + Int(random.next() % 4)
            let r = Double(random.next() % 1_000) / 1_000
            let item = Int(pow(r, 3) * 300)  // a few frequent items, many rare ones
            let time = random.next() % 5 == 0 ? 100 : Int(random.next() % 5_000)
            let kind = random.next() % 7 == 0 ? "buy" : "view"
            lines.append("s\(session)\tu\(user)\ti\(item)\t\(time)\tb\(e / 3)\t\(random.next() % 4)\t\(kind)")
        }
        let dir = TemporaryFolder()
        let path = dir.write("g.tsv", lines.joined(separator: "\n") + "\n")
        var base = EventOptions()
        base.userColumn = "user"
        base.itemColumn = "item"
        base.timeColumn = "time"
        var variants: [EventOptions] = [base]
        var v = base
        v.sessionColumn = "session"
        variants.append(v)
        v = base
        v.sessionGap = 600
        v.basketsByTime = true
        variants.append(v)
        v = base
        v.basketColumn = "basket"
        v.weightColumn = "weight"
        v.contextEventColumn = "kind"
        v.contextEventValue = "buy"
        variants.append(v)
        v = base
        v.timeColumn = nil  // file order; the gap then counts lines
        v.sessionGap = 50
        variants.append(v)
        for events in variants {
            for options in [
                ReadOptions(minCount: 1), ReadOptions(minCount: 3, maxSequenceLength: 7),
                ReadOptions(minCount: 2, maxVocab: 40, maxSequenceLength: 3),
            ] {
                try expectBothWays(path, events, options)
            }
        }
    }

    /// A sequences file: rare tokens, lines left empty by the vocabulary, lines cut into pieces,
    /// line ids kept or not, first tokens as ids.
    @Test func sequencesFiles() throws {
        var random = FastRandom(seed: 7)
        var lines: [String] = []
        for l in 0..<300 {
            let length = l % 17 == 0 ? 0 : 1 + Int(random.next() % 40)
            let tokens = (0..<length).map { _ in "t\(Int(pow(Double(random.next() % 1_000) / 1_000, 3) * 200))" }
            lines.append((["doc\(l % 50)"] + tokens).joined(separator: l % 2 == 0 ? " " : "\t"))
        }
        let dir = TemporaryFolder()
        let path = dir.write("s.txt", lines.joined(separator: "\n") + "\n")
        for options in [
            ReadOptions(minCount: 1), ReadOptions(minCount: 4, maxSequenceLength: 5),
            ReadOptions(minCount: 2, maxVocab: 30, maxSequenceLength: 2, keepSequenceIDs: false),
            ReadOptions(minCount: 3, maxSequenceLength: 9, firstTokenIsID: true),
        ] {
            let memory = try SequenceFileReader.read(path: path, options: options)
            var spilledOptions = options
            spilledOptions.spill = true
            let spilled = try SequenceFileReader.read(path: path, options: spilledOptions)
            same.expectSame(spilled, memory)
            #expect(spilled.sequences.isMapped && !memory.sequences.isMapped)
        }
        var options = ReadOptions(minCount: 1_000)
        options.spill = true
        #expect(throws: InputError.self) { try SequenceFileReader.read(path: path, options: options) }
    }

    @Test func errorsAreTheInMemoryReadersOnes() throws {
        let dir = TemporaryFolder()
        var options = ReadOptions(minCount: 1)
        options.spill = true
        let bad = dir.write("bad.tsv", "user_id\titem_id\ttimestamp\nu1\ta\t10\nu1\tb\tsoon\n")
        #expect(throws: InputError.self) { try EventFileReader.read(path: bad, options: options) }
        do {
            _ = try EventFileReader.read(path: bad, options: options)
        } catch let error as InputError {
            #expect(error.file == bad && error.line == 3)
        }
        let rare = dir.write("rare.tsv", "user_id\titem_id\ttimestamp\nu1\ta\t10\nu1\tb\t11\n")
        options.minCount = 5
        #expect(throws: InputError.self) { try EventFileReader.read(path: rare, options: options) }
        // Nothing of the temporary files is left in the data's folder.
        #expect(dir.contents() == ["bad.tsv", "rare.tsv"])
    }
}
