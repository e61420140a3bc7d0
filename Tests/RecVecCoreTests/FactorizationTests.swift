// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// ALS (Hu, Koren & Volinsky 2008) and BPR (Rendle et al. 2009): the maths against naive
/// computations, planted structure, determinism, errors, and the evaluation models.
struct FactorizationTests {
    // MARK: - Fixtures

    /// Users of two groups; a user of group g interacts with `perUser` distinct items of group g
    /// (items "a0"…"a9" or "b0"…"b9"), some twice. Each sequence is one user ("user:1", …).
    static func plantedSequences(users: Int = 60, perUser: Int = 6, seed: UInt64 = 7) -> [[String]] {
        var rng = FastRandom(seed: seed)
        return (0..<users).map { u in
            let prefix = u % 2 == 0 ? "a" : "b"
            var items = Array(0..<10).map { "\(prefix)\($0)" }
            for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, rng.next(below: i + 1)) }
            let chosen = Array(items.prefix(perUser))
            return chosen + chosen.prefix(rng.next(below: 3))
        }
    }

    /// A random matrix with `rows` rows of `dim` values in [−1, 1).
    static func randomMatrix(rows: Int, dim: Int, seed: UInt64) -> EmbeddingMatrix {
        var rng = FastRandom(seed: seed)
        let m = EmbeddingMatrix(rows: rows, dim: dim)
        for r in 0..<rows { for c in 0..<dim { m.row(r)[c] = rng.nextUnitFloat() * 2 - 1 } }
        return m
    }

    /// A random sparse matrix: each user has 1…5 items, counts 1…3.
    static func randomInteractions(users: Int, items: Int, seed: UInt64) -> UserItemMatrix {
        var rng = FastRandom(seed: seed)
        let rows: [[Int32]] = (0..<users).map { _ in
            (0..<(1 + rng.next(below: 5))).flatMap { _ in
                Array(repeating: Int32(rng.next(below: items)), count: 1 + rng.next(below: 3))
            }
        }
        return UserItemMatrix(rows: rows, itemCount: items)
    }

    static func config(
        _ kind: ModelName,
        dim: Int = 8,
        epochs: Int = 10,
        threads: Int = 1,
        _ change: (inout FactorizationConfig) -> Void = { _ in }
    )
        -> TrainingConfig
    {
        var c = TrainingConfig()
        c.model = kind
        c.dim = dim
        c.threads = threads
        var f = FactorizationConfig()
        f.iterations = epochs
        change(&f)
        c.factorization = f
        return c
    }

    // MARK: - Cholesky

    @Test func choleskySolvesAKnownSystem() throws {
        // A symmetric positive-definite A and b = A·x for x = (1, −2, 3, 0.5).
        let a: [Double] = [
            4, 2, 0, 1,
            2, 5, 1, 0,
            0, 1, 3, 1,
            1, 0, 1, 6,
        ]
        let x: [Double] = [1, -2, 3, 0.5]
        let b = (0..<4).map { r in (0..<4).reduce(0.0) { $0 + a[r * 4 + $1] * x[$1] } }
        let solved = try #require(Cholesky.solve(a, b))
        for i in 0..<4 { #expect(abs(solved[i] - x[i]) < 1e-12) }

        // L·Lᵀ reproduces A.
        var l = a
        #expect(l.withUnsafeMutableBufferPointer { Cholesky.factor($0.baseAddress!, order: 4) })
        for r in 0..<4 {
            for c in 0...r {
                let v = (0...c).reduce(0.0) { $0 + l[r * 4 + $1] * l[c * 4 + $1] }
                #expect(abs(v - a[r * 4 + c]) < 1e-12)
            }
        }
        // Not positive definite: refused.
        #expect(Cholesky.solve([1, 2, 2, 1], [1, 1]) == nil)
        #expect(Cholesky.solve([0, 0, 0, 0], [1, 1]) == nil)
    }

    // MARK: - ALS

    /// The naive dense system of one user: Σ over every item of c·y·yᵀ + λI, and Σ c·p·y.
    static func naiveSystem(
        items: EmbeddingMatrix,
        row: [Int32: Float],
        als: ImplicitALS
    ) -> (a: [Double], b: [Double]) {
        let k = items.dim
        var a = [Double](repeating: 0, count: k * k)
        var b = [Double](repeating: 0, count: k)
        for i in 0..<items.rows {
            let r = row[Int32(i)] ?? 0
            let c = r > 0 ? als.confidence(r) : 1
            let p: Double = r > 0 ? 1 : 0
            let y = items.vector(i).map(Double.init)
            for s in 0..<k {
                for t in 0..<k { a[s * k + t] += c * y[s] * y[t] }
                b[s] += c * p * y[s]
            }
        }
        for s in 0..<k { a[s * k + s] += als.regularization }
        return (a, b)
    }

    /// The three exact-or-iterative routes: the k×k Cholesky solve, Woodbury (3 interactions with
    /// k = 12 is cheaper that way), and conjugate gradient.
    enum Route: CaseIterable { case cholesky, woodbury, cg }

    @Test(arguments: Route.allCases, [ConfidenceScaling.linear, .log])
    func userSolveSatisfiesTheNormalEquations(route: Route, scaling: ConfidenceScaling) throws {
        let k = 12
        let solver: ALSSolver = route == .cg ? .cg : .cholesky
        #expect(ImplicitALS.woodburyIsCheaper(count: 3, factors: k))
        let items = Self.randomMatrix(rows: 16, dim: k, seed: 3)
        let training = Self.config(.als, dim: k) {
            $0.solver = solver
            $0.cgSteps = 50
            $0.confidence = scaling
            $0.alsAlpha = 5
            $0.regularization = 0.3
        }
        let als = ImplicitALS(config: training.factorization!, training: training)
        let row: [Int32: Float] = [0: 1, 2: 3, 5: 1]
        let ids = row.keys.sorted()
        let side = als.prepare(items)
        let user = EmbeddingMatrix(rows: 1, dim: k)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: als.scratchSize)
        defer { scratch.deallocate() }
        let values = ids.map { row[$0]! }
        ids.withUnsafeBufferPointer { i in
            values.withUnsafeBufferPointer { v in
                side.gram.withUnsafeBufferPointer { g in
                    side.inverse.withUnsafeBufferPointer { inverse in
                        als.solveRow(
                            indices: i.baseAddress!,
                            values: v.baseAddress!,
                            count: ids.count,
                            fixed: items,
                            gram: g.baseAddress!,
                            inverse: inverse.baseAddress,
                            scratch: scratch,
                            solver: solver,
                            woodbury: route == .woodbury,
                            into: user.row(0)
                        )
                    }
                }
            }
        }
        let (a, b) = Self.naiveSystem(items: items, row: row, als: als)
        let x = user.vector(0).map(Double.init)
        for s in 0..<k {
            let lhs = (0..<k).reduce(0.0) { $0 + a[s * k + $1] * x[$1] }
            #expect(abs(lhs - b[s]) < 1e-3 * max(1, abs(b[s])), "row \(s): \(lhs) vs \(b[s])")
        }
        // And the naive solve gives the same vector.
        let naive = try #require(Cholesky.solve(a, b))
        for s in 0..<k { #expect(abs(naive[s] - x[s]) < 1e-4) }
    }

    @Test func objectiveMatchesTheNaiveSumOverAllPairs() {
        let matrix = Self.randomInteractions(users: 9, items: 6, seed: 11)
        let users = Self.randomMatrix(rows: 9, dim: 3, seed: 1)
        let items = Self.randomMatrix(rows: 6, dim: 3, seed: 2)
        let training = Self.config(.als, dim: 3) {
            $0.alsAlpha = 2
            $0.regularization = 0.5
        }
        let als = ImplicitALS(config: training.factorization!, training: training)
        var naive = 0.0
        for u in 0..<9 {
            for i in 0..<6 {
                var r: Float = 0
                for e in matrix.userOffsets[u]..<matrix.userOffsets[u + 1] where matrix.userItems[e] == Int32(i) {
                    r = matrix.userValues[e]
                }
                let c = r > 0 ? als.confidence(r) : 1
                let s = zip(users.vector(u), items.vector(i)).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                naive += c * ((r > 0 ? 1 : 0) - s) * ((r > 0 ? 1 : 0) - s)
            }
        }
        naive += 0.5 * (ImplicitALS.squaredNorm(users) + ImplicitALS.squaredNorm(items))
        let fast = als.objective(matrix, users: users, items: items)
        #expect(abs(fast - naive) < 1e-4 * naive)
    }

    @Test(arguments: [ALSSolver.cholesky, .cg])
    func alsObjectiveNeverIncreases(solver: ALSSolver) {
        let matrix = Self.randomInteractions(users: 50, items: 30, seed: 5)
        let training = Self.config(.als, dim: 6, epochs: 8) {
            $0.solver = solver
            $0.regularization = 0.1
        }
        let result = try! FactorizationFitter.fit(
            .als,
            matrix: matrix,
            config: training.factorization!,
            training: training
        )
        #expect(result.losses.count == 8)
        for t in 1..<result.losses.count {
            #expect(result.losses[t] <= result.losses[t - 1] * (1 + 1e-6), "\(result.losses)")
        }
        #expect(result.losses.last! < result.losses.first!)
        // The reported figure is the objective per interaction.
        let als = ImplicitALS(config: training.factorization!, training: training)
        let objective = als.objective(matrix, users: result.users, items: result.items)
        #expect(abs(objective / Double(matrix.nonZeroCount) - result.losses.last!) < 1e-4 * result.losses.last!)
    }

    @Test func foldInIsOneUserHalfStep() throws {
        let matrix = Self.randomInteractions(users: 20, items: 15, seed: 8)
        let training = Self.config(.als, dim: 5, epochs: 3)
        let result = try FactorizationFitter.fit(
            .als,
            matrix: matrix,
            config: training.factorization!,
            training: training
        )
        let als = ImplicitALS(config: training.factorization!, training: training)
        // Re-solve every user against the final items, then fold in user 4's row: the same vector.
        let side = als.prepare(result.items)
        als.solveRows(
            offsets: matrix.userOffsets,
            indices: matrix.userItems,
            values: matrix.userValues,
            fixed: result.items,
            side: side,
            into: result.users
        )
        let u = 4
        let range = matrix.userOffsets[u]..<matrix.userOffsets[u + 1]
        let folded = EmbeddingMatrix(rows: 1, dim: 5)
        als.foldIn(
            items: Array(matrix.userItems[range]),
            values: Array(matrix.userValues[range]),
            fixed: result.items,
            side: side,
            into: folded.row(0)
        )
        #expect(folded.vector(0) == result.users.vector(u))
    }

    @Test func gramAndSolvesDoNotDependOnThreads() throws {
        let matrix = Self.randomInteractions(users: 300, items: 40, seed: 9)
        let one = Self.config(.als, dim: 8, epochs: 2, threads: 1)
        let four = Self.config(.als, dim: 8, epochs: 2, threads: 4)
        let a = try FactorizationFitter.fit(.als, matrix: matrix, config: one.factorization!, training: one)
        let b = try FactorizationFitter.fit(.als, matrix: matrix, config: four.factorization!, training: four)
        #expect(a.items.isIdentical(to: b.items) && a.users.isIdentical(to: b.users))
        #expect(a.losses == b.losses)
    }

    // MARK: - BPR

    @Test func bprStepFollowsTheLossGradient() {
        var rng = FastRandom(seed: 21)
        func vector() -> [Float] { (0..<6).map { _ in rng.nextUnitFloat() - 0.5 } }
        let u = vector()
        let p = vector()
        let n = vector()
        let lambda: Float = 0.1
        let eta: Float = 1e-3
        let stepped = BPR.stepped(user: u, positive: p, negative: n, learningRate: eta, regularization: lambda)
        func loss(_ u: [Float], _ p: [Float], _ n: [Float]) -> Double {
            BPR.tripleLoss(user: u, positive: p, negative: n, regularization: lambda)
        }
        let h: Float = 1e-2
        for (which, before, after) in [(0, u, stepped.user), (1, p, stepped.positive), (2, n, stepped.negative)] {
            for c in 0..<6 {
                var plus = before
                var minus = before
                plus[c] += h
                minus[c] -= h
                func at(_ v: [Float]) -> Double {
                    switch which {
                    case 0: return loss(v, p, n)
                    case 1: return loss(u, v, n)
                    default: return loss(u, p, v)
                    }
                }
                let numeric = (at(plus) - at(minus)) / Double(2 * h)
                let analytic = Double(before[c] - after[c]) / Double(eta)
                #expect(abs(numeric - analytic) < 2e-3, "vector \(which)[\(c)]: \(numeric) vs \(analytic)")
            }
        }
        // The returned loss is −ln σ(x_uij) before the step.
        var user = u
        var pos = p
        var neg = n
        var saved = [Float](repeating: 0, count: 6)
        let reported = BPR.step(
            user: &user,
            positive: &pos,
            negative: &neg,
            saved: &saved,
            count: 6,
            learningRate: 0,
            regularization: 0
        )
        #expect(abs(Double(reported) - BPR.tripleLoss(user: u, positive: p, negative: n, regularization: 0)) < 1e-5)
    }

    @Test func bprLossFallsAndOneThreadIsDeterministic() throws {
        let corpus = try Corpus.from(Self.plantedSequences())
        let training = Self.config(.bpr, dim: 8, epochs: 30) { $0.bprLearningRate = 0.1 }
        let a = try Trainer(config: training).train(corpus, inputs: ModelInputs())
        let b = try Trainer(config: training).train(corpus, inputs: ModelInputs())
        #expect(a.isIdentical(to: b))
        let losses = a.summary!.epochLosses
        #expect(losses.count == 30)
        #expect(losses.last! < 0.5 * losses.first!, "\(losses)")
    }

    // MARK: - Planted structure, through the model file's layout

    @Test(arguments: [ModelName.als, .bpr])
    func plantedGroupsAreRecovered(kind: ModelName) throws {
        try plantedGroupsAreRecovered(kind: kind, seed: 7)
    }

    func plantedGroupsAreRecovered(kind: ModelName, seed: UInt64) throws {
        let sequences = Self.plantedSequences(seed: seed)
        let corpus = try Corpus.from(sequences)
        // ALS fits what it is given: with spare factors and α = 40 it also models which 6 of the 10
        // items each user picked, and cosines between items follow that noise; 2 factors leave room
        // for the two groups only.
        let training = Self.config(kind, dim: kind == .als ? 2 : 8, epochs: kind == .als ? 10 : 60) {
            $0.regularization = kind == .als ? 1 : 0.01
            $0.bprLearningRate = 0.1
        }
        let model = try Trainer(config: training).train(corpus, inputs: ModelInputs())
        #expect(model.itemCount == 20)
        #expect(model.section(.user) == TokenSection(kind: .user, start: 20, count: 60))
        #expect(model.vocabulary.tokens[20] == "user:1")
        #expect(model.config.factorization != nil && model.config.model == kind)

        // Items: their nearest neighbours are in their own group.
        let neighbours = NearestNeighbors(model: model)
        for item in ["a0", "a5", "b3", "b9"] {
            let similar = try neighbours.similar(to: [item], top: 5)
            #expect(similar.allSatisfy { $0.token.first == item.first }, "\(item): \(similar.map(\.token))")
        }
        // Users: x_u·y_i ranks the unseen items of their own group first.
        let recommender = try EmbeddingRecommender(model: model, scoring: .dual)
        for u in [0, 1, 10, 31] {
            let top = recommender.recommend(history: ["user:\(u + 1)"], top: 3, excludeHistory: true)
            let seen = Set(sequences[u])
            let own: Character = u % 2 == 0 ? "a" : "b"
            let unseen = top.filter { !seen.contains($0.token) }
            #expect(unseen.allSatisfy { $0.token.first == own }, "user \(u + 1): \(top.map(\.token))")
        }
    }

    @Test func modelFileRoundTripKeepsSectionsAndConfig() throws {
        let folder = TemporaryFolder()
        let corpus = try Corpus.from(Self.plantedSequences(users: 10))
        let training = Self.config(.als, dim: 4, epochs: 2) { $0.alsAlpha = 7 }
        let model = try Trainer(config: training).train(corpus, inputs: ModelInputs())
        try ModelFile.write(model, to: folder.file("m.rv"))
        let back = try ModelFile.read(from: folder.file("m.rv"))
        #expect(back.isIdentical(to: model))
        #expect(back.config.factorization?.alsAlpha == 7)
        #expect(back.config.model == .als)
        #expect(try back.vector(for: "user:3") == model.output!.vector(back.itemCount + 2))
    }

    @Test func configDecodesMissingFieldsToDefaults() throws {
        let decoded = try JSONDecoder().decode(FactorizationConfig.self, from: Data(#"{"alsAlpha": 3}"#.utf8))
        var expected = FactorizationConfig()
        expected.alsAlpha = 3
        #expect(decoded == expected)
        var full = FactorizationConfig()
        full.factors = 12
        full.bprFinalLearningRate = 0.001
        full.solver = .cg
        #expect(try JSONDecoder().decode(FactorizationConfig.self, from: JSONEncoder().encode(full)) == full)
    }

    // MARK: - Errors

    @Test func badValuesAreConfigurationErrors() throws {
        let cases: [(String, (inout FactorizationConfig) -> Void)] = [
            ("factors", { $0.factors = 0 }),
            ("iterations", { $0.iterations = 0 }),
            ("regularization", { $0.regularization = -1 }),
            ("als_alpha", { $0.alsAlpha = 0 }),
            ("als_alpha", { $0.alsAlpha = .nan }),
            ("als_log_epsilon", { $0.logEpsilon = 0 }),
            ("als_cg_steps", { $0.cgSteps = 0 }),
            ("bpr_learning_rate", { $0.bprLearningRate = 0 }),
            ("bpr_final_learning_rate", { $0.bprFinalLearningRate = 1 }),
            ("bpr_negative_exponent", { $0.bprNegativeExponent = .infinity }),
            ("bpr_samples", { $0.bprSamples = 0 }),
            ("bpr_fold_in_steps", { $0.bprFoldInSteps = 0 }),
            ("factor_init_scale", { $0.initScale = -0.1 }),
        ]
        let corpus = try Corpus.from(Self.plantedSequences(users: 4))
        for (option, change) in cases {
            let training = Self.config(.bpr, change)
            #expect(throws: ConfigurationError.self) { try training.factorization!.validate() }
            do {
                _ = try Trainer(config: training).train(corpus, inputs: ModelInputs())
                Issue.record("\(option) accepted")
            } catch let e as ConfigurationError {
                #expect(e.setting == option)
            }
        }
        // ALS needs λ > 0; BPR does not.
        let als = Self.config(.als) { $0.regularization = 0 }
        #expect(throws: ConfigurationError(setting: "regularization", "ALS needs a positive λ (got 0.0)")) {
            try Trainer(config: als).train(corpus, inputs: ModelInputs())
        }
        #expect(throws: Never.self) {
            try Trainer(config: Self.config(.bpr, epochs: 1) { $0.regularization = 0 }).train(
                corpus,
                inputs: ModelInputs()
            )
        }
        var options = ModelSettings()
        options.factorization.alsAlpha = -1
        #expect(throws: ConfigurationError.self) { try ModelRegistry.recommender("als", settings: options) }
    }

    // MARK: - Evaluation models

    @Test(arguments: ["als", "bpr"])
    func evaluationModelFoldsInUnseenHistories(name: String) throws {
        let sequences = Self.plantedSequences()
        var index: [String: Int32] = [:]
        var items: [String] = []
        for s in sequences {
            for t in s where index[t] == nil {
                index[t] = Int32(items.count)
                items.append(t)
            }
        }
        let data = TrainingData(sequences: sequences.map { $0.map { index[$0]! } }, items: items)
        var options = ModelSettings()
        options.minCount = 1
        options.training = Self.config(name == "als" ? .als : .bpr, dim: 8, epochs: name == "als" ? 10 : 60) {
            $0.regularization = name == "als" ? 0.1 : 0.01
            $0.bprLearningRate = 0.1
        }
        options.factorization = options.training.factorization!
        var model = try ModelRegistry.recommender(name, settings: options)
        #expect(model.name == name)
        try model.fit(data)
        // A history no training user had: two items of group b.
        let history = [index["b1"]!, index["b7"]!]
        var scores = [Float](repeating: -.infinity, count: items.count)
        #expect(model.score(history: history, into: &scores))
        let ranked = scores.indices.filter { !history.contains(Int32($0)) }.sorted { scores[$0] > scores[$1] }
        #expect(ranked.prefix(6).allSatisfy { items[$0].hasPrefix("b") }, "\(ranked.prefix(6).map { items[$0] })")
        // Same history, same scores (BPR's draws are seeded by the history).
        var again = [Float](repeating: -.infinity, count: items.count)
        _ = model.score(history: history, into: &again)
        #expect(again == scores)
        // Nothing known: no opinion.
        #expect(!model.score(history: [], into: &scores))
    }

    @Test func tunerSamplesFactorizationSpaces() {
        let tuner = Tuner(settings: EvaluationSettings(protocolName: .basket), base: ModelSettings())
        var rng = FastRandom(seed: 1)
        for name in ["als", "bpr"] {
            for _ in 0..<20 {
                let c = tuner.sample(name, rng: &rng)
                let f = c.options.factorization
                let method: FactorizationMethod = name == "als" ? .als : .bpr
                #expect(throws: Never.self) { try f.validate(for: method, training: c.options.training) }
                #expect(f.factors == nil && f.iterations != nil)
            }
        }
        #expect(ModelRegistry.tuningSpace(of: "als") != nil && ModelRegistry.tuningSpace(of: "bpr") != nil)
    }
}
