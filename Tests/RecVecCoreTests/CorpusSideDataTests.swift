// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// Sequence ids, baskets, weights and global-context items read beside the tokens, and kept in
/// step with them when tokens are filtered.
struct CorpusSideDataTests {
    @Test func eventLogCarriesBasketsWeightsAndContext() throws {
        let dir = TemporaryFolder()
        let path = dir.write(
            "e.tsv",
            """
            user_id\titem_id\ttimestamp\torder\tweight\ttype
            u1\ta\t10\to1\t1\tview
            u1\tb\t10\to1\t2\tview
            u1\tc\t20\to2\t0.5\tbuy
            u1\trare\t25\to2\t1\tview
            u1\ta\t30\to3\t1\tview
            u2\tb\t5\to4\t3\tview
            u2\tc\t6\to5\t1\tview

            """
        )
        var events = EventOptions()
        events.basketColumn = "order"
        events.weightColumn = "weight"
        events.contextEventColumn = "type"
        events.contextEventValue = "buy"
        let c = try EventFileReader.read(path: path, events: events, options: ReadOptions(minCount: 2))
        // "rare" is dropped; its side data goes with it.
        #expect(c.sequences.tokens.map { c.vocabulary.tokens[Int($0)] } == ["a", "b", "c", "a", "b", "c"])
        #expect(c.baskets == [0, 0, 1, 2, 0, 1])
        #expect(c.weights == [1, 2, 0.5, 1, 3, 1])
        #expect(c.times == [10, 10, 20, 30, 5, 6])
        #expect(c.documents == ["u1", "u2"])
        #expect(c.sequenceDocuments == [0, 1])
        #expect(c.contextItems == [c.vocabulary.id(of: "c")!, -1])
    }

    @Test func basketsByTimeAndSequenceIDsFromTheFirstToken() throws {
        let dir = TemporaryFolder()
        let path = dir.write("e.tsv", "user_id\titem_id\ttimestamp\n1\tx\t5\n1\ty\t5\n1\tz\t7\n")
        var events = EventOptions()
        events.basketsByTime = true
        let c = try EventFileReader.read(path: path, events: events, options: ReadOptions(minCount: 1))
        #expect(c.baskets == [0, 0, 1])

        let text = dir.write("s.txt", "doc7 a b c\ndoc9 b c\ndoc7 c a\n")
        var read = ReadOptions(minCount: 1)
        read.firstTokenIsID = true
        let d = try SequenceFileReader.read(path: text, options: read)
        #expect(d.documents == ["doc7", "doc9"])
        #expect(d.sequenceDocuments == [0, 1, 0])
        #expect(d.sequences.tokenCount == 7)
        let lines = try SequenceFileReader.read(path: text, options: ReadOptions(minCount: 1))
        #expect(lines.documents == ["1", "2", "3"])
        let noIDs = try SequenceFileReader.read(path: text, options: ReadOptions(minCount: 1, keepSequenceIDs: false))
        #expect(noIDs.documents.isEmpty && noIDs.sequenceDocuments.isEmpty)
        #expect(noIDs.sequences == lines.sequences)
    }

    @Test func badWeightsAndHalfGivenContextAreErrors() throws {
        let dir = TemporaryFolder()
        let path = dir.write("e.tsv", "user_id\titem_id\ttimestamp\tw\n1\tx\t5\t-1\n")
        var events = EventOptions()
        events.weightColumn = "w"
        #expect(throws: InputError.self) { try EventFileReader.read(path: path, events: events) }
        var half = EventOptions()
        half.contextEventColumn = "type"
        #expect(throws: ConfigurationError.self) { try EventFileReader.read(path: path, events: half) }
    }
}
