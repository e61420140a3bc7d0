// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// bagged-prod2vec, time-aware windows, global context and event weights: each recovers (or
/// refuses to learn) the structure planted for it, where plain prod2vec does not.
struct EventSkipGramTests {
    func config(_ model: ModelName?, window: Int = 1, epochs: Int = 8) -> TrainingConfig {
        var c = TrainingConfig()
        c.model = model
        c.dim = 16
        c.epochs = epochs
        c.sample = 0
        c.threads = 1
        c.window = window
        c.windowMode = .fixed
        return c
    }

    /// The dual score input(a) · output(b): how strongly the model predicts b next to a.
    func dual(_ m: EmbeddingModel, _ a: String, _ b: String) -> Float {
        Kernels.dot(
            m.input.row(Int(m.vocabulary.id(of: a)!)),
            m.output!.row(Int(m.vocabulary.id(of: b)!)),
            count: m.input.stride
        )
    }

    /// Baskets alternate between two kinds: two X items, then two Y items, then X again…
    /// Within a basket X goes with X; the neighbouring baskets hold the other kind. `sequences`
    /// lines of `basketsPerLine` baskets.
    func alternatingBaskets(sequences: Int = 400, basketsPerLine: Int = 8) -> Corpus {
        var rng = FastRandom(seed: 5)
        var lines: [[String]] = []
        var baskets: [Int32] = []
        for _ in 0..<sequences {
            var line: [String] = []
            for b in 0..<basketsPerLine {
                let kind = b % 2 == 0 ? "x" : "y"
                for _ in 0..<2 {
                    line.append("\(kind)\(rng.next(below: 6))")
                    baskets.append(Int32(b))
                }
            }
            lines.append(line)
        }
        var c = corpus(lines)
        c.baskets = FlatArray(baskets)
        return c
    }

    @Test func baggedProd2vecLearnsNeighbouringBasketsNotTheSameBasket() throws {
        let c = alternatingBaskets()
        let bagged = try Trainer(config: config(.baggedProd2vec)).train(c, inputs: ModelInputs())
        let plain = try Trainer(config: config(.prod2vec)).train(c, inputs: ModelInputs())
        let baggedMargin = basketMargin(bagged)
        let plainMargin = basketMargin(plain)
        // bagged-prod2vec predicts the other kind (next basket) far above its own basket's kind;
        // token-window prod2vec sees both and does not separate them nearly as much.
        #expect(baggedMargin > 2, "bagged margin \(baggedMargin)")
        #expect(baggedMargin > 2 * plainMargin, "bagged \(baggedMargin) vs plain \(plainMargin)")
    }

    /// How much more `m` predicts an item of the other kind than one of its own kind (the dual
    /// score x·y − x·x, over the 30 ordered pairs of distinct indices) on ``alternatingBaskets(sequences:basketsPerLine:)``.
    func basketMargin(_ m: EmbeddingModel) -> Float {
        var margin: Float = 0
        for i in 0..<6 {
            for j in 0..<6 where j != i {
                margin += dual(m, "x\(i)", "y\(j)") - dual(m, "x\(i)", "x\(j)")
            }
        }
        return margin / 30
    }

    @Test func baggedNeedsBaskets() {
        #expect(throws: ConfigurationError.self) {
            try Trainer(config: config(.baggedProd2vec)).train(corpus([["a", "b"]]), inputs: ModelInputs())
        }
    }

    @Test func timeAwareWindowsSkipDistantEvents() throws {
        // a_k is followed by b_k ten hours later, then by c_k one minute after that.
        var rng = FastRandom(seed: 9)
        var lines: [[String]] = []
        var times: [Double] = []
        for _ in 0..<500 {
            let k = rng.next(below: 5)
            lines.append(["a\(k)", "b\(k)", "c\(k)"])
            times += [0, 36_000, 36_060]
        }
        var c = corpus(lines)
        c.times = FlatArray(times)
        var gapped = config(nil)
        gapped.sequenceOptions = SequenceOptionsConfig()
        gapped.sequenceOptions!.maxGap = 3_600
        let withGap = try Trainer(config: gapped).train(c, inputs: ModelInputs())
        let without = try Trainer(config: config(nil)).train(c, inputs: ModelInputs())
        for k in 0..<5 {
            #expect(dual(without, "a\(k)", "b\(k)") > 1, "without a gap limit a predicts b")
            #expect(dual(withGap, "a\(k)", "b\(k)") < dual(without, "a\(k)", "b\(k)") - 1)
            #expect(dual(withGap, "b\(k)", "c\(k)") > 1, "close events still pair")
        }
        var noTimes = c
        noTimes.times = nil
        #expect(throws: ConfigurationError.self) { try Trainer(config: gapped).train(noTimes, inputs: ModelInputs()) }
    }

    @Test func globalContextReachesBeyondTheWindow() throws {
        // Sessions of clicks in group g, then two pages every session shares (p0…p4), then the
        // booking "book_g": with a window of 1 the booking is only ever next to the shared pages.
        var rng = FastRandom(seed: 2)
        var lines: [[String]] = []
        var context: [Int32] = []
        for _ in 0..<400 {
            let g = rng.next(below: 4)
            lines.append(
                (0..<10).map { _ in "g\(g)_\(rng.next(below: 5))" } + [
                    "p\(rng.next(below: 5))", "p\(rng.next(below: 5))", "book_\(g)",
                ]
            )
        }
        var c = corpus(lines)
        for line in lines { context.append(c.vocabulary.id(of: line.last!)!) }
        c.contextItems = FlatArray(context)
        let global = try Trainer(config: config(nil)).train(c, inputs: ModelInputs())
        var off = config(nil)
        off.sequenceOptions = SequenceOptionsConfig()
        off.sequenceOptions!.useContextItems = false
        let plain = try Trainer(config: off).train(c, inputs: ModelInputs())
        var globalHits = 0
        var plainHits = 0
        for g in 0..<4 {
            for i in 0..<5 {
                let best = { (m: EmbeddingModel) in
                    (0..<4).max { dual(m, "g\(g)_\(i)", "book_\($0)") < dual(m, "g\(g)_\(i)", "book_\($1)") }!
                }
                if best(global) == g { globalHits += 1 }
                if best(plain) == g { plainHits += 1 }
            }
        }
        #expect(globalHits == 20, "every click item predicts its group's booking (\(globalHits)/20)")
        #expect(plainHits < 12, "without global context the booking is not tied to the clicks (\(plainHits)/20)")
    }

    @Test func eventWeightsScaleTheUpdate() {
        let g = KernelGradientTests()
        var (k1, in1, out1) = g.makeKernel(seed: 8)
        var (k2, in2, out2) = g.makeKernel(seed: 8)
        defer {
            k1.deallocate()
            k2.deallocate()
        }
        let before = g.rows(in1)
        let contexts: [Int32] = [1, 2]
        contexts.withUnsafeBufferPointer {
            k1.skipGram(center: 3, contexts: $0.baseAddress!, count: 2, weight: 1)
            k2.skipGram(center: 3, contexts: $0.baseAddress!, count: 2, weight: 0.5)
        }
        // Same negatives (same seed): the weighted step is half the plain one.
        for r in [1, 2] {
            let full = zip(g.rows(in1)[r], before[r]).map { $0 - $1 }
            let half = zip(g.rows(in2)[r], before[r]).map { $0 - $1 }
            for (a, b) in zip(full, half) { #expect(abs(a / 2 - b) < 1e-6) }
        }
        _ = (out1, out2)
        var zero = g.makeKernel(seed: 8)
        defer { zero.0.deallocate() }
        let untouched = g.rows(zero.1)
        contexts.withUnsafeBufferPointer { zero.0.skipGram(center: 3, contexts: $0.baseAddress!, count: 2, weight: 0) }
        #expect(g.rows(zero.1) == untouched, "weight 0 trains nothing")
    }
}
