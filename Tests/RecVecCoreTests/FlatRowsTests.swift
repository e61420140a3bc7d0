// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Flat rows (evaluation's data, splits and times): rows are zero-based views of shared storage,
/// a prepared corpus's rows stay mapped through the split, and splitting flat data gives what
/// splitting the same data as nested arrays gives.
struct FlatRowsTests {
    @Test func rowsAreZeroBasedViewsOfOneStorage() {
        let nested: [[Int32]] = [[5, 6, 7], [], [8], [9, 10]]
        let rows = FlatRows(nested)
        #expect(rows.count == 4 && rows.valueCount == 6)
        #expect(rows.nested == nested)
        #expect(Array(rows.offsets) == [0, 3, 3, 4, 6])
        // Row 3 starts at value 4 of the storage but is indexed from 0.
        #expect(rows[3][0] == 9 && rows[3][1] == 10 && rows[3].indices == 0..<2)
        #expect(rows[1].isEmpty && rows[1].droppingLast().isEmpty)
        #expect(Array(rows[0].prefix(2)) == [5, 6] && Array(rows[0].droppingLast()) == [5, 6])
        #expect(rows[0].prefix(9).count == 3 && rows[0].prefix(-1).isEmpty)
        #expect(rows == [[5, 6, 7], [], [8], [9, 10]])
        #expect(rows != [[5, 6, 7], [8], [], [9, 10]])  // same values, other rows
        #expect(rows[2] == [8] && rows[0] != [5, 6])
        #expect(rows.description == "[[5, 6, 7], [], [8], [9, 10]]")

        var builder = FlatRows<Double>.Builder()
        builder.reserve(values: 6, rows: 4)
        for row in rows { builder.append(row.map { Double($0) / 2 }) }
        let halves = builder.rows
        #expect(builder.count == 4 && halves.isParallel(to: rows) && !FlatRows<Double>([[1]]).isParallel(to: rows))
        #expect(halves[3] == [4.5, 5])
    }

    @Test func interactionsOfAPreparedCorpusStayMappedThroughTheSplit() throws {
        let dir = TemporaryFolder()
        let input = dir.write("e.tsv", PreparedCorpusTests.events)
        let options = ReadOptions(minCount: 1)
        let text = try EventFileReader.read(path: input, events: PreparedCorpusTests.eventOptions, options: options)
        let path = dir.file("e.rvcorpus")
        let description = PreparedCorpusDescription(
            input: input,
            sources: try PreparedCorpusDescription.sources(of: input),
            format: "events",
            minCount: 1,
            maxVocab: nil,
            maxSequenceLength: 10_000
        )
        try PreparedCorpus.write(text, description: description, to: path)
        let mapped = try Interactions.read(path: path, format: .events)
        #expect(mapped.sequences.values.isMapped && mapped.times?.values.isMapped == true)
        // The same data as nested arrays: every protocol splits both alike.
        let nested = Interactions(
            items: mapped.items,
            sequences: mapped.sequences.nested,
            times: mapped.times.map(\.nested)
        )
        #expect(!nested.sequences.values.isMapped && nested.eventCount == mapped.eventCount)
        var o = ProtocolOptions()
        o.minEvents = 2
        o.testDays = 20.0 / 86_400
        o.testFraction = 0.5
        for p in EvaluationProtocol.allCases {
            let a = try Splitter.split(mapped, protocol: p, options: o)
            let b = try Splitter.split(nested, protocol: p, options: o)
            #expect(a.train == b.train, "\(p)")
            // The training part of mapped data is mapped too (written to temporary files).
            #expect(a.train.values.isMapped && !b.train.values.isMapped, "\(p)")
            #expect(a.trainTimes == b.trainTimes, "\(p)")
            #expect(a.cases == b.cases && a.skipped == b.skipped, "\(p)")
            // Pages given back are read again from the file: the split's views are unchanged.
            mapped.releasePages(sequences: 0..<mapped.sequences.count)
            #expect(a.cases == b.cases, "\(p)")
        }
        // A leave-last-out history is its user's training sequence, not a copy of it.
        let split = try Splitter.split(mapped, protocol: .leaveLastOut, options: o)
        for c in split.cases { #expect(split.train.contains(c.history)) }
        #expect(split.trainTimes?.isParallel(to: split.train) == true)
        // The model's corpus of mapped training data is mapped too, and the same as in memory.
        let nestedSplit = try Splitter.split(nested, protocol: .leaveLastOut, options: o)
        for withTimes in [false, true] {
            let fromMapped = try DataCorpus(
                TrainingData(sequences: split.train, items: mapped.items, times: split.trainTimes),
                withTimes: withTimes
            )
            let fromNested = try DataCorpus(
                TrainingData(sequences: nestedSplit.train, items: mapped.items, times: nestedSplit.trainTimes),
                withTimes: withTimes
            )
            #expect(fromMapped.corpus.sequences.tokens.isMapped && !fromNested.corpus.sequences.tokens.isMapped)
            #expect(fromMapped.corpus.sequences == fromNested.corpus.sequences)
            #expect(fromMapped.corpus.times == fromNested.corpus.times)
            #expect(fromMapped.corpus.baskets == fromNested.corpus.baskets)
            #expect(fromMapped.corpus.documents == fromNested.corpus.documents)
            #expect(fromMapped.dataIDs == fromNested.dataIDs)
        }
        // Without document ids (models that learn no document vectors) the corpus has none.
        let bare = try DataCorpus(
            TrainingData(sequences: split.train, items: mapped.items, times: nil),
            withDocuments: false
        )
        #expect(bare.corpus.documents.isEmpty && bare.corpus.sequenceDocuments.isEmpty)
        #expect(bare.corpus.sequences.count == split.train.count)
    }

    @Test func modelsSayWhetherTheyReadTimes() {
        #expect(!PopularityModel().usesTimes && !CooccurrenceModel().usesTimes && !MarkovModel().usesTimes)
        #expect(GRU4RecModel().usesTimes)
        #expect(!EmbeddingRecommenderModel(name: "item2vec", training: TrainingConfig()).usesTimes)
        let mix = MixModel(
            embedding: EmbeddingRecommenderModel(name: "item2vec", training: TrainingConfig()),
            cooccurrence: CooccurrenceModel()
        )
        #expect(!mix.usesTimes)
    }
}
