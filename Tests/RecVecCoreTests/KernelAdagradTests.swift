// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule
import Testing

@testable import RecVecCore

/// Row-wise Adagrad in the shared kernel: one step checked by hand, determinism, planted groups.
struct KernelAdagradTests {
    let rows = 6
    let dim = 5
    let alpha: Float = 0.05

    func makeKernel(seed: UInt64) -> (TrainingKernel, EmbeddingMatrix, EmbeddingMatrix, AdagradAccumulators) {
        let input = EmbeddingMatrix(rows: rows, dim: dim)
        let output = EmbeddingMatrix(rows: rows, dim: dim)
        var rng = FastRandom(seed: seed)
        for r in 0..<rows {
            for c in 0..<dim {
                input.row(r)[c] = rng.nextUnitFloat() - 0.5
                output.row(r)[c] = rng.nextUnitFloat() - 0.5
            }
        }
        let accumulators = AdagradAccumulators(inputRows: rows, outputRows: rows)
        // Different starting sums per row, so a row stepped by another row's sum would show.
        for r in 0..<rows {
            accumulators.input[r] = 0.1 + 0.05 * Float(r)
            accumulators.output[r] = 0.2 + 0.03 * Float(r)
        }
        let kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 2,
            sampler: NegativeSampler(counts: Array(repeating: 1, count: rows), exponent: 0.75),
            contextCapacity: 8,
            seed: 1,
            alpha: alpha,
            adagrad: accumulators
        )
        return (kernel, input, output, accumulators)
    }

    func matrix(_ m: EmbeddingMatrix) -> [[Double]] { (0..<m.rows).map { m.vector($0).map(Double.init) } }
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map(*).reduce(0, +) }
    func sigmoid(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }
    func meanSquare(_ g: [Double]) -> Double { g.map { $0 * $0 }.reduce(0, +) / Double(g.count) }

    func expectClose(_ a: [Double], _ e: [Double], _ what: String) {
        for (x, y) in zip(a, e) { #expect(abs(x - y) <= 2e-4, "\(what): \(x) vs \(y)") }
    }

    /// Skip-gram: each context row steps once by its own sum, G += mean(g²), v += α g/√G; each
    /// target row once per block by the block's summed gradient.
    @Test func skipGramStepFollowsTheFormula() {
        var (kernel, input, output, sums) = makeKernel(seed: 3)
        defer { kernel.deallocate() }
        let contexts = [1, 4]
        let targets = [2, 0, 5]  // positive first
        for (k, t) in targets.enumerated() { kernel.targets[k] = Int32(t) }
        var inp = matrix(input)
        var out = matrix(output)
        var gIn = (0..<rows).map { Double(sums.input[$0]) }
        var gOut = (0..<rows).map { Double(sums.output[$0]) }
        let a = Double(alpha)
        var outGrad = [[Double]](repeating: [Double](repeating: 0, count: dim), count: targets.count)
        for c in contexts {
            let v = inp[c]
            var grad = [Double](repeating: 0, count: dim)
            for (k, t) in targets.enumerated() {
                let g = (k == 0 ? 1 : 0) - sigmoid(dot(v, out[t]))
                grad = zip(grad, out[t]).map { $0 + g * $1 }
                outGrad[k] = zip(outGrad[k], v).map { $0 + g * $1 }
            }
            gIn[c] += meanSquare(grad)
            inp[c] = zip(v, grad).map { $0 + a / gIn[c].squareRoot() * $1 }
        }
        for (k, t) in targets.enumerated() {
            gOut[t] += meanSquare(outGrad[k])
            out[t] = zip(out[t], outGrad[k]).map { $0 + a / gOut[t].squareRoot() * $1 }
        }
        let ids = contexts.map(Int32.init)
        ids.withUnsafeBufferPointer {
            kernel.adagradSkipGramStep(contexts: $0.baseAddress!, count: 2, targetCount: targets.count)
        }
        for r in 0..<rows {
            #expect(abs(Double(sums.input[r]) - gIn[r]) <= 1e-4 * gIn[r], "input sum \(r)")
            #expect(abs(Double(sums.output[r]) - gOut[r]) <= 1e-4 * gOut[r], "output sum \(r)")
            expectClose(input.vector(r).map(Double.init), inp[r], "input row \(r)")
            expectClose(output.vector(r).map(Double.init), out[r], "output row \(r)")
        }
        // The sums grew for exactly the rows that moved.
        #expect(Double(sums.input[1]) > 0.15 && sums.input[0] == 0.1 && sums.output[1] == 0.2 + 0.03 * Float(1))
    }

    /// CBOW: target rows step by g·h through their own sums; every context row receives the
    /// hidden vector's whole gradient through its own sum.
    @Test(arguments: [true, false])
    func cbowStepFollowsTheFormula(mean: Bool) {
        var (kernel, input, output, sums) = makeKernel(seed: 11)
        defer { kernel.deallocate() }
        let contexts = [0, 3, 5]
        let targets = [1, 4]
        for (k, t) in targets.enumerated() { kernel.targets[k] = Int32(t) }
        var inp = matrix(input)
        var out = matrix(output)
        var gIn = (0..<rows).map { Double(sums.input[$0]) }
        var gOut = (0..<rows).map { Double(sums.output[$0]) }
        let a = Double(alpha)
        var h = [Double](repeating: 0, count: dim)
        for c in contexts { h = zip(h, inp[c]).map(+) }
        if mean { h = h.map { $0 / Double(contexts.count) } }
        var grad = [Double](repeating: 0, count: dim)
        for (k, t) in targets.enumerated() {
            let g = (k == 0 ? 1 : 0) - sigmoid(dot(h, out[t]))
            grad = zip(grad, out[t]).map { $0 + g * $1 }
            let ug = h.map { g * $0 }
            gOut[t] += meanSquare(ug)
            out[t] = zip(out[t], ug).map { $0 + a / gOut[t].squareRoot() * $1 }
        }
        for c in contexts {
            gIn[c] += meanSquare(grad)
            inp[c] = zip(inp[c], grad).map { $0 + a / gIn[c].squareRoot() * $1 }
        }
        let ids = contexts.map(Int32.init)
        ids.withUnsafeBufferPointer {
            kernel.adagradCBOWStep(contexts: $0.baseAddress!, count: 3, targetCount: targets.count, mean: mean)
        }
        for r in 0..<rows {
            #expect(abs(Double(sums.input[r]) - gIn[r]) <= 1e-4 * gIn[r], "input sum \(r)")
            #expect(abs(Double(sums.output[r]) - gOut[r]) <= 1e-4 * gOut[r], "output sum \(r)")
            expectClose(input.vector(r).map(Double.init), inp[r], "input row \(r)")
            expectClose(output.vector(r).map(Double.init), out[r], "output row \(r)")
        }
    }

    func config(_ architecture: Architecture, seed: UInt64 = 7) -> TrainingConfig {
        var c = TrainingConfig()
        c.architecture = architecture
        c.dim = 24
        c.window = 3
        c.epochs = 4
        c.sample = 1e-2
        c.threads = 1
        c.seed = seed
        c.optimizer = .adagrad
        return c
    }

    @Test(arguments: [Architecture.skipGram, .cbow])
    func oneThreadSameSeedIsDeterministic(architecture: Architecture) throws {
        let corpus = plantedCorpus()
        var c = config(architecture)
        let a = try Trainer(config: c).train(corpus)
        let b = try Trainer(config: c).train(corpus)
        #expect(a.isIdentical(to: b))
        #expect(a.summary!.epochLosses == b.summary!.epochLosses)
        c.optimizer = nil
        let sgd = try Trainer(config: c).train(corpus)
        #expect(!a.isIdentical(to: sgd))
    }

    @Test(arguments: [Architecture.skipGram, .cbow])
    func recoversPlantedGroups(architecture: Architecture) throws {
        let model = try Trainer(config: config(architecture)).train(plantedCorpus())
        #expect(model.config.optimizer == .adagrad)
        let precision = try groupPrecision(model)
        #expect(precision >= 0.95, "neighbours in the planted group: \(precision)")
        let losses = model.summary!.epochLosses
        #expect(losses.last! < losses.first!)
    }

    @Test func engineModelsTakeItOthersRefuse() throws {
        var c = config(.skipGram)
        try c.validate()
        c.model = "item2vec"
        try c.validate()
        c.model = "als"
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "optimizer" }
        c.model = "content2vec"
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "optimizer" }
        c.model = "item2vec"
        c.loss = .hierarchical
        #expect { try c.validate() } throws: { ($0 as? ConfigurationError)?.setting == "optimizer" }
        #expect { try c.validateLoss(classes: 10) } throws: { ($0 as? ConfigurationError)?.setting == "optimizer" }
    }
}
