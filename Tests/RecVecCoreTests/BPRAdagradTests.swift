// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// BPR with `--optimizer adagrad`: the update is the formula's, training is deterministic on one
/// thread, it learns the planted groups, and the models without Adagrad refuse it.
struct BPRAdagradTests {
    @Test func aStepAccumulatesSquaredGradientsAndDividesByTheirRoot() {
        var rng = FastRandom(seed: 5)
        func vector() -> [Float] { (0..<5).map { _ in rng.nextUnitFloat() - 0.5 } }
        let u = vector()
        let p = vector()
        let n = vector()
        let squares = (
            user: vector().map { $0 * $0 + 0.1 }, positive: vector().map { $0 * $0 + 0.2 },
            negative: [Float](repeating: 0.1, count: 5)
        )
        let lambda: Float = 0.05
        let eta: Float = 0.3
        let r = BPR.adagradStepped(
            user: u,
            positive: p,
            negative: n,
            squares: squares,
            learningRate: eta,
            regularization: lambda
        )
        // By hand, in Double: g = σ(−x), x = u·(p − n); each gradient at the old values.
        var x = 0.0
        for c in 0..<5 { x += Double(u[c]) * (Double(p[c]) - Double(n[c])) }
        let g = 1 / (1 + exp(x))
        for c in 0..<5 {
            let gu = Double(lambda) * Double(u[c]) - g * (Double(p[c]) - Double(n[c]))
            let gp = Double(lambda) * Double(p[c]) - g * Double(u[c])
            let gn = Double(lambda) * Double(n[c]) + g * Double(u[c])
            let su = Double(squares.user[c]) + gu * gu
            let sp = Double(squares.positive[c]) + gp * gp
            let sn = Double(squares.negative[c]) + gn * gn
            #expect(abs(Double(r.squares.user[c]) - su) < 1e-5)
            #expect(abs(Double(r.squares.positive[c]) - sp) < 1e-5)
            #expect(abs(Double(r.squares.negative[c]) - sn) < 1e-5)
            #expect(abs(Double(r.vectors.user[c]) - (Double(u[c]) - Double(eta) * gu / su.squareRoot())) < 1e-5)
            #expect(abs(Double(r.vectors.positive[c]) - (Double(p[c]) - Double(eta) * gp / sp.squareRoot())) < 1e-5)
            #expect(abs(Double(r.vectors.negative[c]) - (Double(n[c]) - Double(eta) * gn / sn.squareRoot())) < 1e-5)
        }
    }

    func config(_ optimizer: Optimizer?, epochs: Int = 40) -> TrainingConfig {
        var c = FactorizationTests.config(.bpr, dim: 8, epochs: epochs) {
            $0.bprLearningRate = 0.1
            $0.regularization = 0.01
        }
        c.optimizer = optimizer
        return c
    }

    @Test func oneThreadIsDeterministicAndDiffersFromSGD() throws {
        let corpus = try Corpus.from(FactorizationTests.plantedSequences())
        let a = try Trainer(config: config(.adagrad, epochs: 10)).train(corpus, inputs: ModelInputs())
        let b = try Trainer(config: config(.adagrad, epochs: 10)).train(corpus, inputs: ModelInputs())
        let sgd = try Trainer(config: config(nil, epochs: 10)).train(corpus, inputs: ModelInputs())
        #expect(a.isIdentical(to: b))
        #expect(!a.isIdentical(to: sgd))
        let losses = a.summary!.epochLosses
        #expect(losses.last! < 0.7 * losses.first!, "\(losses)")
    }

    @Test func plantedGroupsAreRecovered() throws {
        let corpus = try Corpus.from(FactorizationTests.plantedSequences())
        let model = try Trainer(config: config(.adagrad)).train(corpus, inputs: ModelInputs())
        #expect(model.config.optimizer == .adagrad)
        let neighbours = NearestNeighbors(model: model)
        for item in ["a0", "a5", "b3", "b9"] {
            let similar = try neighbours.similar(to: [item], top: 5)
            #expect(similar.allSatisfy { $0.token.first == item.first }, "\(item): \(similar.map(\.token))")
        }
    }

    @Test func modelsWithoutAdagradRefuseIt() throws {
        var c = TrainingConfig()
        c.model = "ease"
        c.optimizer = .adagrad
        let takers = Optimizer.adagradModels.map(\.rawValue).joined(separator: ", ")
        #expect(
            throws: ConfigurationError(
                setting: "optimizer",
                "adagrad is available for \(takers) so far; ease trains with sgd"
            )
        ) {
            try c.validate()
        }
        c.optimizer = .sgd
        try c.validate()
        // SGD is not written, so files written before the option and after read alike.
        let json = try JSONEncoder().encode(TrainingConfig())
        #expect(!String(decoding: json, as: UTF8.self).contains("optimizer"))
        #expect(try JSONDecoder().decode(TrainingConfig.self, from: json).optimizer == nil)
    }
}
