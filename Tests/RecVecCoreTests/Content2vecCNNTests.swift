// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RealModule
import Testing

@testable import RecVecCore

/// Published Content2vec (`--content-encoder cnn`): every module's gradient against finite
/// differences of an independent implementation of the loss, word order recovered by the
/// convolutions on a planted corpus, cold items scored, determinism, the pairs, and the options.
struct Content2vecCNNTests {
    let gradients = KernelGradientTests()

    // MARK: - Gradients

    /// Five items: tokens of several lengths (one shorter than the widest window, one without any,
    /// one longer than `maxTokens`), CF vectors for four of them, two dense features.
    struct Fixture {
        let offsets: [Int32] = [0, 3, 5, 6, 6, 12]
        let ids: [Int32] = [0, 1, 2, 1, 3, 2, 3, 0, 1, 2, 3, 0]
        let items = 5
        let words = 4
        let e = 3
        let d = 4
        let features = 2
        let config: Content2vecCNNConfig = {
            var c = Content2vecCNNConfig()
            c.widths = [1, 2, 3]
            c.filters = 2
            c.maxTokens = 5
            c.textDropout = 0
            return c
        }()

        func towers(seed: UInt64) -> Content2vecTowers {
            var rng = FastRandom(seed: seed)
            let cf = (0..<(items * d)).map { i in i / d == 4 ? Float(0) : rng.nextUnitFloat() - 0.5 }
            let dense = (0..<(items * features)).map { i in i / features == 1 ? Float(0) : rng.nextUnitFloat() - 0.5 }
            let t = Content2vecTowers(
                config: config,
                dim: d,
                wordCount: words,
                wordDimension: e,
                pretrained: nil,
                tokenOffsets: offsets,
                tokenIDs: ids,
                cfInputs: cf,
                features: dense,
                featureCount: features,
                cfDropout: 0,
                capacity: items,
                seed: seed
            )
            // Random biases and layers too, so that no parameter starts at a special point.
            for p in t.biases + [t.textProjection, t.denseProjection!] {
                for i in 0..<p.count { p.value[i] = rng.nextUnitFloat() - 0.5 }
            }
            return t
        }
    }

    /// The loss of `batch` over the units `items`, computed from the parameters' values in double
    /// precision by a direct reading of the model's definition (no matrix products, no unrolling).
    func referenceLoss(
        _ t: Content2vecTowers,
        _ f: Fixture,
        items: [Int],
        batch: Content2vecPairBatch,
        p: [[Double]]
    )
        -> Double
    {
        // p: the parameters in the order of `t.parameters`: words, cf, kernels…, biases…, text, dense.
        let (e, d, filters) = (f.e, f.d, f.config.filters)
        let widths = f.config.widths
        let words = p[0]
        let cf = p[1]
        let text = p[2 + 2 * widths.count]
        let denseLayer = p[3 + 2 * widths.count]
        var vectors: [[Double]] = []
        for item in items {
            var v = [Double](repeating: 0, count: d)
            let tokens = Array(f.ids[Int(f.offsets[item])..<Int(f.offsets[item + 1])].prefix(f.config.maxTokens))
            if !tokens.isEmpty {
                for (b, w) in widths.enumerated() {
                    let kernel = p[2 + b]
                    let bias = p[2 + widths.count + b]
                    for filter in 0..<filters {
                        var best = -Double.infinity
                        for start in 0..<max(1, tokens.count - w + 1) {
                            var z = bias[filter]
                            for k in 0..<w where start + k < tokens.count {
                                for c in 0..<e {
                                    z += kernel[(k * e + c) * filters + filter] * words[Int(tokens[start + k]) * e + c]
                                }
                            }
                            best = max(best, z)
                        }
                        let h = max(0, best)
                        for j in 0..<d { v[j] += h * text[(b * filters + filter) * d + j] }
                    }
                }
            }
            for j in 0..<d { v[j] += cf[item * d + j] }
            for c in 0..<f.features {
                let x = Double(t.features![item * f.features + c])
                for j in 0..<d { v[j] += x * denseLayer[c * d + j] }
            }
            vectors.append(v)
        }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map(*).reduce(0, +) }
        var loss = 0.0
        for (a, b) in zip(batch.anchors, batch.positives) {
            loss += gradients.nls(dot(vectors[Int(a)], vectors[Int(b)]))
            for n in batch.negatives {
                loss += Double(batch.negativeWeight) * gradients.nls(-dot(vectors[Int(a)], vectors[Int(n)]))
            }
        }
        return loss
    }

    @Test func everyModuleGradientMatchesFiniteDifferences() {
        let f = Fixture()
        let t = f.towers(seed: 3)
        let items = [0, 1, 2, 3, 4]
        var batch = Content2vecPairBatch()
        batch.anchors = [0, 1, 4]
        batch.positives = [2, 3, 0]
        batch.negatives = [1, 4]
        batch.negativeWeight = 0.5
        var rng = FastRandom(seed: 1)
        t.forward(items.map(Int32.init), training: true, rng: &rng)
        _ = batch.accumulateGradients(t)
        t.backward()

        let parameters = t.parameters
        #expect(parameters.count == 2 + 2 * 3 + 2)
        let p0 = parameters.map { p in (0..<p.count).map { Double(p.value[$0]) } }
        for (index, parameter) in parameters.enumerated() {
            let analytic = (0..<parameter.count).map { Double(parameter.gradient[$0]) }
            let numeric = gradients.numericGradient(p0[index]) { x in
                var p = p0
                p[index] = x
                return referenceLoss(t, f, items: items, batch: batch, p: p)
            }
            #expect(numeric.contains { abs($0) > 1e-6 }, "parameter \(index) gets no gradient")
            for (a, n) in zip(analytic, numeric) {
                #expect(abs(a - n) <= 1e-3 * max(1, abs(n)), "parameter \(index): \(a) vs \(n)")
            }
        }
    }

    @Test func textDropoutScalesKeptFeaturesAndBlocksDroppedOnes() {
        let f = Fixture()
        var c = f.config
        c.textDropout = 0.5
        let t = Content2vecTowers(
            config: c,
            dim: f.d,
            wordCount: f.words,
            wordDimension: f.e,
            pretrained: nil,
            tokenOffsets: f.offsets,
            tokenIDs: f.ids,
            cfInputs: nil,
            features: nil,
            featureCount: 0,
            cfDropout: 0,
            capacity: f.items,
            seed: 4
        )
        var rng = FastRandom(seed: 2)
        t.forward([0], training: false, rng: &rng)
        let full = (0..<f.d).map { t.vectors[$0] }
        // Averaged over many draws, inverted dropout keeps the expected vector.
        var mean = [Float](repeating: 0, count: f.d)
        let draws = 4000
        for _ in 0..<draws {
            t.forward([0], training: true, rng: &rng)
            for j in 0..<f.d { mean[j] += t.vectors[j] / Float(draws) }
        }
        for j in 0..<f.d { #expect(abs(mean[j] - full[j]) < 0.05 * max(1, abs(full[j])), "\(mean) vs \(full)") }
    }

    // MARK: - Pairs

    @Test func contextPairsStayInTheirWindowAndCoverEveryOccurrence() {
        let sequences = Sequences([[0, 1, 2, 3, 4, 5, 6], [7], [8, 9]])
        var rng = FastRandom(seed: 8)
        for mode in WindowMode.allCases {
            let pairs = Trainer.contextPairs(sequences, window: 2, mode: mode, rng: &rng)
            #expect(pairs.count == 2 * 9, "\(mode): the sequence of one item gives no pair")
            var anchors: [Int32] = []
            for p in 0..<(pairs.count / 2) {
                let (a, b) = (pairs[2 * p], pairs[2 * p + 1])
                anchors.append(a)
                #expect(a != b)
                if a >= 8 {
                    #expect(b >= 8)
                } else {
                    #expect(b < 7)
                    if mode != .full { #expect(abs(Int(a) - Int(b)) <= 2, "\(mode): \(a), \(b)") }
                }
            }
            #expect(anchors.sorted() == [0, 1, 2, 3, 4, 5, 6, 8, 9])
        }
    }

    // MARK: - Planted structure

    /// Four groups whose titles use the same words in different orders ("red blue", "blue red",
    /// "red green", "green red"), so that only word order tells two of the groups apart; sequences
    /// are drawn within a group; one cold item per group with its group's title and no events.
    func orderedTitles(sequences: Int = 600) -> (Corpus, ItemMetadata) {
        let titles = ["red blue", "blue red", "red green", "green red"]
        var rng = FastRandom(seed: 21)
        var lines: [[String]] = []
        for _ in 0..<sequences {
            let g = rng.next(below: titles.count)
            lines.append((0..<8).map { _ in "g\(g)_\(rng.next(below: 6))" })
        }
        var metadata = ItemMetadata()
        for (g, title) in titles.enumerated() {
            for i in 0..<6 { metadata.add(item: "g\(g)_\(i)", field: "title", value: title) }
            metadata.add(item: "cold\(g)", field: "title", value: title)
        }
        return (corpus(lines), metadata)
    }

    func config(epochs: Int = 12) -> TrainingConfig {
        var c = TrainingConfig()
        c.model = .content2vec
        c.dim = 16
        c.epochs = 3
        c.window = 3
        c.sample = 0
        c.threads = 1
        c.seed = 5
        var content = Content2vecConfig()
        content.dropout = 0.5
        var cnn = Content2vecCNNConfig()
        cnn.widths = [1, 2]
        cnn.filters = 16
        cnn.wordDimension = 8
        cnn.epochs = epochs
        cnn.batch = 64
        cnn.learningRate = 0.1
        content.cnn = cnn
        c.content = content
        return c
    }

    @Test func convolutionsTellWordOrderApartForColdItems() throws {
        let (corpus, metadata) = orderedTitles()
        var inputs = ModelInputs()
        inputs.metadata = metadata
        let model = try Trainer(config: config()).train(corpus, inputs: inputs)
        #expect(model.itemCount == 28)
        #expect(model.section(.word)?.count == 3)
        let neighbours = NearestNeighbors(model: model)
        for g in 0..<4 {
            let top = try neighbours.similar(to: ["cold\(g)"], top: 5).map(\.token)
            #expect(top.allSatisfy { $0.hasPrefix("g\(g)_") }, "cold\(g): \(top)")
        }
        // Cold items have the tower's vector on both sides, so `dual` scoring reaches them.
        let cold = Int(model.vocabulary.id(of: "cold1")!)
        #expect(model.output!.vector(cold) == model.input.vector(cold))
        #expect(model.output!.vector(cold).contains { $0 != 0 })
    }

    @Test func coldItemsAreRecommendedUnderDualScoring() throws {
        let (corpus, metadata) = orderedTitles(sequences: 400)
        var lines: [[String]] = []
        for s in 0..<corpus.sequences.count {
            lines.append(corpus.sequences[s].map { corpus.vocabulary.tokens[Int($0)] })
        }
        let items = corpus.vocabulary.tokens + (0..<4).map { "cold\($0)" }
        var index: [String: Int32] = [:]
        for (i, item) in items.enumerated() { index[item] = Int32(i) }
        let data = TrainingData(sequences: lines.map { $0.map { index[$0]! } }, items: items)
        var model = Content2vecRecommenderModel(
            training: config(),
            metadata: metadata,
            scoring: .dual
        )
        try model.fit(data)
        var scores = [Float](repeating: 0, count: items.count)
        let history = [index["g2_0"]!, index["g2_3"]!]
        #expect(model.score(history: history, into: &scores))
        let cold = (0..<4).map { scores[Int(index["cold\($0)"]!)] }
        #expect(cold.allSatisfy { $0.isFinite })
        #expect([0, 1, 3].allSatisfy { cold[2] > cold[$0] }, "\(cold)")
    }

    @Test func oneThreadAndOneSeedGiveTheSameModel() throws {
        let (corpus, metadata) = orderedTitles(sequences: 150)
        var inputs = ModelInputs()
        inputs.metadata = metadata
        let c = config(epochs: 2)
        let a = try Trainer(config: c).train(corpus, inputs: inputs)
        #expect(a.isIdentical(to: try Trainer(config: c).train(corpus, inputs: inputs)))
        var other = c
        other.seed = 6
        #expect(!a.isIdentical(to: try Trainer(config: other).train(corpus, inputs: inputs)))
    }

    @Test func modelFileRoundTripKeepsTheEncoderSettings() throws {
        let (corpus, metadata) = orderedTitles(sequences: 100)
        var inputs = ModelInputs()
        inputs.metadata = metadata
        let c = config(epochs: 1)
        let model = try Trainer(config: c).train(corpus, inputs: inputs)
        let folder = TemporaryFolder()
        try ModelFile.write(model, to: folder.file("m.rvmodel"))
        let back = try ModelFile.read(from: folder.file("m.rvmodel"))
        #expect(back.isIdentical(to: model))
        #expect(back.config.content?.cnn == c.content?.cnn && back.config.content?.encoder == .cnn)
    }

    // MARK: - Options

    @Test func settingsOutOfRangeNameTheirOption() {
        func setting(_ change: (inout Content2vecCNNConfig) -> Void) -> String? {
            var c = Content2vecCNNConfig()
            change(&c)
            do {
                try c.validate()
                return nil
            } catch let e as ConfigurationError {
                return e.setting
            } catch {
                return "\(error)"
            }
        }
        #expect(setting { _ in } == nil)
        #expect(setting { $0.widths = [] } == "cnn_widths")
        #expect(setting { $0.widths = [2, 2] } == "cnn_widths")
        #expect(setting { $0.widths = [0] } == "cnn_widths")
        #expect(setting { $0.filters = 0 } == "cnn_filters")
        #expect(setting { $0.wordDimension = 0 } == "cnn_word_dim")
        #expect(setting { $0.textDropout = 1 } == "cnn_dropout")
        #expect(setting { $0.batch = 0 } == "cnn_batch")
        #expect(setting { $0.learningRate = 0 } == "cnn_rate")
        #expect(setting { $0.epochs = 0 } == "cnn_epochs")
        #expect(setting { $0.maxTokens = 0 } == "cnn_max_tokens")
        #expect(setting { $0.negativeWeight = 0 } == "cnn_negative_weight")
    }

    @Test func tuningSpaceDrawsBothEncoders() {
        var rng = FastRandom(seed: 3)
        var encoders = Set<Content2vecConfig.Encoder>()
        for _ in 0..<40 {
            let c = Content2vecConfig.sampled(around: Content2vecConfig(), rng: &rng)
            encoders.insert(c.encoder)
            if let cnn = c.cnn { #expect((try? cnn.validate()) != nil) }
        }
        #expect(encoders == [.mean, .cnn])
        // Asked for the cnn encoder, the space keeps it.
        var base = Content2vecConfig()
        base.cnn = Content2vecCNNConfig()
        for _ in 0..<10 { #expect(Content2vecConfig.sampled(around: base, rng: &rng).encoder == .cnn) }
    }
}
