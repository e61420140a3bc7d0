// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RealModule
import Testing

@testable import RecVecCore

/// Content2vec: the update against finite differences, planted content recovered for cold items,
/// determinism, and every input error.
struct Content2vecTests {
    // MARK: - Gradient

    /// The kernel tests' finite differences and tolerances.
    let gradients = KernelGradientTests()
    func nls(_ x: Double) -> Double { gradients.nls(x) }
    func numericGradient(_ x: [Double], _ f: ([Double]) -> Double) -> [Double] { gradients.numericGradient(x, f) }
    func expectClose(_ actual: [Double], _ expected: [Double], _ what: String) {
        #expect(actual.count == expected.count)
        gradients.expectClose(actual, expected, what)
    }

    /// Four warm items, a cold one; title words, 3 dense features and 4-dimensional pretrained
    /// word vectors, so the step touches b, two word vectors and both blocks of P.
    func smallContent(weighting: Content2vecConfig.TokenWeighting = .mean) throws -> ItemContent {
        var metadata = ItemMetadata()
        metadata.add(item: "a", field: "title", value: "Red Blue")
        metadata.add(item: "b", field: "title", value: "red")
        metadata.add(item: "e", field: "title", value: "blue")
        let vectors = ContentVectors(items: ["a", "b", "c"], rows: [[1, -2, 0.5], [0, 1, 1], [2, 0, 0]])
        let pretrained = EmbeddingMatrix(rows: 2, dim: 4)
        pretrained.setVector(0, [0.3, -0.1, 0.8, 0.2])
        pretrained.setVector(1, [-0.5, 0.4, 0.1, 0.9])
        let words = EmbeddingModel(
            vocabulary: Vocabulary(tokens: ["red", "blue"], counts: [0, 0]),
            input: pretrained,
            output: nil,
            config: TrainingConfig()
        )
        return try ItemContent(
            items: ["a", "b", "c", "d"],
            metadata: metadata,
            fields: [],
            textFields: ["title"],
            minCount: 1,
            weighting: weighting,
            vectors: vectors,
            wordVectors: words
        )
    }

    func randomize(_ m: EmbeddingMatrix, _ rng: inout FastRandom) {
        for r in 0..<m.rows { for c in 0..<m.dim { m.row(r)[c] = rng.nextUnitFloat() - 0.5 } }
    }

    func rows(_ m: EmbeddingMatrix) -> [[Double]] { (0..<m.rows).map { m.vector($0).map(Double.init) } }

    @Test(arguments: Content2vecConfig.TokenWeighting.allCases)
    func stepIsTheLossGradientForBehaviourWordsAndProjection(weighting: Content2vecConfig.TokenWeighting) throws {
        let content = try smallContent(weighting: weighting)
        #expect(content.items == ["a", "b", "c", "d", "e"])
        #expect(content.featureCount == 7)
        let dim = 6
        let alpha: Float = 0.01
        let parameters = Content2vecParameters(content: content, dim: dim)
        let input = EmbeddingMatrix(rows: 4, dim: dim)
        let output = EmbeddingMatrix(rows: 4, dim: dim)
        var rng = FastRandom(seed: 9)
        for m in [input, output, parameters.words, parameters.projection!] { randomize(m, &rng) }
        let source = Content2vecSource(parameters: parameters, window: 2, mode: .fixed, dropout: 0)
        var kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 3,
            sampler: NegativeSampler(counts: [1, 1, 1, 1], exponent: 0.75),
            contextCapacity: 4,
            seed: 1,
            alpha: alpha
        )
        defer { kernel.deallocate() }

        let item = 0  // "a": words red, blue; features of "a" and the mean pretrained vector of red, blue
        let targets = [1, 2, 3]
        for (k, t) in targets.enumerated() { kernel.targets[k] = Int32(t) }
        let slots = Int(content.wordOffsets[item])..<Int(content.wordOffsets[item + 1])
        let wordsOfItem = slots.map { Int(content.wordIDs[$0]) }
        let weights = slots.map { Double(content.wordWeights[$0]) }
        #expect(wordsOfItem.count == 2)
        #expect(abs(weights.reduce(0, +) - 1) < 1e-6)
        let x = parameters.features!.vector(item).map(Double.init)
        #expect(x.allSatisfy { $0 != 0 })
        let b0 = input.vector(item).map(Double.init)
        let out0 = rows(output)
        let w0 = rows(parameters.words)
        let p0 = rows(parameters.projection!)

        func loss(b: [Double], words: [[Double]], p: [[Double]], outputs: [[Double]]) -> Double {
            var v = b
            for (w, weight) in zip(wordsOfItem, weights) { for c in 0..<dim { v[c] += weight * words[w][c] } }
            for k in 0..<x.count { for c in 0..<dim { v[c] += x[k] * p[k][c] } }
            var l = 0.0
            for (k, t) in targets.enumerated() {
                let f = zip(v, outputs[t]).map(*).reduce(0, +)
                l += k == 0 ? nls(f) : nls(-f)
            }
            return l
        }

        kernel.content2vecStep(item: Int32(item), targetCount: targets.count, keepBehaviour: true, content: source)

        let a = Double(alpha)
        let db = numericGradient(b0) { loss(b: $0, words: w0, p: p0, outputs: out0) }
        expectClose(zip(input.vector(item), b0).map { (Double($0) - $1) / -a }, db, "b")
        for w in wordsOfItem {
            let dw = numericGradient(w0[w]) {
                var ws = w0
                ws[w] = $0
                return loss(b: b0, words: ws, p: p0, outputs: out0)
            }
            expectClose(zip(parameters.words.vector(w), w0[w]).map { (Double($0) - $1) / -a }, dw, "word \(w)")
        }
        for k in 0..<x.count {
            let dp = numericGradient(p0[k]) {
                var ps = p0
                ps[k] = $0
                return loss(b: b0, words: w0, p: ps, outputs: out0)
            }
            expectClose(
                zip(parameters.projection!.vector(k), p0[k]).map { (Double($0) - $1) / -a },
                dp,
                "P column \(k)"
            )
        }
        for t in targets {
            let du = numericGradient(out0[t]) {
                var os = out0
                os[t] = $0
                return loss(b: b0, words: w0, p: p0, outputs: os)
            }
            expectClose(zip(output.vector(t), out0[t]).map { (Double($0) - $1) / -a }, du, "output \(t)")
        }
        // The other items' behaviour vectors and words are untouched.
        #expect(input.vector(1).map(Double.init) == rows(input)[1])
    }

    @Test func idfWeightsFavourRareTokens() throws {
        var metadata = ItemMetadata()
        for (item, genre) in [("a", "x"), ("b", "x"), ("c", "x"), ("d", "y")] {
            metadata.add(item: item, field: "genre", value: genre)
            metadata.add(item: item, field: "title", value: item == "a" || item == "d" ? "Rare" : "Other")
        }
        let content = try ItemContent(
            items: ["a", "b", "c", "d"],
            metadata: metadata,
            fields: [],
            textFields: ["title"],
            minCount: 1,
            weighting: .idf,
            vectors: nil,
            wordVectors: nil
        )
        // Item a: genre=x on 3 of 4 items (idf log 4/3), "rare" on 2 (log 2).
        let a = (Int(content.wordOffsets[0])..<Int(content.wordOffsets[1])).map {
            (content.words[Int(content.wordIDs[$0])], content.wordWeights[$0])
        }
        let weights = Dictionary(uniqueKeysWithValues: a)
        let expected = log(2.0) / (log(2.0) + log(4.0 / 3))
        #expect(abs(Double(weights["text:rare"]!) - expected) < 1e-6, "\(a)")
        #expect(weights["text:genre=x"]! < weights["text:rare"]!)
    }

    @Test func droppedBehaviourLeavesItUntouchedAndStepsTheContent() throws {
        let content = try smallContent()
        let parameters = Content2vecParameters(content: content, dim: 4)
        let input = EmbeddingMatrix(rows: 4, dim: 4)
        let output = EmbeddingMatrix(rows: 4, dim: 4)
        var rng = FastRandom(seed: 3)
        for m in [input, output, parameters.words, parameters.projection!] { randomize(m, &rng) }
        let source = Content2vecSource(parameters: parameters, window: 2, mode: .fixed, dropout: 0.5)
        var kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 2,
            sampler: NegativeSampler(counts: [1, 1, 1, 1], exponent: 0.75),
            contextCapacity: 4,
            seed: 1,
            alpha: 0.05
        )
        defer { kernel.deallocate() }
        let b0 = input.vector(0)
        let p0 = parameters.projection!.vector(0)
        kernel.targets[0] = 1
        kernel.targets[1] = 2
        kernel.content2vecStep(item: 0, targetCount: 2, keepBehaviour: false, content: source)
        #expect(input.vector(0) == b0)
        #expect(parameters.projection!.vector(0) != p0)
    }

    // MARK: - Planted structure

    /// Sequences drawn within groups of items ("g<group>_<i>"); every item's genre is its group.
    func plantedGroups(groups: Int = 4, size: Int = 6, sequences: Int = 600) -> (Corpus, ItemMetadata) {
        var rng = FastRandom(seed: 17)
        var lines: [[String]] = []
        for _ in 0..<sequences {
            let g = rng.next(below: groups)
            lines.append((0..<8).map { _ in "g\(g)_\(rng.next(below: size))" })
        }
        var metadata = ItemMetadata()
        for g in 0..<groups {
            for i in 0..<size { metadata.add(item: "g\(g)_\(i)", field: "genre", value: "genre\(g)") }
            // A cold item of each group: content, no events.
            metadata.add(item: "cold\(g)", field: "genre", value: "genre\(g)")
            metadata.add(item: "cold\(g)", field: "title", value: "New Film \(g)")
        }
        return (corpus(lines), metadata)
    }

    func config(dropout: Double = 0.5, threads: Int = 1) -> TrainingConfig {
        var c = TrainingConfig()
        c.model = .content2vec
        c.dim = 16
        c.epochs = 8
        c.window = 3
        c.sample = 0
        c.threads = threads
        c.seed = 5
        var content = Content2vecConfig()
        content.dropout = dropout
        c.content = content
        return c
    }

    @Test func coldItemLandsAmongItsContentNeighbours() throws {
        let (corpus, metadata) = plantedGroups()
        var inputs = ModelInputs()
        inputs.metadata = metadata
        let box = NoteBox()
        inputs.content.report = { box.append($0) }
        let model = try Trainer(config: config()).train(corpus, inputs: inputs)
        #expect(model.itemCount == 28)
        // genre0…genre3; "new" and "film" are on the cold items only (never trained: dropped), the
        // digits of the titles on one item each (dropped).
        #expect(model.section(.word)?.count == 4)
        #expect(model.vocabulary.id(of: "text:genre=genre2") != nil)
        #expect(box.notes.count == 1 && box.notes[0].contains("28 items (24 with events, 4 cold: content only)"))
        let neighbours = NearestNeighbors(model: model)
        for g in 0..<4 {
            let top = try neighbours.similar(to: ["cold\(g)"], top: 5).map(\.token)
            #expect(top.allSatisfy { $0.hasPrefix("g\(g)_") }, "cold\(g): \(top)")
        }
        // Cold items have no output vector.
        let cold = Int(model.vocabulary.id(of: "cold1")!)
        #expect(model.output!.vector(cold).allSatisfy { $0 == 0 })
    }

    @Test func centringRemovesTheMeanItemVector() throws {
        let (corpus, metadata) = plantedGroups()
        var inputs = ModelInputs()
        inputs.metadata = metadata
        var c = config()
        c.content?.centre = true
        let model = try Trainer(config: c).train(corpus, inputs: inputs)
        for k in 0..<model.dim {
            let mean = (0..<model.itemCount).reduce(Float(0)) { $0 + model.input.row($1)[k] } / Float(model.itemCount)
            #expect(abs(mean) < 1e-4)
        }
        let neighbours = NearestNeighbors(model: model)
        for g in 0..<4 {
            let top = try neighbours.similar(to: ["cold\(g)"], top: 5).map(\.token)
            #expect(top.allSatisfy { $0.hasPrefix("g\(g)_") }, "cold\(g): \(top)")
        }
    }

    @Test func denseFeaturesDetermineTheClusters() throws {
        // No metadata: each item's features are its group's one-hot plus noise; cold items only have features.
        var rng = FastRandom(seed: 4)
        var lines: [[String]] = []
        for _ in 0..<600 {
            let g = rng.next(below: 4)
            lines.append((0..<8).map { _ in "g\(g)_\(rng.next(below: 6))" })
        }
        var items: [String] = []
        var rows: [[Float]] = []
        for g in 0..<4 {
            for i in 0..<7 {
                items.append(i < 6 ? "g\(g)_\(i)" : "cold\(g)")
                rows.append((0..<6).map { k in (k == g ? 1 : 0) + 0.2 * (rng.nextUnitFloat() - 0.5) })
            }
        }
        var inputs = ModelInputs()
        inputs.content.contentVectors = ContentVectors(items: items, rows: rows)
        let model = try Trainer(config: config()).train(corpus(lines), inputs: inputs)
        #expect(model.itemCount == 28)
        let neighbours = NearestNeighbors(model: model)
        for g in 0..<4 {
            let top = try neighbours.similar(to: ["cold\(g)"], top: 5).map(\.token)
            #expect(top.allSatisfy { $0.hasPrefix("g\(g)_") }, "cold\(g): \(top)")
        }
    }

    @Test func oneThreadAndOneSeedGiveTheSameModel() throws {
        let (corpus, metadata) = plantedGroups(sequences: 200)
        var inputs = ModelInputs()
        inputs.metadata = metadata
        var c = config()
        c.epochs = 2
        let a = try Trainer(config: c).train(corpus, inputs: inputs)
        let b = try Trainer(config: c).train(corpus, inputs: inputs)
        #expect(a.isIdentical(to: b))
        c.seed = 6
        #expect(!a.isIdentical(to: try Trainer(config: c).train(corpus, inputs: inputs)))
    }

    @Test func modelFileRoundTripKeepsSectionsAndConfig() throws {
        let (corpus, metadata) = plantedGroups(sequences: 100)
        var inputs = ModelInputs()
        inputs.metadata = metadata
        var c = config()
        c.epochs = 1
        let model = try Trainer(config: c).train(corpus, inputs: inputs)
        let folder = TemporaryFolder()
        try ModelFile.write(model, to: folder.file("m.rvmodel"))
        let back = try ModelFile.read(from: folder.file("m.rvmodel"))
        #expect(back.isIdentical(to: model))
        #expect(back.config.content == c.content && back.config.model == .content2vec)
    }

    // MARK: - Bad input

    @Test func contentVectorFileErrorsNameFileLineAndField() throws {
        let folder = TemporaryFolder()
        func message(_ text: String) -> String {
            do {
                _ = try ContentVectors.read(path: folder.write("v.txt", text))
                return "no error"
            } catch { return "\(error)" }
        }
        let path = folder.file("v.txt")
        #expect(message("") == "\(path): file is empty: expected lines 'item v1 v2 ...'")
        #expect(message("\n\n") == "\(path): no vectors: expected lines 'item v1 v2 ...'")
        #expect(
            message("a 1 2\nb 1 2 3\n") == "\(path):2: 3 values, but line 1 has 2: every item needs the same number"
        )
        #expect(message("a 1 2\nb 1 x\n") == "\(path):2: field 3 'x' is not a number")
        #expect(message("a 1 nan\n") == "\(path):1: field 3 'nan' is not a number")
        #expect(message("a\n") == "\(path):1: item 'a' has no values: expected 'item v1 v2 ...'")
        #expect(message("a 1\nb 2\na 3\n") == "\(path):3: item 'a' is listed twice")
        #expect(throws: InputError.self) { try ContentVectors.read(path: folder.file("missing.txt")) }
        let ok = try ContentVectors.read(path: folder.write("ok.txt", "a\t1 2\n\nb -1.5e0 3\n"))
        #expect(ok.items == ["a", "b"] && ok.dimension == 2 && Array(ok.vector(1)) == [-1.5, 3])
    }

    @Test func configurationErrorsNameTheOption() throws {
        let (corpus, metadata) = plantedGroups(sequences: 50)
        func error(_ c: TrainingConfig, _ inputs: ModelInputs) -> String {
            do {
                _ = try Trainer(config: c).train(corpus, inputs: inputs)
                return "no error"
            } catch { return "\(error)" }
        }
        var inputs = ModelInputs()
        #expect(error(config(), inputs).hasPrefix("model: content2vec needs content"))
        inputs.metadata = metadata
        inputs.metadataFields = ["genre", "year"]
        #expect(
            error(config(), inputs).hasPrefix("metadata_fields: no field 'year' in the metadata; it has: genre, title")
        )
        inputs.metadataFields = []
        #expect(error(config(dropout: 1), inputs) == "content_dropout: must be in [0, 1) (got 1.0)")
        var noMetadata = ModelInputs()
        noMetadata.content.contentVectors = ContentVectors(items: ["g0_0"], rows: [[1]])
        let folder = TemporaryFolder()
        noMetadata.content.wordVectors = try Word2VecFormat.read(from: folder.write("w.txt", "1 2\nx 1 2\n"))
        #expect(error(config(), noMetadata).hasPrefix("word_vectors: pretrained word vectors need content words"))
    }

    @Test func contentOfUnknownItemsIsCountedAndReported() throws {
        let (corpus, metadata) = plantedGroups(sequences: 100)
        var inputs = ModelInputs()
        inputs.metadata = metadata
        inputs.content.contentVectors = ContentVectors(
            items: ["g0_0", "cold1", "stranger", "other"],
            rows: [[1, 0], [0, 1], [1, 1], [2, 1]]
        )
        let box = NoteBox()
        inputs.content.report = { box.append($0) }
        var c = config()
        c.epochs = 1
        let model = try Trainer(config: c).train(corpus, inputs: inputs)
        #expect(box.notes.count == 1)
        #expect(
            box.notes[0].contains("2 content-vector rows name items in neither the events nor the metadata"),
            "\(box.notes)"
        )
        #expect(model.vocabulary.id(of: "stranger") != nil && model.itemCount == 30)
    }

    @Test func itemsWithoutContentKeepTheirBehaviourVector() throws {
        let (corpus, _) = plantedGroups(sequences: 300)
        var metadata = ItemMetadata()
        for i in 0..<6 { metadata.add(item: "g0_\(i)", field: "genre", value: "zero") }
        var inputs = ModelInputs()
        inputs.metadata = metadata
        let box = NoteBox()
        inputs.content.report = { box.append($0) }
        let model = try Trainer(config: config()).train(corpus, inputs: inputs)
        #expect(box.notes[0].contains("18 items with events have no content (behaviour only)"))
        let top = try NearestNeighbors(model: model).similar(to: ["g2_0"], top: 4).map(\.token)
        #expect(top.allSatisfy { $0.hasPrefix("g2_") }, "\(top)")
    }
}

/// Collects report lines from training.
final class NoteBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ s: String) { lock.withLock { stored.append(s) } }
    var notes: [String] { lock.withLock { stored } }
}
