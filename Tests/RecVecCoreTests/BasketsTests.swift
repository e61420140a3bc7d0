// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// Baskets by time, computed in one place (``Baskets``) for the event reader and `Corpus.from(_:times:)`.
struct BasketsTests {
    func sequences(_ c: Corpus) -> [[String]] {
        (0..<c.sequences.count).map { i in c.sequences[i].map { c.vocabulary.tokens[Int($0)] } }
    }

    let options = ReadOptions(minCount: 1)

    @Test func basketsByTimeNumberEqualConsecutiveTimes() {
        #expect(Baskets.byTime([]) == [])
        #expect(Baskets.byTime([5, 5, 7, 7, 7, 9, 5]) == [0, 0, 1, 1, 1, 2, 3])
        var b = Baskets()
        #expect([b.next(1), b.next(1), b.next(2)] == [0, 0, 1])
        b.startSequence()
        #expect([b.next(2), b.next(3)] == [0, 1])
    }

    /// The event reader (`basketsByTime`) and `Corpus.from(_:times:)` (what `tune` retrains on)
    /// give the same baskets for the same sequences and times.
    @Test func basketsByTimeAreTheSameFromAnEventLogAndFromSequencesWithTimes() throws {
        var rng = FastRandom(seed: 9)
        var rows = ["user_id\titem_id\ttimestamp"]
        var lines: [[String]] = []
        var times: [[Double]] = []
        for u in 0..<40 {
            var t = 1000.0
            var line: [String] = []
            var time: [Double] = []
            for _ in 0..<(1 + rng.next(below: 12)) {
                if rng.next(below: 3) != 0 { t += Double(1 + rng.next(below: 100)) }  // a third share the time before
                let item = "i\(rng.next(below: 20))"
                rows.append("u\(u)\t\(item)\t\(Int(t))")
                line.append(item)
                time.append(t)
            }
            lines.append(line)
            times.append(time)
        }
        let dir = TemporaryFolder()
        let path = dir.write("e.tsv", rows.joined(separator: "\n") + "\n")
        var events = EventOptions()
        events.basketsByTime = true
        let read = try EventFileReader.read(path: path, events: events, options: options)
        let built = try Corpus.from(lines, times: times)
        #expect(sequences(read) == lines)
        #expect(sequences(built) == lines)
        #expect(read.baskets != nil)
        #expect(read.baskets == built.baskets)
        #expect(read.baskets?.array == times.flatMap { Baskets.byTime($0) })
        #expect(read.times == built.times)
        // The event reader starts a new piece of a long sequence at basket 0, as it always did.
        let cut = try EventFileReader.read(
            path: dir.write("cut.tsv", "user_id\titem_id\ttimestamp\nu\ta\t5\nu\tb\t5\nu\tc\t7\nu\td\t7\nu\te\t9\n"),
            events: events,
            options: ReadOptions(minCount: 1, maxSequenceLength: 3)
        )
        #expect(sequences(cut) == [["a", "b", "c"], ["d", "e"]])
        #expect(cut.baskets == [0, 0, 1, 0, 1])
    }
}
