// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

struct EventFileReaderTests {
    func sequences(_ c: Corpus) -> [[String]] {
        (0..<c.sequences.count).map { i in c.sequences[i].map { c.vocabulary.tokens[Int($0)] } }
    }

    let options = ReadOptions(minCount: 1)

    @Test func groupsPerUserOrderedByTimeStably() throws {
        let dir = TemporaryFolder()
        let path = dir.write(
            "e.tsv",
            """
            user_id\titem_id\ttimestamp
            u1\tc\t30
            u2\tx\t5
            u1\ta\t10
            u1\tb\t20
            u1\td\t20
            u2\ty\t1

            """
        )
        let c = try EventFileReader.read(path: path, options: options)
        #expect(sequences(c) == [["a", "b", "d", "c"], ["y", "x"]])
    }

    @Test func sessionColumnAndGapSplitSequences() throws {
        let dir = TemporaryFolder()
        let path = dir.write(
            "e.tsv",
            """
            user_id\titem_id\ttimestamp\tsession_id
            u\ta\t0\ts1
            u\tb\t60\ts1
            u\tc\t7200\ts1
            u\td\t7260\ts2

            """
        )
        var events = EventOptions()
        events.sessionColumn = "session_id"
        #expect(
            sequences(try EventFileReader.read(path: path, events: events, options: options)) == [
                ["a", "b", "c"], ["d"],
            ]
        )
        events.sessionColumn = nil
        events.sessionGap = 1800
        #expect(
            sequences(try EventFileReader.read(path: path, events: events, options: options)) == [
                ["a", "b"], ["c", "d"],
            ]
        )
    }

    @Test func readsQuotedCSVAndISOTimes() throws {
        let dir = TemporaryFolder()
        let path = dir.write(
            "e.csv",
            #"""
            "when",user,item
            2024-01-02T00:00:00Z,1,"Matrix, The (1999)"
            2024-01-01 12:30,1,"Say ""Hi"""
            2024-01-03,2,solo

            """#
        )
        var events = EventOptions()
        events.itemColumn = "item"
        events.userColumn = "user"
        events.timeColumn = "when"
        let c = try EventFileReader.read(path: path, events: events, options: options)
        #expect(sequences(c) == [["Say \"Hi\"", "Matrix, The (1999)"], ["solo"]])
    }

    @Test func timeParsing() {
        #expect(TimeParsing.seconds("1396339200.5") == 1_396_339_200.5)
        #expect(TimeParsing.seconds("1970-01-02") == 86_400)
        #expect(TimeParsing.seconds("2000-03-01T00:00:01Z") == 951_868_801)
        #expect(TimeParsing.seconds("2000-03-01 00:00:01.25") == 951_868_801.25)
        #expect(TimeParsing.seconds("yesterday") == nil)
        #expect(TimeParsing.seconds("12abc") == nil)
        #expect(TimeParsing.seconds("") == nil)
        #expect(TimeParsing.duration("30m") == 1800)
        #expect(TimeParsing.duration("1.5h") == 5400)
        #expect(TimeParsing.duration("90") == 90)
        #expect(TimeParsing.duration("2d") == 172_800)
        #expect(TimeParsing.duration("soon") == nil)
        #expect(TimeParsing.duration("-5m") == nil)
    }

    @Test func errorsNameTheFileLineAndColumn() throws {
        let dir = TemporaryFolder()
        let noItem = dir.write("a.tsv", "user_id\tproduct\ttimestamp\n1\tx\t1\n")
        #expect(
            throws: InputError(
                file: noItem,
                line: 1,
                "missing column 'item_id' (the item column); the header has: user_id, product, timestamp"
            )
        ) {
            try EventFileReader.read(path: noItem, options: options)
        }
        let badTime = dir.write("b.tsv", "user_id\titem_id\ttimestamp\n1\tx\t1\n1\ty\tlater\n")
        #expect(
            throws: InputError(
                file: badTime,
                line: 3,
                "time 'later' in column 'timestamp' is not a number or an ISO 8601 date-time"
            )
        ) {
            try EventFileReader.read(path: badTime, options: options)
        }
        let short = dir.write("c.tsv", "user_id\titem_id\ttimestamp\n1\tx\n")
        #expect(throws: InputError(file: short, line: 2, "expected at least 3 fields, found 2")) {
            try EventFileReader.read(path: short, options: options)
        }
        let headerOnly = dir.write("d.tsv", "user_id\titem_id\ttimestamp\n")
        #expect(throws: InputError(file: headerOnly, "no events after the header line")) {
            try EventFileReader.read(path: headerOnly, options: options)
        }
        let empty = dir.write("e.tsv", "")
        #expect(throws: InputError(file: empty, "file is empty")) {
            try EventFileReader.read(path: empty, options: options)
        }
        let badUTF8 = dir.write(
            "f.tsv",
            bytes: Array("user_id\titem_id\ttimestamp\n1\t".utf8) + [0xFF, 0xFE] + Array("\t1\n".utf8)
        )
        #expect(throws: InputError(file: badUTF8, line: 2, "invalid UTF-8 in item")) {
            try EventFileReader.read(path: badUTF8, options: options)
        }
        let noHeader = dir.write("g.tsv", "1\tx\t5\n")
        #expect { try EventFileReader.read(path: noHeader, options: options) } throws: {
            ($0 as? InputError)?.message.hasPrefix("missing column 'item_id'") == true
        }
        var gap = EventOptions()
        gap.sessionGap = 0
        #expect { try EventFileReader.read(path: noHeader, events: gap, options: options) } throws: {
            ($0 as? ConfigurationError)?.setting == "session_gap"
        }
    }
}
