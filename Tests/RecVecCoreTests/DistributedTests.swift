// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Training, evaluation and tuning spread over several processes (``ProcessGroup``), with the
/// processes played by threads (``ThreadRank``): what `mpirun -np N recvec …` runs.
struct DistributedTests {
    /// The planted-group tests' settings (one thread, seed 7).
    func config(_ architecture: Architecture) -> TrainingConfig { TrainingTests().config(architecture) }

    /// Rank `rank`'s model of `corpus` (default: the planted corpus), synchronised every 2,000 tokens
    /// unless `configure` says otherwise; rank 0's epochs go to `events`.
    static func train(
        _ c: TrainingConfig,
        rank: ThreadRank,
        events: EventCollector,
        corpus: Corpus = plantedCorpus(),
        configure: (inout DataParallel) -> Void = { _ in }
    ) throws -> EmbeddingModel {
        var parallel = DataParallel(group: rank, syncEvery: 2_000)
        configure(&parallel)
        let trainer = Trainer(config: c, distribution: parallel)
        if rank.rank == 0 { return try trainer.train(corpus) { events.append($0) } }
        return try trainer.train(corpus)
    }

    @Test func sharesCoverEveryItemOnce() {
        for (count, size) in [(0, 3), (5, 2), (7, 3), (2, 4), (1000, 7)] {
            let parts = (0..<size).map { SingleProcess.share(of: count, rank: $0, size: size) }
            #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == count)
            #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(parts.map(\.count).max()! - parts.map(\.count).min()! <= 1)
        }
        #expect(SingleProcess().share(of: 9) == 0..<9)
    }

    /// Two ranks, each on half of the sequences, end with one model (the last step synchronises them),
    /// the vocabulary of a single process, and the planted groups recovered; the epochs report
    /// the synchronisations and the bytes they moved.
    @Test(arguments: [Architecture.skipGram, .cbow])
    func twoRanksTrainOneModel(architecture: Architecture) throws {
        let c = config(architecture)
        let corpus = plantedCorpus()
        let events = EventCollector()
        let models = try onRanks(2) { rank in try Self.train(c, rank: rank, events: events) }
        #expect(models[0].isIdentical(to: models[1]))
        let alone = try Trainer(config: c).train(corpus)
        #expect(models[0].vocabulary.tokens == alone.vocabulary.tokens)
        #expect(!models[0].isIdentical(to: alone))
        let precision = try groupPrecision(models[0])
        #expect(precision >= 0.95, "planted groups: \(precision)")
        // 15,000 tokens: 7,500 a rank, 4 rounds of at most 2,000 an epoch.
        let epochs = events.epochs()
        #expect(epochs.map(\.synchronizations) == [4, 8, 12, 16])
        // The learning rate falls with the progress of both ranks: as one process's does (times 2,
        // the default merge's scale), to its minimum at the end (a rank that counted its own tokens
        // alone would end at half the start).
        let aloneEvents = EventCollector()
        _ = try Trainer(config: c).train(corpus, onEvent: { aloneEvents.append($0) })
        for (two, one) in zip(epochs.map(\.learningRate), aloneEvents.epochs().map(\.learningRate)) {
            #expect(abs(two - 2 * one) < 0.04 * c.startAlpha, "learning rate \(two) with 2 ranks, \(one) alone")
        }
        #expect(epochs.last!.learningRate < 0.02 * c.startAlpha)
        let bytes = DataParallel.bytesPerSynchronization(rows: alone.input.rows, stride: alone.input.stride)
        #expect(epochs.last!.synchronizedBytes == 16 * bytes)
        #expect(bytes == 2 * alone.input.rows * (alone.input.stride + 1) * 4 + 8)
        // The loss is that of both ranks' examples: as many as one process trains.
        #expect(models[0].summary!.epochExamples.count == 4)
        // The summary (and so the model file) records the processes and their learning-rate scale.
        #expect(models[0].summary!.processes == 2 && models[0].summary!.learningRateScale == 2)
        #expect(alone.summary!.processes == nil && alone.summary!.learningRateScale == nil)
        let ratio = Double(models[0].summary!.epochExamples[0]) / Double(alone.summary!.epochExamples[0])
        #expect(abs(ratio - 1) < 0.05)
    }

    /// Ranks whose shares differ in size still make as many synchronisations as each other (the
    /// largest share's count), so no rank waits on a collective the other never calls.
    @Test func unevenSharesSynchronizeTogether() throws {
        var lines: [[String]] = Array(repeating: ["a", "b", "c"], count: 10)
        lines.append((0..<60).map { "t\($0 % 6)" })  // one long sequence: one rank's share is larger
        let fixedLines = lines
        var c = config(.skipGram)
        c.epochs = 2
        c.dim = 8
        let fixed = c
        let events = [EventCollector(), EventCollector()]
        let models = try onRanks(2) { rank in
            try Trainer(config: fixed, distribution: DataParallel(group: rank, syncEvery: 7))
                .train(corpus(fixedLines), onEvent: { events[rank.rank].append($0) })
        }
        #expect(models[0].isIdentical(to: models[1]))
        let counts = events.map { $0.epochs().map(\.synchronizations) }
        #expect(counts[0] == counts[1] && counts[0].last! > 2)
    }

    /// A synchronisation merges what each rank changed since the last one — by default each row by
    /// the mean change of the ranks that changed it (the whole step of a row one rank alone moved,
    /// the mean of a row both moved), or the mean over all ranks, or the sum — and both ranks carry
    /// on from the merged matrix.
    @Test(arguments: [
        (DataParallel.Merge.changedMean, [Float](arrayLiteral: 1.125, 1.125, 3, 3, 3, 3)),
        (.mean, [1.125, 1.125, 2.5, 2.5, 3, 3]),
        (.sum, [1.25, 1.25, 3, 3, 3, 3]),
    ])
    func synchronisationMergesTheChanges(merge: DataParallel.Merge, expected: [Float]) throws {
        let results = try onRanks(2) { rank -> [Float] in
            let m = EmbeddingMatrix(rows: 3, dim: 2)
            let synced = EmbeddingMatrix(rows: 3, dim: 2)
            for r in 0..<3 { for c in 0..<2 { synced.row(r)[c] = Float(r + 1) } }
            // Row 0: rank 0 moved it by +0.5, rank 1 by −0.25. Row 1: rank 1 alone, by +1. Row 2: nobody.
            for c in 0..<2 {
                m.row(0)[c] = rank.rank == 0 ? 1.5 : 0.75
                m.row(1)[c] = rank.rank == 0 ? 2 : 3
                m.row(2)[c] = 3
            }
            let sent = try Trainer(config: TrainingConfig()).synchronize(
                [m],
                since: [synced],
                group: rank,
                merge: merge
            )
            // A count a row, then rows 0 and 1 alone (row 2 was touched by nobody).
            #expect(sent == (3 + 2 * m.stride) * 4)
            let merged = (0..<3).flatMap { r in (0..<2).map { m.row(r)[$0] } }
            #expect(merged == (0..<3).flatMap { r in (0..<2).map { synced.row(r)[$0] } })
            return merged
        }
        #expect(results[0] == expected)
        #expect(results[1] == expected)
    }

    /// The touched rows packed and exchanged alone, or the whole matrix: the same merge either way,
    /// and the bytes sent are those ``DataParallel/bytesPerSynchronization(rows:stride:touched:)``
    /// predicts.
    @Test(arguments: [5, 40])
    func packedRowsMergeAsWholeMatrices(touchedRows: Int) throws {
        let rows = 40
        // Rank r moves row i (of the first `touchedRows`) by (r + 1) · (i + 1) / 8: rank 0 the even
        // rows, rank 1 the odd ones and every fourth (both move those).
        @Sendable func change(_ rank: Int, _ i: Int) -> Float {
            let mine = rank == 0 ? i % 2 == 0 : i % 2 == 1 || i % 4 == 0
            return i < touchedRows && mine ? Float((rank + 1) * (i + 1)) / 8 : 0
        }
        let results = try onRanks(2) { rank -> ([Float], Int) in
            let (m, synced) = (EmbeddingMatrix(rows: rows, dim: 3), EmbeddingMatrix(rows: rows, dim: 3))
            let other = EmbeddingMatrix(rows: rows, dim: 3)
            for r in 0..<rows {
                for c in 0..<3 {
                    synced.row(r)[c] = Float(r * 3 + c)
                    m.row(r)[c] = synced.row(r)[c] + change(rank.rank, r)
                }
            }
            let sent = try Trainer(config: TrainingConfig())
                .synchronize([m, other], since: [synced, EmbeddingMatrix(rows: rows, dim: 3)], group: rank)
            return ((0..<rows).flatMap { r in (0..<3).map { m.row(r)[$0] } }, sent)
        }
        var expected: [Float] = []
        var touched = 0
        for r in 0..<rows {
            let changes = [change(0, r), change(1, r)].filter { $0 != 0 }
            if !changes.isEmpty { touched += 1 }
            let step = changes.isEmpty ? 0 : changes.reduce(0, +) / Float(changes.count)
            expected += (0..<3).map { Float(r * 3 + $0) + step }
        }
        #expect(results[0].0 == expected && results[1].0 == expected)
        let stride = EmbeddingMatrix(rows: 1, dim: 3).stride
        let bytes = DataParallel.bytesPerSynchronization(rows: rows, stride: stride, touched: (touched, 0))
        #expect(results[0].1 + 8 == bytes)  // the trainer adds the progress counter
        let packed = Double(touched) < DataParallel.packingThreshold * Double(rows)
        #expect(packed == (touchedRows == 5))
        #expect(results[0].1 == (2 * rows + (packed ? touched : rows) * stride) * 4)
    }

    /// A hot synchronisation merges the first rows only (the most frequent tokens); the others
    /// keep their changes, in the matrix and against the last synchronised state, for the next
    /// full one.
    @Test func hotSynchronisationsMergeTheFirstRows() throws {
        let results = try onRanks(2) { rank -> ([Float], [Float]) in
            let (m, synced) = (EmbeddingMatrix(rows: 3, dim: 2), EmbeddingMatrix(rows: 3, dim: 2))
            for r in 0..<3 {
                for c in 0..<2 {
                    synced.row(r)[c] = 1
                    m.row(r)[c] = 1 + Float(rank.rank + 1) * Float(r + 1)
                }
            }
            try Trainer(config: TrainingConfig()).synchronize([m], since: [synced], group: rank, merge: .sum, rows: 1)
            return ((0..<3).map { m.row($0)[0] }, (0..<3).map { synced.row($0)[0] })
        }
        // Row 0 summed (1 + 1 + 2); rows 1 and 2 still each rank's own, not yet synchronised.
        #expect(results[0].0 == [4, 3, 4] && results[1].0 == [4, 5, 7])
        #expect(results[0].1 == [4, 1, 1] && results[1].1 == [4, 1, 1])
    }

    /// Hot synchronisations between the full ones: rounds of `hotSyncEvery` tokens, one model at
    /// the end on both ranks, the planted groups recovered.
    @Test func hotRoundsTrainOneModel() throws {
        let c = config(.skipGram)
        let events = EventCollector()
        let models = try onRanks(2) { rank in
            try Self.train(c, rank: rank, events: events) {
                $0.syncEvery = 4_000
                $0.hotSyncEvery = 1_000
                $0.minimumSynchronizationsPerEpoch = nil  // full rounds of 4,000 in a 7,500-token share
            }
        }
        #expect(models[0].isIdentical(to: models[1]))
        #expect(try groupPrecision(models[0]) >= 0.95)
        // 7,500 tokens a rank: 8 rounds of 1,000 an epoch.
        #expect(events.epochs().map(\.synchronizations) == [8, 16, 24, 32])
        // Announced once, before the first epoch: the hot rows are the tokens seen at least once in
        // 1,000 of the 15,000 (a count of 15 or more).
        let hot = plantedCorpus().vocabulary.counts.prefix { $0 * 1_000 >= 15_000 }.count
        #expect(
            events.plans()
                == [
                    SynchronizationPlan(
                        processes: 2,
                        fullInterval: 4_000,
                        hotInterval: 1_000,
                        hotRows: hot,
                        synchronizationsPerEpoch: 8,
                        merge: .mean,
                        learningRateScale: 2,
                        startAlpha: 2 * c.startAlpha,
                        splitsSequences: true,
                        longestSequence: 10
                    )
                ]
        )
    }

    /// Rounds of a share cut to a token when the source allows it: contiguous runs of equal token
    /// counts (±1) covering the share, each listing exactly the sequences it holds tokens of (in
    /// part at its ends), empty sequences only between two of them; whole sequences otherwise.
    @Test func roundsCutSequencesToTheToken() {
        let s = Sequences([Array(0..<10), [], Array(0..<5), Array(0..<25), []].map { $0.map { Int32($0) } })
        let cut = Trainer.rounds(s, within: 0..<5, parts: 4, split: true)
        #expect(cut.map(\.tokens) == [0..<10, 10..<20, 20..<30, 30..<40])
        #expect(cut.map(\.sequences) == [0..<1, 2..<4, 3..<4, 3..<4])
        let whole = Trainer.rounds(s, within: 0..<5, parts: 4, split: false)
        // Whole sequences: the 25-token one makes one round of 30 and leaves two empty.
        #expect(whole.map(\.sequences) == [0..<1, 1..<4, 4..<4, 4..<5])
        #expect(whole.map(\.tokens) == [0..<10, 10..<40, 40..<40, 40..<40])
        // More rounds than tokens: some rounds are empty, none holds a sequence it has no token of.
        #expect(
            Trainer.rounds(Sequences([[1, 2]]), within: 0..<1, parts: 4, split: true).map(\.sequences) == [
                0..<0, 0..<1, 0..<0, 0..<1,
            ]
        )
        var rng = FastRandom(seed: 3)
        for _ in 0..<200 {
            let lengths = (0..<(1 + rng.next(below: 12))).map { _ in rng.next(below: 3) == 0 ? 0 : rng.next(below: 40) }
            let sequences = Sequences(lengths.map { [Int32](repeating: 1, count: $0) })
            let lo = rng.next(below: lengths.count)
            let range = lo..<(lo + 1 + rng.next(below: lengths.count - lo))
            let parts = 1 + rng.next(below: 9)
            let rounds = Trainer.rounds(sequences, within: range, parts: parts, split: true)
            let (first, end) = (sequences.offsets[range.lowerBound], sequences.offsets[range.upperBound])
            #expect(rounds.first!.tokens.lowerBound == first && rounds.last!.tokens.upperBound == end)
            #expect(zip(rounds, rounds.dropFirst()).allSatisfy { $0.tokens.upperBound == $1.tokens.lowerBound })
            #expect(rounds.map(\.tokens.count).max()! - rounds.map(\.tokens.count).min()! <= 1)
            var trained = 0
            for round in rounds {
                for q in round.sequences {
                    let held =
                        min(sequences.offsets[q + 1], round.tokens.upperBound)
                        - max(sequences.offsets[q], round.tokens.lowerBound)
                    let atEnd = q == round.sequences.lowerBound || q + 1 == round.sequences.upperBound
                    #expect(held > 0 || (held == 0 && !atEnd && lengths[q] == 0), "\(lengths) \(range) \(parts)")
                    trained += max(0, held)
                }
            }
            #expect(trained == end - first)
        }
    }

    /// Sequences longer than a round (a text prepared into long lines): the rounds end inside them,
    /// so each trains its share of tokens, and two ranks still end with one model that recovers the
    /// planted groups. A model that trains its sequences whole announces that its rounds are
    /// stretched instead.
    @Test func roundsEndInsideLongSequences() throws {
        // 4 sequences of 3,750 tokens (runs of 250 from one group), 7,500 tokens a rank, rounds of 1,875.
        let runs = plantedLines(sequences: 60, length: 250)
        let lines = (0..<4).map { q in Array(runs[(q * 15)..<(q * 15 + 15)].joined()) }
        let c = config(.skipGram)
        let events = EventCollector()
        let models = try onRanks(2) { rank in
            try Self.train(c, rank: rank, events: events, corpus: corpus(lines))
        }
        #expect(models[0].isIdentical(to: models[1]))
        #expect(try groupPrecision(models[0]) >= 0.95)
        let plan = try #require(events.plans().first)
        #expect(plan.splitsSequences && plan.longestSequence == 3_750 && !plan.roundsStretchedBySequences)
        #expect(events.epochs().map(\.synchronizations) == [4, 8, 12, 16])

        var full = c
        full.windowMode = .full
        full.epochs = 1
        let fixed = full
        let fullEvents = EventCollector()
        _ = try onRanks(2) { rank in
            try Self.train(
                fixed,
                rank: rank,
                events: fullEvents,
                corpus: corpus([Array(lines[0].prefix(40)), Array(lines[1].prefix(40))])
            )
        }
        let stretched = try #require(fullEvents.plans().first)
        #expect(!stretched.splitsSequences && stretched.roundsStretchedBySequences)
    }

    /// The event skip-gram (bagged-prod2vec here) trains a sequence in pieces too: on sequences of
    /// 800 tokens and rounds of 150, two ranks end with one model that still predicts the next
    /// basket's kind (baskets alternate between x and y items) far above its own basket's, as
    /// one process does (``EventSkipGramTests``); a piece that starts inside a basket keeps the
    /// basket numbers of its tokens.
    @Test func baggedProd2vecRoundsEndInsideSequences() throws {
        let test = EventSkipGramTests()
        let data = test.alternatingBaskets(sequences: 8, basketsPerLine: 400)
        var c = test.config(.baggedProd2vec, epochs: 6)
        c.seed = 7
        let fixed = c
        let events = EventCollector()
        let models = try onRanks(2) { rank in
            let trainer = Trainer(config: fixed, distribution: DataParallel(group: rank, syncEvery: 150))
            return try trainer.train(data, inputs: ModelInputs()) { if rank.rank == 0 { events.append($0) } }
        }
        #expect(models[0].isIdentical(to: models[1]))
        let plan = try #require(events.plans().first)
        #expect(plan.splitsSequences && plan.longestSequence == 800 && !plan.roundsStretchedBySequences)
        // 3,200 tokens a rank, rounds of at most 150: 22 an epoch (of 145 or 146 tokens).
        #expect(events.epochs().first?.synchronizations == 22)
        let margin = test.basketMargin(models[0])
        #expect(margin > 2, "bagged margin across two ranks \(margin)")
    }

    /// On a corpus whose shares are short of four times `syncEvery` (here 7,500 tokens a rank
    /// against the default 1,000,000), the full synchronisations come four times an epoch, unless
    /// ``DataParallel/minimumSynchronizationsPerEpoch`` is off: then once, at the epoch's end.
    @Test func smallSharesStillSynchronizeEveryQuarterEpoch() throws {
        let c = config(.skipGram)
        for (minimum, expected) in [(4, [4, 8, 12, 16]), (nil, [1, 2, 3, 4])] as [(Int?, [Int])] {
            let events = EventCollector()
            let models = try onRanks(2) { rank in
                try Self.train(c, rank: rank, events: events) {
                    $0.syncEvery = 1_000_000
                    $0.minimumSynchronizationsPerEpoch = minimum
                }
            }
            #expect(models[0].isIdentical(to: models[1]))
            #expect(events.epochs().map(\.synchronizations) == expected)
        }
        let parallel = DataParallel(group: SingleProcess())
        #expect(parallel.fullInterval(largestShare: 7_500) == 1_875)
        #expect(parallel.fullInterval(largestShare: 7_501) == 1_876)
        #expect(parallel.fullInterval(largestShare: 40_000_000) == 1_000_000)
        #expect(parallel.fullInterval(largestShare: 0) == 1)
    }

    /// A training whose steps blow the model up stops at the epoch's end with an error naming the
    /// learning rate (alone) or the merge (across processes, every rank alike) instead of returning
    /// a model that no file may hold.
    @Test func divergedTrainingIsRefused() throws {
        var c = config(.skipGram)
        c.alpha = 10
        c.minAlpha = 10
        @Sendable func setting(_ body: () throws -> Void) -> String? {
            do {
                try body()
                return nil
            } catch let error as ConfigurationError {
                #expect(error.message.contains("diverged in epoch 1"))
                return error.setting
            } catch {
                return "\(error)"
            }
        }
        #expect(setting { _ = try Trainer(config: c).train(plantedCorpus()) } == "alpha")
        let fixed = c
        let settings = try onRanks(2) { rank in
            setting { _ = try Self.train(fixed, rank: rank, events: EventCollector()) }
        }
        #expect(settings == ["sync_merge", "sync_merge"])
    }

    /// Model averaging trains each process at N times the learning rate, at most 4 times (the mean
    /// of N steps moves a steadily moving row as one process's step over the same tokens would); the merges that do
    /// not divide by N keep it; a scale given is used as is. The epochs report the rate the
    /// processes trained at.
    @Test func learningRateScaleFollowsTheMerge() throws {
        let c = config(.skipGram)
        var expected: [(DataParallel.Merge, Double?, Double)] = []
        expected.append((.mean, nil, 2))
        expected.append((.sum, nil, 1))
        expected.append((.changedMean, nil, 1))
        expected.append((.mean, 1.5, 1.5))
        for (merge, given, scale) in expected {
            var parallel = DataParallel(group: ThreadRank(rank: 0, rendezvous: ThreadRendezvous(size: 2)), merge: merge)
            parallel.learningRateScale = given
            #expect(parallel.resolvedLearningRateScale == scale)
        }
        // Past 4 processes the automatic factor stays at 4; a factor given is used as is.
        var eight = DataParallel(group: ThreadRank(rank: 0, rendezvous: ThreadRendezvous(size: 8)))
        #expect(eight.resolvedLearningRateScale == 4)
        eight.learningRateScale = 8
        #expect(eight.resolvedLearningRateScale == 8)
        #expect(DataParallel(group: SingleProcess()).resolvedLearningRateScale == 1)
        for (merge, given, scale) in expected.suffix(2) {
            let events = EventCollector()
            _ = try onRanks(2) { rank in
                try Self.train(c, rank: rank, events: events) {
                    $0.merge = merge
                    $0.learningRateScale = given
                }
            }
            let first = events.epochs()[0].learningRate
            let expectedRate = scale * (c.startAlpha - (c.startAlpha - c.minAlpha) / Double(c.epochs))
            #expect(
                abs(first - expectedRate) < 0.03 * scale * c.startAlpha,
                "\(merge): \(first), expected \(expectedRate)"
            )
        }
        for bad in [0, -1, Double.nan, .infinity] {
            var parallel = DataParallel(group: SingleProcess())
            parallel.learningRateScale = bad
            #expect(throws: ConfigurationError.self) { try parallel.validate() }
        }
    }

    /// A finite but enormous loss counts as diverged too (CBOW at 8 × its rate across 8 processes
    /// ended at 10¹⁰ an example with every value finite), as do NaN and infinite values; a healthy
    /// loss does not.
    @Test func divergenceIsAnEnormousLossOrANonFiniteValue() {
        let m = EmbeddingMatrix(rows: 3, dim: 4)
        let o = EmbeddingMatrix(rows: 3, dim: 4)
        #expect(!Trainer.hasDiverged(loss: 4.2, input: m, output: o))
        #expect(!Trainer.hasDiverged(loss: 1e6, input: m, output: o))
        #expect(Trainer.hasDiverged(loss: 9.7e9, input: m, output: o))
        #expect(Trainer.hasDiverged(loss: .infinity, input: m, output: o))
        #expect(Trainer.hasDiverged(loss: .nan, input: m, output: o))
        o.base[5] = .nan
        #expect(Trainer.hasDiverged(loss: 4.2, input: m, output: o))
        o.base[5] = 0
        m.base[0] = -.infinity
        #expect(Trainer.hasDiverged(loss: 4.2, input: m, output: o))
    }

    @Test func syncEveryMustBePositive() {
        #expect(throws: ConfigurationError.self) {
            _ = try onRanks(2) { rank in
                try Trainer(config: config(.skipGram), distribution: DataParallel(group: rank, syncEvery: 0))
                    .train(plantedCorpus(sequences: 20))
            }
        }
        var hot = DataParallel(group: SingleProcess())
        hot.hotSyncEvery = 0
        #expect(throws: ConfigurationError.self) { try hot.validate() }
        hot.hotSyncEvery = 2_000_000  // longer than the full rounds: every synchronisation is full
        #expect(throws: Never.self) { try hot.validate() }
        hot.minimumSynchronizationsPerEpoch = 0
        #expect(throws: ConfigurationError.self) { try hot.validate() }
    }

    static let data: Interactions = {
        var rng = FastRandom(seed: 3)
        let items = (0..<4).flatMap { g in (0..<5).map { "g\(g)_\($0)" } }
        var sequences: [[Int32]] = []
        for _ in 0..<150 {
            let g = rng.next(below: 4)
            sequences.append((0..<6).map { _ in Int32(g * 5 + rng.next(below: 5)) })
        }
        return Interactions(items: items, sequences: sequences)
    }()

    static var base: ModelSettings {
        var base = ModelSettings()
        base.training.dim = 8
        base.training.epochs = 2
        base.training.threads = 1
        base.minCount = 1
        return base
    }

    static func models() throws -> [any RecommenderModel] {
        try ["item2vec", "cooccurrence", "popularity"].map { try ModelRegistry.recommender($0, settings: base) }
    }

    /// The report without its clocks, as JSON.
    func timeless(_ report: EvaluationReport) throws -> String {
        func still(_ results: inout [ModelResult]) {
            for i in results.indices {
                results[i].trainSeconds = 0
                results[i].trainCPUSeconds = nil
                results[i].scoreSeconds = nil
            }
        }
        var r = report
        still(&r.results)
        if r.coldStart != nil { still(&r.coldStart!.results) }
        return try ReportJSON.encode(r)
    }

    /// `mpirun -np 2 recvec evaluate`: with as many models as ranks or more each rank fits and ranks
    /// its own models, with fewer each ranks half of the cases of every model; either way the report
    /// is the one a single process writes, figure for figure (intervals and paired tests included).
    @Test(arguments: [3, 1])
    func twoRanksEvaluateAsOne(models count: Int) throws {
        var settings = EvaluationSettings(protocolName: .leaveLastOut)
        settings.cutoffs = [1, 5]
        settings.bootstrap = 100
        settings.coldStart = 30
        let fixed = settings
        let alone = try EvaluationRun.run(data: Self.data, settings: fixed, models: Array(Self.models().prefix(count)))
        let reports = try onRanks(2) { rank in
            var s = fixed
            s.group = rank
            return try EvaluationRun.run(data: Self.data, settings: s, models: Array(Self.models().prefix(count)))
        }
        let expected = try timeless(alone).split(separator: "\n")
        for report in reports {
            let got = try timeless(report).split(separator: "\n")
            let first = zip(got, expected).first { $0 != $1 }
            #expect(got == expected, "first difference: \(String(describing: first))")
        }
        #expect(alone.testCases > 100)
    }

    /// `mpirun -np N recvec tune`: the trials of a rung run side by side, and the search — its
    /// trials, their scores, the best configuration, the test table — is the one a single process runs.
    @Test(arguments: [2, 3])
    func ranksTuneAsOne(ranks: Int) throws {
        var settings = EvaluationSettings(protocolName: .leaveLastOut)
        settings.cutoffs = [5]
        settings.bootstrap = 50
        let fixed = settings
        @Sendable func tune(_ group: (any ProcessGroup)?) throws -> TuningRun.Result {
            var s = fixed
            s.group = group
            var run = TuningRun(settings: s, base: Self.base, models: ["item2vec", "cooccurrence"])
            run.maxTrials = 6
            return try run.run(data: Self.data)
        }
        let alone = try tune(nil)
        let pair = try onRanks(ranks) { try tune($0) }
        func trials(_ r: TuningRun.Result) -> [String] {
            r.trials.map {
                "\($0.trial) \($0.model) \($0.budget) \($0.config.sorted { $0.key < $1.key })"
                    + " \($0.validation.sorted { $0.key < $1.key })"
            }
        }
        #expect(alone.trials.count == 12)
        for r in pair {
            #expect(trials(r) == trials(alone))
            #expect(r.best.config == alone.best.config && r.best.test == alone.best.test)
            #expect(try timeless(r.report) == timeless(alone.report))
        }
    }

    /// A rung's trials go to the process with the least budget so far: round robin when the budgets
    /// are equal, and the defaults' full-budget trial balanced by four quarter-budget ones.
    @Test func trialsAreDealtByBudget() {
        #expect(Tuner.deal([0.25, 0.25, 0.25, 0.25, 0.25], processes: 2) == [[0, 2, 4], [1, 3]])
        #expect(Tuner.deal([1, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25], processes: 2) == [[0, 5], [1, 2, 3, 4, 6]])
        #expect(Tuner.deal([1, 0.5, 0.5], processes: 3) == [[0], [1], [2]])
        #expect(Tuner.deal([0.5, 0.5], processes: 1) == [[0, 1]])
        #expect(Tuner.deal([], processes: 2) == [[], []])
    }
}
