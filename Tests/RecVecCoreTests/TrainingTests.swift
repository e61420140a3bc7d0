// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Synchronization
import Testing

@testable import RecVecCore

struct TrainingTests {
    func config(_ architecture: Architecture, threads: Int = 1, seed: UInt64 = 7) -> TrainingConfig {
        var c = TrainingConfig()
        c.architecture = architecture
        c.dim = 24
        c.window = 3
        c.epochs = 4
        c.sample = 0
        c.threads = threads
        c.seed = seed
        return c
    }

    @Test(arguments: [Architecture.skipGram, .cbow])
    func recoversPlantedGroups(architecture: Architecture) throws {
        let corpus = plantedCorpus()
        let model = try Trainer(config: config(architecture)).train(corpus)
        let precision = try groupPrecision(model)
        #expect(precision >= 0.95, "neighbours in the planted group: \(precision)")
        let losses = model.summary!.epochLosses
        #expect(losses.count == 4 && losses.last! < losses.first!)
    }

    @Test func recoversPlantedGroupsWithPerPairNegatives() throws {
        var c = config(.skipGram)
        c.perPairNegatives = true
        let model = try Trainer(config: c).train(plantedCorpus())
        #expect(try groupPrecision(model) >= 0.95)
    }

    @Test func negativesAreSharedByTheWindowUnlessTold() throws {
        var c = TrainingConfig()
        #expect(c.resolvedNegativeShare == Int.max)
        c.negativeShare = 0
        #expect(c.resolvedNegativeShare == Int.max)  // the whole window
        c.negativeShare = 2
        #expect(c.resolvedNegativeShare == 2)
        c.perPairNegatives = true
        #expect(c.resolvedNegativeShare == 1)
        c.perPairNegatives = nil
        c.loss = .hierarchical
        #expect(c.resolvedNegativeShare == Int.max)  // no negatives to share
        c.loss = nil
        c.negativeShare = -1
        #expect(throws: ConfigurationError.self) { try c.validate() }
    }

    @Test func contextsSharingNegativesGroupTheWindow() throws {
        // Window 2, fixed: at most 4 contexts, so a share of 4 is the whole window; 2 splits it.
        var c = config(.skipGram)
        c.window = 2
        c.windowMode = .fixed
        let corpus = plantedCorpus()
        c.negativeShare = 0
        let whole = try Trainer(config: c).train(corpus)
        c.negativeShare = 4
        #expect(try Trainer(config: c).train(corpus).isIdentical(to: whole))
        c.negativeShare = 2
        let halves = try Trainer(config: c).train(corpus)
        #expect(!halves.isIdentical(to: whole))
        #expect(try groupPrecision(halves) >= 0.95)
        c.negativeShare = 1
        let single = try Trainer(config: c).train(corpus)
        c.negativeShare = nil
        c.perPairNegatives = true
        #expect(try Trainer(config: c).train(corpus).isIdentical(to: single))
    }

    @Test func recoversPlantedGroupsWithFullWindowsAndHogwildThreads() throws {
        var c = config(.skipGram, threads: 2)
        c.windowMode = .full
        let model = try Trainer(config: c).train(plantedCorpus())
        #expect(try groupPrecision(model) >= 0.95)
    }

    @Test(arguments: [Architecture.skipGram, .cbow])
    func oneThreadSameSeedIsDeterministic(architecture: Architecture) throws {
        var c = config(architecture)
        c.sample = 1e-2  // exercise sub-sampling's random draws too
        let corpus = plantedCorpus()
        let a = try Trainer(config: c).train(corpus)
        let b = try Trainer(config: c).train(corpus)
        #expect(a.isIdentical(to: b))
        #expect(a.summary!.epochLosses == b.summary!.epochLosses)
        c.seed = 8
        let other = try Trainer(config: c).train(corpus)
        #expect(!a.isIdentical(to: other))
    }

    @Test func threadsTakeEveryPieceOfTheEpochOnce() throws {
        #expect(Trainer.pieceCount(tokens: 10_000_000, threads: 1) == 1)
        #expect(Trainer.pieceCount(tokens: 10_000_000, threads: 2) == 128)
        #expect(Trainer.pieceCount(tokens: 20_000, threads: 2) == 4)
        #expect(Trainer.pieceCount(tokens: 100, threads: 3) == 3)
        // CBOW without sub-sampling trains one example a token (every sequence has two or more):
        // each of the 14 pieces of every epoch taken by one of the threads, once.
        let corpus = plantedCorpus(sequences: 6000)
        for threads in [1, 3] {
            let events = EventCollector()
            var c = config(.cbow, threads: threads)
            c.epochs = 2
            _ = try Trainer(config: c).train(corpus, onEvent: { events.append($0) })
            #expect(events.epochs().map(\.examples) == [60_000, 60_000], "\(threads) threads")
        }
    }

    @Test func lossIsReportedPerEpoch() throws {
        let events = EventCollector()
        var c = config(.skipGram)
        c.epochs = 3
        _ = try Trainer(config: c).train(plantedCorpus(), onEvent: { events.append($0) })
        let epochs = events.epochs()
        #expect(epochs.map(\.epoch) == [1, 2, 3])
        #expect(epochs.allSatisfy { $0.loss > 0 && $0.loss.isFinite && $0.examples > 0 })
        #expect(abs(epochs[0].totalLoss / Double(epochs[0].examples) - epochs[0].loss) < 1e-9)
    }

    @Test func invalidConfigurationsNameTheOption() {
        var c = TrainingConfig()
        c.dim = 0
        #expect(throws: ConfigurationError(setting: "dim", "must be between 1 and 10000 (got 0)")) { try c.validate() }
        c = TrainingConfig()
        c.epochs = 0
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "epochs" }
        c = TrainingConfig()
        c.negative = 0
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "negative" }
        c = TrainingConfig()
        c.alpha = -1
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "alpha" }
        c = TrainingConfig()
        c.window = 0
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "window" }
        c = TrainingConfig()
        c.sample = -0.1
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "sample" }
        c = TrainingConfig()
        c.threads = 0
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "threads" }
        c = TrainingConfig()
        c.nsExponent = .nan
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "ns_exponent" }
    }
}

/// Collects training events from any thread.
final class EventCollector: @unchecked Sendable {
    private var events: [TrainingEvent] = []
    private let lock = NSLockShim()

    func append(_ e: TrainingEvent) { lock.withLock { events.append(e) } }

    func epochs() -> [EpochResult] {
        lock.withLock {
            events.compactMap { if case .epochFinished(let r) = $0 { return r } else { return nil } }
        }
    }

    func plans() -> [SynchronizationPlan] {
        lock.withLock {
            events.compactMap { if case .synchronizationPlan(let p) = $0 { return p } else { return nil } }
        }
    }
}

final class NSLockShim: Sendable {
    private let mutex = Mutex(())
    func withLock<T>(_ body: () throws -> T) rethrows -> T { try mutex.withLock { _ in try body() } }
}

/// Long sets in `full` mode: thousands of contexts per centre must not pile up one giant step.
struct FullWindowStabilityTests {
    @Test func longFullWindowsStayFiniteAndRecoverGroups() throws {
        var rng = FastRandom(seed: 5)
        var lines: [[String]] = []
        for _ in 0..<24 {
            let g = rng.next(below: 4)
            lines.append((0..<250).map { _ in "g\(g)_\(rng.next(below: 6))" })
        }
        var c = TrainingConfig()
        c.windowMode = .full
        c.dim = 16
        c.epochs = 2
        c.sample = 0
        c.threads = 1
        c.alpha = 0.05
        let model = try Trainer(config: c).train(corpus(lines))
        #expect(model.summary!.epochLosses.allSatisfy { $0.isFinite && $0 < 10 })
        let nn = NearestNeighbors(model: model)
        for token in model.vocabulary.tokens {
            let top = try nn.similar(to: [token], top: 3)
            #expect(top.allSatisfy { group(of: $0.token) == group(of: token) }, "\(token): \(top.map(\.token))")
        }
    }
}
