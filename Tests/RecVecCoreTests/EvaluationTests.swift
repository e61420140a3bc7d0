// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

struct MetricTests {
    @Test func metricsMatchHandComputedValues() {
        var acc = MetricAccumulator(cutoffs: [1, 3])
        let popularity: [Int32: Double] = [0: 1, 1: 0.5, 2: 0.25, 3: 0.1]
        // Target at rank 2, then rank 1, then absent.
        acc.add(ranked: [3, 0, 1], hit: { $0 == 0 }, relativePopularity: { popularity[$0]! })
        acc.add(ranked: [2, 1, 0], hit: { $0 == 2 }, relativePopularity: { popularity[$0]! })
        acc.add(ranked: [1, 2, 3], hit: { $0 == 0 }, relativePopularity: { popularity[$0]! })
        let v = acc.values(catalogSize: 8)
        #expect(v["hr@1"] == 1.0 / 3)
        #expect(v["hr@3"] == 2.0 / 3)
        #expect(abs(v["mrr@3"]! - (0.5 + 1) / 3) < 1e-12)
        #expect(abs(v["mrr@1"]! - 1.0 / 3) < 1e-12)
        #expect(abs(v["ndcg@3"]! - (1 / log2(3.0) + 1) / 3) < 1e-12)
        #expect(v["coverage@1"] == 3.0 / 8)  // items 3, 2, 1
        #expect(v["coverage@3"] == 4.0 / 8)
        #expect(abs(v["popularity@1"]! - (0.1 + 0.25 + 0.5) / 3) < 1e-12)
        #expect(
            abs(v["popularity@3"]! - ((0.1 + 1 + 0.5) / 3 + (0.25 + 0.5 + 1) / 3 + (0.5 + 0.25 + 0.1) / 3) / 3) < 1e-12
        )
    }

    @Test func mergingEqualsAccumulatingTogether() {
        var a = MetricAccumulator(cutoffs: [2])
        var b = a
        var all = a
        a.add(ranked: [1, 2], hit: { $0 == 2 }, relativePopularity: { _ in 1 })
        b.add(ranked: [3, 4], hit: { $0 == 3 }, relativePopularity: { _ in 0.5 })
        all.add(ranked: [1, 2], hit: { $0 == 2 }, relativePopularity: { _ in 1 })
        all.add(ranked: [3, 4], hit: { $0 == 3 }, relativePopularity: { _ in 0.5 })
        a.merge(b)
        #expect(a.values(catalogSize: 4) == all.values(catalogSize: 4))
    }
}

struct SplitTests {
    func interactions(_ n: Int = 40, length: Int = 6, withTimes: Bool = true) -> Interactions {
        var rng = FastRandom(seed: 3)
        let items = (0..<30).map { "i\($0)" }
        var sequences: [[Int32]] = []
        var times: [[Double]] = []
        for s in 0..<n {
            let len = 1 + rng.next(below: length)
            sequences.append((0..<len).map { _ in Int32(rng.next(below: 30)) })
            times.append((0..<len).map { Double(s * 3600 + $0 * 60) })
        }
        return Interactions(items: items, sequences: sequences, times: withTimes ? times : nil)
    }

    /// Every test event is absent from training: the multiset of training events plus test targets
    /// (plus, for sessions and baskets, the test histories) is exactly the data.
    @Test(arguments: [EvaluationProtocol.leaveLastOut, .session, .basket])
    func testEventsNeverLeakIntoTraining(protocol p: EvaluationProtocol) throws {
        let data = interactions()
        var o = ProtocolOptions()
        o.testDays = 0.5
        o.testFraction = 0.3
        let split = try Splitter.split(data, protocol: p, options: o)
        #expect(!split.cases.isEmpty)
        let trainEvents = split.train.reduce(0) { $0 + $1.count }
        switch p {
        case .leaveLastOut:
            // One held-out event per tested user, and it is that user's last.
            #expect(
                trainEvents + split.cases.count + (split.skipped["target unseen in training"] ?? 0) == data.eventCount
            )
            for c in split.cases { #expect(split.train.contains(c.history)) }
        case .session:
            let cutoff = data.times!.compactMap(\.last).max()! - 0.5 * 86_400
            let trainStarts = split.trainTimes!.compactMap(\.first)
            #expect(trainStarts.allSatisfy { $0 < cutoff })
            let testSessionEvents = data.sequences.indices.filter { data.times![$0].first! >= cutoff }
                .reduce(0) { $0 + data.sequences[$1].count }
            #expect(trainEvents + testSessionEvents == data.eventCount)
            // Each case names its test session, so the statistics can draw a session's cases together;
            // a session's cases are its prefixes, one after another.
            #expect(split.cases.allSatisfy { testSessions(data, cutoff).contains($0.group) })
            for (a, b) in zip(split.cases, split.cases.dropFirst()) where a.group == b.group {
                #expect(Array(b.history) == Array(a.history) + [a.target])
            }
        case .basket:
            // Train baskets and reconstructed test baskets together never exceed the data's baskets:
            // no test basket is also trained on.
            var count: [[Int32]: Int] = [:]
            for s in data.sequences { count[s.sorted(), default: 0] += 1 }
            for s in split.train { count[s.sorted(), default: 0] -= 1 }
            for c in split.cases { count[(c.history + [c.target]).sorted(), default: 0] -= 1 }
            #expect(count.values.allSatisfy { $0 >= 0 })
        case .nextEvent:
            break
        }
    }

    func testSessions(_ data: Interactions, _ cutoff: Double) -> Set<Int> {
        Set(data.sequences.indices.filter { data.times![$0].first! >= cutoff })
    }

    /// Under the session protocol the report's intervals and sign tests count test sessions.
    @Test func sessionReportsResampleSessions() throws {
        let data = interactions(200)
        var settings = EvaluationSettings(protocolName: .session)
        settings.protocolOptions.testDays = 2
        settings.cutoffs = [5]
        settings.bootstrap = 100
        let split = try Splitter.split(data, protocol: .session, options: settings.protocolOptions)
        let sessions = Set(split.cases.map(\.group))
        #expect(sessions.count < split.cases.count)
        let report = try EvaluationRun.run(
            data: data,
            settings: settings,
            models: [
                try ModelRegistry.recommender("popularity", settings: ModelSettings()),
                try ModelRegistry.recommender("markov", settings: ModelSettings()),
            ]
        )
        #expect(report.testCases == split.cases.count)
        #expect(report.bootstrapGroups == sessions.count)
        let c = try #require(report.comparisons?.first)
        #expect(c.wins + c.losses <= sessions.count)
        #expect(report.markdown.contains("of the \(sessions.count) test sessions"))
        #expect(try ReportJSON.encode(report).contains("\"bootstrap_groups\" : \(sessions.count)"))
    }

    @Test func sessionsNeedTimes() {
        #expect {
            try Splitter.split(interactions(withTimes: false), protocol: .session, options: ProtocolOptions())
        } throws: {
            ($0 as? ConfigurationError)?.message.contains("needs event times") == true
        }
    }

    @Test func splitsAreDeterministicPerSeed() throws {
        let data = interactions()
        var o = ProtocolOptions()
        o.testFraction = 0.4
        let a = try Splitter.split(data, protocol: .basket, options: o)
        let b = try Splitter.split(data, protocol: .basket, options: o)
        #expect(a.cases == b.cases && a.train == b.train)
        o.seed = 2
        #expect(try Splitter.split(data, protocol: .basket, options: o).cases != a.cases)
    }

    /// `maxTestCases` keeps a seeded sample of the full split's cases, in order, counts the rest as
    /// skipped and leaves training alone; a session's cases stay together.
    @Test(arguments: [EvaluationProtocol.leaveLastOut, .session, .basket])
    func aSampleOfTestCasesIsPartOfTheFullSplit(protocol p: EvaluationProtocol) throws {
        let data = interactions(400)
        var o = ProtocolOptions()
        o.testDays = 3
        let full = try Splitter.split(data, protocol: p, options: o)
        o.maxTestCases = 25
        let sampled = try Splitter.split(data, protocol: p, options: o)
        #expect(full.cases.count > 40)
        #expect(sampled.train == full.train)
        // An ordered sub-sequence of the full split's cases.
        var rest = full.cases[...]
        for c in sampled.cases {
            guard let i = rest.firstIndex(of: c) else {
                Issue.record("\(c) is not a case of the full split")
                break
            }
            rest = rest[(i + 1)...]
        }
        #expect(sampled.skipped[Split.outsideSample] == full.cases.count - sampled.cases.count)
        if p == .session {
            // Whole sessions, drawn until 25 cases: at least 25, less than 25 plus one session.
            let groups = Set(sampled.cases.map(\.group))
            #expect(
                groups.allSatisfy { g in
                    full.cases.filter { $0.group == g }.count == sampled.cases.filter { $0.group == g }.count
                }
            )
            let longest = Dictionary(grouping: full.cases, by: \.group).values.map(\.count).max()!
            #expect(sampled.cases.count >= 25 && sampled.cases.count < 25 + longest)
        } else {
            #expect(sampled.cases.count == 25)
        }
        // Another seed, another sample; the same seed, the same one; more than the cases: all of them.
        #expect(try Splitter.split(data, protocol: p, options: o).cases == sampled.cases)
        o.seed = 2
        o.maxTestCases = 25
        let other = try Splitter.split(data, protocol: p, options: o)
        #expect(other.cases != sampled.cases)
        o.seed = 1
        o.maxTestCases = full.cases.count
        let all = try Splitter.split(data, protocol: p, options: o)
        #expect(all.cases == full.cases && all.skipped[Split.outsideSample] == nil)
        o.maxTestCases = 0
        #expect(throws: ConfigurationError.self) { try Splitter.split(data, protocol: p, options: o) }
    }

    /// Leave-last-out and session cases are held as rows and prefix lengths until they are dropped
    /// and sampled; the result is what the general path does with every case made up front: the
    /// same unseen targets dropped (items 25–28 occur only in the last days, item 29 only as the last
    /// event of a few sequences), the same sample.
    @Test(arguments: [EvaluationProtocol.leaveLastOut, .session], [0.0, 0.1])
    func compactCasesDropAndSampleAsTheGeneralPath(protocol p: EvaluationProtocol, hideItems: Double) throws {
        var rng = FastRandom(seed: 9)
        let n = 400
        var sequences: [[Int32]] = []
        var times: [[Double]] = []
        for s in 0..<n {
            let late = s >= n - 72
            var sequence = (0..<1 + rng.next(below: 7)).map { _ in Int32(rng.next(below: late ? 29 : 25)) }
            if s % 50 == 49 { sequence += [3, 4, 29] }  // item 29 is only ever a last event
            sequences.append(sequence)
            times.append(sequence.indices.map { Double(s * 3600 + $0 * 60) })
        }
        let data = Interactions(items: (0..<30).map { "i\($0)" }, sequences: sequences, times: times)
        var o = ProtocolOptions()
        o.testDays = 3
        o.hideItems = hideItems
        // Every case, made as the general path makes them.
        var all: [TestCase] = []
        for (i, s) in sequences.enumerated() {
            if p == .session, times[i][0] >= times[n - 1].last! - 3 * 86_400, s.count >= 2 {
                for j in 1..<s.count { all.append(TestCase(history: Array(s.prefix(j)), target: s[j], group: i)) }
            } else if p == .leaveLastOut, s.count >= o.minEvents {
                all.append(TestCase(history: Array(s.dropLast()), target: s[s.count - 1]))
            }
        }
        for limit in [nil, 25, 10_000] {
            o.maxTestCases = limit
            let split = try Splitter.split(data, protocol: p, options: o)
            expectDrawnAsTheGeneralPath(split, all: all, options: o)
        }
    }

    /// What the general path makes of `all` (every case, made up front) with `split`'s hidden
    /// items and `options`' sample — the same cases, unseen targets and sample as `split`.
    private func expectDrawnAsTheGeneralPath(_ split: Split, all: [TestCase], options o: ProtocolOptions) {
        var reference = Split(train: split.train, trainTimes: nil, cases: all, skipped: [:])
        reference.hidden = split.hidden
        reference.dropUnseenTargets(itemCount: 30)
        var seeds = FastRandom(seed: o.seed)
        if let limit = o.maxTestCases { reference.sample(atMost: limit, seed: seeds.next()) }
        #expect(split.cases == reference.cases)
        #expect(split.skipped[Split.unseenTarget] == reference.skipped[Split.unseenTarget])
        #expect(split.skipped[Split.outsideSample] == reference.skipped[Split.outsideSample])
        if o.maxTestCases == nil {
            #expect((reference.skipped[Split.unseenTarget] ?? 0) > 0 && split.cases.count > 50)
        }
        if o.maxTestCases == 25 { #expect(split.cases.count < all.count && split.cases.count >= 25) }
    }

    /// A given test file's sessions are drawn the same way: every prefix a case, one session one
    /// group (numbered by its line in the test file), unseen targets dropped, whole sessions sampled.
    @Test(arguments: [0.0, 0.1])
    func aTestFilesSessionCasesAreDrawnAsTheGeneralPath(hideItems: Double) throws {
        var rng = FastRandom(seed: 11)
        func sequences(_ count: Int, items: Int) -> [[Int32]] {
            (0..<count).map { _ in (0..<1 + rng.next(below: 7)).map { _ in Int32(rng.next(below: items)) } }
        }
        let items = (0..<30).map { "i\($0)" }
        let train = Interactions(items: items, sequences: sequences(300, items: 25))
        let testSequences = sequences(80, items: 29)  // items 25–28 only here: unseen targets
        let test = Interactions(items: items, sequences: testSequences)
        var all: [TestCase] = []
        for (t, s) in testSequences.enumerated() where s.count >= 2 {
            for j in 1..<s.count { all.append(TestCase(history: Array(s.prefix(j)), target: s[j], group: t)) }
        }
        var o = ProtocolOptions()
        o.hideItems = hideItems
        for limit in [nil, 25, 10_000] {
            o.maxTestCases = limit
            let split = try Splitter.split(train: train, test: test, protocol: .session, options: o)
            expectDrawnAsTheGeneralPath(split, all: all, options: o)
            #expect(split.skipped["test session of one event"] == testSequences.filter { $0.count < 2 }.count)
        }
    }

    /// Under `session`, sequences that span the log (a user's history read as one session) leave the
    /// test split cases but the validation split none: the error says it is the validation split and
    /// what to do.
    @Test func anEmptyValidationSplitSaysSo() throws {
        // Three users over 100 days each, and one short session at the very end.
        let day = 86_400.0
        let sequences: [[Int32]] = [[0, 1, 2, 0], [1, 2, 0, 1], [2, 0, 1, 2], [0, 1]]
        var times = (0..<3).map { u in (0..<4).map { Double(u) * 60 + Double($0) * 33 * day } }
        times.append([99.5 * day, 99.6 * day])
        let data = Interactions(items: ["a", "b", "c"], sequences: sequences, times: times)
        let split = try Splitter.split(data, protocol: .session, options: ProtocolOptions())
        #expect(split.cases.count == 1)
        #expect {
            try Splitter.validation(of: split, items: data.items, protocol: .session, options: ProtocolOptions())
        } throws: {
            let message = ($0 as? ConfigurationError)?.message ?? ""
            return message.contains("the validation split (session applied to the training part) failed")
                && message.contains("--session-gap")
        }
    }

    @Test func nextEventHoldsOutTheLastItem() throws {
        let data = Interactions(items: ["a", "b", "c"], sequences: [[0, 1, 2], [1, 2], [2, 0, 1]])
        var o = ProtocolOptions()
        o.testSequences = 10
        let split = try Splitter.split(data, protocol: .nextEvent, options: o)
        #expect(split.train == [[0, 1], [1], [2, 0]])
        #expect(Set(split.cases.map { [$0.history[0], $0.target] }) == [[1, 2], [0, 1]])
        #expect(split.cases.count == 3 && split.skipped.isEmpty)
    }

    @Test func emptyTestIsAnError() {
        let data = Interactions(items: ["a"], sequences: [[0], [0]], times: [[1], [2]])
        #expect { try Splitter.split(data, protocol: .leaveLastOut, options: ProtocolOptions()) } throws: {
            ($0 as? ConfigurationError)?.message.contains("left no test case") == true
        }
    }
}

struct BaselineTests {
    let items = ["a", "b", "c", "d", "e"]

    func top(_ model: any RecommenderModel, _ history: [Int32], k: Int = 3) -> [Int32] {
        var scores = [Float](repeating: -.infinity, count: items.count)
        let has = model.score(history: history, into: &scores)
        return Evaluator(cutoffs: [k], excludeHistory: true)
            .rank(has ? scores : nil, history: history, popular: [4, 3, 2, 1, 0], depth: k)
    }

    @Test func popularityRanksByCount() throws {
        var m = PopularityModel()
        try m.fit(TrainingData(sequences: [[0, 1, 1], [1, 2], [2, 1]], items: items))
        #expect(top(m, [], k: 2) == [1, 2])
        #expect(top(m, [1], k: 2) == [2, 0])  // the history's item is excluded
    }

    @Test func cooccurrenceFindsTheItemSeenTogether() throws {
        var m = CooccurrenceModel()
        try m.fit(TrainingData(sequences: [[0, 1], [0, 1], [0, 2], [3, 4]], items: items))
        #expect(top(m, [0], k: 1) == [1])
        // c(0,1) = 2 / √(3·2); c(0,2) = 1 / √(3·1)
        var scores = [Float](repeating: -.infinity, count: 5)
        _ = m.score(history: [0], into: &scores)
        #expect(abs(scores[1] - 2 / Float(6).squareRoot()) < 1e-6)
        #expect(abs(scores[2] - 1 / Float(3).squareRoot()) < 1e-6)
        #expect(scores[3] == -.infinity)
    }

    @Test func markovFollowsTransitions() throws {
        var m = MarkovModel()
        try m.fit(TrainingData(sequences: [[0, 1, 2], [0, 1, 3], [1, 3]], items: items))
        #expect(top(m, [4, 1], k: 1) == [3])  // 1 → 3 twice, 1 → 2 once
        #expect(top(m, [0], k: 1) == [1])
    }

    @Test func sessionKNNUsesSimilarSessions() throws {
        var m = SessionKNNModel(neighbors: 2)
        try m.fit(TrainingData(sequences: [[0, 1, 2], [0, 1, 3], [3, 4], [4, 2]], items: items))
        // Sessions with 0 and 1: {0,1,2} and {0,1,3}; both give 2 and 3 the same score.
        let r = top(m, [0, 1], k: 2)
        #expect(Set(r) == [2, 3])
    }

    @Test func unknownHistoryFallsBackToPopularity() throws {
        var m = CooccurrenceModel()
        try m.fit(TrainingData(sequences: [[0, 1]], items: items))
        #expect(top(m, [4], k: 2) == [3, 2])  // nothing co-occurs with 4: popular order, 4 excluded
    }

    @Test func embeddingModelsRecoverPlantedGroups() throws {
        var rng = FastRandom(seed: 9)
        let names = (0..<4).flatMap { g in (0..<5).map { "g\(g)_\($0)" } }
        var sequences: [[Int32]] = []
        for _ in 0..<600 {
            let g = rng.next(below: 4)
            sequences.append((0..<6).map { _ in Int32(g * 5 + rng.next(below: 5)) })
        }
        var config = TrainingConfig()
        config.dim = 16
        config.epochs = 3
        config.sample = 0
        config.threads = 1
        var m = EmbeddingRecommenderModel(name: "item2vec", training: config, minCount: 1)
        try m.fit(TrainingData(sequences: sequences, items: names))
        var scores = [Float](repeating: -.infinity, count: names.count)
        #expect(m.score(history: [6, 7], into: &scores))
        let ranked = Evaluator(cutoffs: [3], excludeHistory: true).rank(scores, history: [6, 7], popular: [], depth: 3)
        #expect(ranked.allSatisfy { $0 / 5 == 1 }, "\(ranked)")
    }
}

struct TunerTests {
    @Test func skipGramSpacesDrawTheNegativeShareAndCBOWsDoNot() throws {
        var rng = FastRandom(seed: 3)
        var base = ModelSettings()
        base.training.perPairNegatives = true  // a draw states the share itself
        let item2vec = try #require(Item2VecDefinition.tuning)
        var drawn = Set<Int>()
        for _ in 0..<200 {
            let o = item2vec.sample(base, &rng)
            #expect(o.training.perPairNegatives == nil)
            drawn.insert(o.training.negativeShare ?? -1)
        }
        #expect(drawn == [0, 1, 2, 4])
        let cbow = try #require(CBOWDefinition.tuning)
        for _ in 0..<50 {
            let o = cbow.sample(ModelSettings(), &rng)
            #expect(o.training.negativeShare == nil && o.training.perPairNegatives == nil)
        }
    }

    @Test func successiveHalvingNeverReturnsWorseThanDefaults() throws {
        var rng = FastRandom(seed: 2)
        let items = (0..<4).flatMap { g in (0..<5).map { "g\(g)_\($0)" } }
        var sequences: [[Int32]] = []
        var times: [[Double]] = []
        for u in 0..<120 {
            let g = rng.next(below: 4)
            sequences.append((0..<6).map { _ in Int32(g * 5 + rng.next(below: 5)) })
            times.append((0..<6).map { Double(u * 1000 + $0) })
        }
        let data = Interactions(items: items, sequences: sequences, times: times)
        var settings = EvaluationSettings(protocolName: .leaveLastOut)
        settings.cutoffs = [5]
        let split = try Splitter.split(data, protocol: .leaveLastOut, options: settings.protocolOptions)
        let validation = try Splitter.validation(
            of: split,
            items: items,
            protocol: .leaveLastOut,
            options: settings.protocolOptions
        )
        var base = ModelSettings()
        base.training.dim = 8
        base.training.epochs = 2
        base.training.threads = 1
        base.minCount = 1
        var tuner = Tuner(settings: settings, base: base)
        tuner.maxTrials = 7
        tuner.width = 3
        let outcome = try tuner.search(
            "item2vec",
            validation: validation,
            items: items,
            startedAt: Date(),
            firstTrial: 0
        )
        #expect(outcome.trials.count == 7)
        #expect(outcome.trials[0].budget == 1)  // the defaults come first, at full budget
        #expect(Set(outcome.trials.map(\.budget)).isSubset(of: [0.25, 0.5, 1]))
        #expect(outcome.bestValidation["hr@5"]! >= outcome.defaultsValidation["hr@5"]!)
        // The best is the best of all trials, and its configuration records the epochs it trained.
        let bestTrial = outcome.trials.map { $0.validation["hr@5"]! }.max()!
        #expect(outcome.bestValidation["hr@5"]! == bestTrial)
        #expect(zip(outcome.trials, outcome.trials.dropFirst()).allSatisfy { $0.trial + 1 == $1.trial })
        // The validation split comes from the training part only: no test target is in it as a target.
        #expect(validation.train.reduce(0) { $0 + $1.count } < split.train.reduce(0) { $0 + $1.count })
    }

    /// `tune`'s test table carries the same intervals and paired tests as `evaluate`'s, and its
    /// verdict sets the best learned model against the best baseline, both picked by validation.
    @Test func tuneReportsIntervalsAndTheVerdict() throws {
        var rng = FastRandom(seed: 3)
        let items = (0..<4).flatMap { g in (0..<5).map { "g\(g)_\($0)" } }
        var sequences: [[Int32]] = []
        for _ in 0..<120 {
            let g = rng.next(below: 4)
            sequences.append((0..<6).map { _ in Int32(g * 5 + rng.next(below: 5)) })
        }
        let data = Interactions(items: items, sequences: sequences)
        var settings = EvaluationSettings(protocolName: .leaveLastOut)
        settings.cutoffs = [5]
        settings.bootstrap = 200
        var base = ModelSettings()
        base.training.dim = 8
        base.training.epochs = 2
        base.training.threads = 1
        base.minCount = 1
        var run = TuningRun(settings: settings, base: base, models: ["item2vec", "cooccurrence", "sknn"])
        run.maxTrials = 3
        let result = try run.run(data: data)
        let rows = result.report.results.map(\.model)
        #expect(rows == ["item2vec", "item2vec-tuned", "cooccurrence", "cooccurrence-tuned", "sknn", "sknn-tuned"])
        #expect(result.report.results.allSatisfy { $0.intervals?["hr@5"] != nil })
        #expect(result.report.comparisons?.count == rows.count - 1)
        #expect(result.report.bootstrapReplicates == 200)

        let verdict = try #require(result.verdict)
        #expect(verdict.model == "item2vec-tuned")
        // The baseline side is the tuned baseline with the better validation score.
        let baselines = result.models.dropFirst()
        let chosen = baselines.max { $0.best.validation["hr@5"]! < $1.best.validation["hr@5"]! }!
        #expect(verdict.baseline == chosen.best.model)
        let test = result.models[0].best.test["hr@5"]! - chosen.best.test["hr@5"]!
        #expect(abs(verdict.difference - test) < 1e-9)
        #expect(result.summary.contains("verdict: item2vec-tuned vs best tuned baseline"))
        let json = try ReportJSON.encode(result)
        #expect(json.contains("\"verdict\"") && json.contains("\"report\"") && json.contains("\"intervals\""))

        // Baselines alone: no verdict.
        run.models = ["cooccurrence", "sknn"]
        #expect(try run.run(data: data).verdict == nil)
        #expect(TuningRun.isBaseline("ease") && TuningRun.isBaseline("bpr") && TuningRun.isBaseline("vsknn"))
        #expect(!TuningRun.isBaseline("gru4rec") && !TuningRun.isBaseline("mix") && !TuningRun.isBaseline("item2vec"))
    }
}

/// A model trained for an evaluation keeps only what its scoring reads.
struct EvaluationModelTests {
    @Test func onlyDualScoringKeepsTheOutputVectors() {
        let vocabulary = Vocabulary(tokens: ["a", "b"], counts: [2, 1])
        let model = EmbeddingModel(
            vocabulary: vocabulary,
            input: EmbeddingMatrix(rows: 2, dim: 4),
            output: EmbeddingMatrix(rows: 2, dim: 4),
            config: TrainingConfig()
        )
        for scoring in RecommendationScoring.allCases {
            var m = model
            m.dropUnscored(scoring)
            #expect((m.output != nil) == (scoring == .dual), "\(scoring)")
            #expect(m.input === model.input)
        }
    }
}
