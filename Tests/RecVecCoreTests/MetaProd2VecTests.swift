// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule
import Testing

@testable import RecVecCore

/// Meta-Prod2Vec: each term's update against finite differences of its weighted loss, planted
/// structure only the side information reveals, determinism, the joint vocabulary and bad input.
struct MetaProd2VecTests {
    let dim = 9
    let alpha: Float = 0.01

    /// −log σ(x), in double precision.
    func nls(_ x: Double) -> Double { Double.log(onePlus: Double.exp(-x)) }
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map(*).reduce(0, +) }
    func rows(_ m: EmbeddingMatrix) -> [[Double]] { (0..<m.rows).map { m.vector($0).map(Double.init) } }

    /// One SGD step as the kernel should take it: `inputs` each predict `positive` (if any) against
    /// `negatives`, loss w·Σ(−log σ(v·u₊) − Σ log σ(−v·u₋)).
    struct Call {
        var inputs: [Int]
        var positive: Int?
        var negatives: [Int]
        var weight: Double
    }

    func callLoss(_ call: Call, _ input: [[Double]], _ output: [[Double]]) -> Double {
        var l = 0.0
        for c in call.inputs {
            if let p = call.positive { l += nls(dot(input[c], output[p])) }
            for n in call.negatives { l += nls(-dot(input[c], output[n])) }
        }
        return call.weight * l
    }

    /// Applies each call as a step of −α times its finite-difference gradient, in order; returns
    /// the matrices and the summed loss.
    func simulate(_ calls: [Call], input: [[Double]], output: [[Double]]) -> ([[Double]], [[Double]], Double) {
        var input = input
        var output = output
        var total = 0.0
        let h = 1e-5
        let a = Double(alpha)
        for call in calls {
            total += callLoss(call, input, output)
            var newInput = input
            var newOutput = output
            for r in Set(call.inputs) {
                for i in 0..<dim {
                    var p = input
                    var m = input
                    p[r][i] += h
                    m[r][i] -= h
                    newInput[r][i] -= a * (callLoss(call, p, output) - callLoss(call, m, output)) / (2 * h)
                }
            }
            for r in Set(call.negatives + (call.positive.map { [$0] } ?? [])) {
                for i in 0..<dim {
                    var p = output
                    var m = output
                    p[r][i] += h
                    m[r][i] -= h
                    newOutput[r][i] -= a * (callLoss(call, input, p) - callLoss(call, input, m)) / (2 * h)
                }
            }
            input = newInput
            output = newOutput
        }
        return (input, output, total)
    }

    func expectClose(_ actual: [[Double]], _ expected: [[Double]], from start: [[Double]], _ what: String) {
        let a = Double(alpha)
        for r in 0..<actual.count {
            for i in 0..<dim {
                let got = (actual[r][i] - start[r][i]) / -a
                let want = (expected[r][i] - start[r][i]) / -a
                #expect(abs(got - want) <= 5e-4 * max(1, abs(want)), "\(what) row \(r)[\(i)]: \(got) vs \(want)")
            }
        }
    }

    /// Items a, b (metadata genre=m1, genre=m2) and z (no metadata, the only negative ever drawn).
    func tinyTable() throws -> MetadataVocabulary {
        var metadata = ItemMetadata()
        metadata.add(item: "a", field: "genre", value: "m1")
        metadata.add(item: "b", field: "genre", value: "m2")
        return try MetadataVocabulary(
            items: Vocabulary(tokens: ["a", "b", "z"], counts: [5, 5, 5]),
            metadata: metadata,
            fields: ["genre"],
            minCount: 1,
            maxValuesPerItem: 0
        )
    }

    func randomMatrices(rows: Int, seed: UInt64) -> (EmbeddingMatrix, EmbeddingMatrix) {
        let input = EmbeddingMatrix(rows: rows, dim: dim)
        let output = EmbeddingMatrix(rows: rows, dim: dim)
        var rng = FastRandom(seed: seed)
        for r in 0..<rows {
            for c in 0..<dim {
                input.row(r)[c] = rng.nextUnitFloat() - 0.5
                output.row(r)[c] = rng.nextUnitFloat() - 0.5
            }
        }
        return (input, output)
    }

    /// Each term alone (the others weighted 0) on the sequence [a, b] with a window of 1: the
    /// source makes exactly the pairs the term defines, and each step is −α ∂L/∂θ of its weighted loss.
    @Test(arguments: ["ji", "mi", "jm", "mm", "im"])
    func eachTermStepIsItsWeightedLossGradient(term: String) throws {
        let table = try tinyTable()
        let v = table.vocabulary
        let a = 0
        let b = 1
        let z = 2
        let m1 = Int(v.id(of: "genre=m1")!)
        let m2 = Int(v.id(of: "genre=m2")!)
        let w = 0.7
        var weights: (ji: Float, mi: Float, jm: Float, mm: Float, im: Float) = (0, 0, 0, 0, 0)
        // Pairs "inputs → output", centre a first, then centre b (see MetaProd2VecSource).
        let pairs: [(Int, Int)]
        switch term {
        case "ji":
            weights.ji = Float(w)
            pairs = [(b, a), (a, b)]  // J|I: I predicts its context items
        case "mi":
            weights.mi = Float(w)
            pairs = [(b, m1), (a, m2)]  // M|I: I predicts M(J)
        case "jm":
            weights.jm = Float(w)
            pairs = [(m2, a), (m1, b)]  // J|M: M(I) predicts J
        case "mm":
            weights.mm = Float(w)
            pairs = [(m2, m1), (m1, m2)]  // M|M: M(I) predicts M(J)
        default:
            weights.im = Float(w)
            pairs = [(m1, a), (m2, b)]  // I|M: M(I) predicts I
        }
        let source = MetaProd2VecSource(table: table, weights: weights, window: 1, mode: .fixed, sample: 0)
        let (input, output) = randomMatrices(rows: v.count, seed: 11)
        let onlyZ = NegativeSampler(counts: (0..<v.count).map { $0 == z ? 1 : 0 }, exponent: 0.75)
        var kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 1,
            sampler: onlyZ,
            contextCapacity: 4,
            seed: 3,
            alpha: alpha
        )
        defer { kernel.deallocate() }
        let in0 = rows(input)
        let out0 = rows(output)
        SequenceSlice.with([Int32(a), Int32(b)]) { source.train($0, kernel: &kernel) }
        let calls = pairs.map { Call(inputs: [$0.0], positive: $0.1, negatives: [z], weight: w) }
        let (inE, outE, lossE) = simulate(calls, input: in0, output: out0)
        expectClose(rows(input), inE, from: in0, "\(term) input")
        expectClose(rows(output), outE, from: out0, "\(term) output")
        // The kernel's loss sum is unweighted (the weight scales the step only).
        #expect(abs(kernel.loss - lossE / w) < 1e-3 * lossE / w, "\(term) loss \(kernel.loss) vs \(lossE / w)")
    }

    /// Group negatives: with a group {positive, other} where only `other` can be drawn, the step
    /// for each context is −α ∂/∂θ of w·(−log σ(−v·u_other)).
    @Test func groupNegativeStepIsItsLossGradient() {
        let (input, output) = randomMatrices(rows: 5, seed: 21)
        let groups = GroupNegativeSampler(groupOf: [0, 0, 1, 1, -1], counts: [0, 4, 1, 1, 1], exponent: 0.75)
        let sampler = NegativeSampler(counts: [1, 1, 1, 1, 1], exponent: 0.75)
        var kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 1,
            sampler: sampler,
            contextCapacity: 4,
            seed: 3,
            alpha: alpha
        )
        defer { kernel.deallocate() }
        let in0 = rows(input)
        let out0 = rows(output)
        let contexts: [Int32] = [3, 4]
        contexts.withUnsafeBufferPointer {
            kernel.groupNegatives(positive: 0, contexts: $0.baseAddress!, count: 2, sampler: groups, k: 1, weight: 0.5)
        }
        // One step per context (the second sees the output row the first moved).
        let calls = [3, 4].map { Call(inputs: [$0], positive: nil, negatives: [1], weight: 0.5) }
        let (inE, outE, lossE) = simulate(calls, input: in0, output: out0)
        expectClose(rows(input), inE, from: in0, "group input")
        expectClose(rows(output), outE, from: out0, "group output")
        #expect(abs(kernel.loss - lossE / 0.5) < 1e-3 * lossE / 0.5)
        #expect(kernel.examples == 0)
    }

    @Test func groupNegativesComeOnlyFromTheTargetsGroup() throws {
        var metadata = ItemMetadata()
        let items = ["a", "b", "c", "x", "y", "solo", "none"]
        for (item, g) in [("a", "G1"), ("b", "G1"), ("c", "G1"), ("x", "G2"), ("y", "G2"), ("solo", "G3")] {
            metadata.add(item: item, field: "shelf", value: g)
            metadata.add(item: item, field: "shelf", value: "second-\(g)")  // only the first value counts
        }
        let vocabulary = Vocabulary(tokens: items, counts: [9, 8, 7, 6, 5, 4, 3])
        let groups = try GroupNegativeSampler(
            vocabulary: vocabulary,
            itemCount: items.count,
            metadata: metadata,
            field: "shelf",
            exponent: 0.75
        )
        #expect(groups.groupCount == 3)
        #expect(groups.group(of: 6) == -1)
        #expect(Set(groups.members(of: groups.group(of: 0))) == [0, 1, 2])
        var rng = FastRandom(seed: 5)
        var seen = Set<Int32>()
        for _ in 0..<2000 { seen.insert(groups.sample(group: groups.group(of: 3), &rng)) }
        #expect(seen == [3, 4])

        // Through training: with global negatives that are always "none", only G1 output rows (and
        // "none") ever move when the sequences hold a and b.
        let corpus = try Corpus.from(
            Array(repeating: ["a", "b", "a", "b"], count: 20) + [["c", "x", "y", "solo", "none"]]
        )
        let (input, output) = randomMatrices(rows: corpus.vocabulary.count, seed: 2)
        Kernels.zero(output.base, count: output.rows * output.stride)
        let g = try GroupNegativeSampler(
            vocabulary: corpus.vocabulary,
            itemCount: corpus.vocabulary.count,
            metadata: metadata,
            field: "shelf",
            exponent: 0
        )
        let noneID = Int(corpus.vocabulary.id(of: "none")!)
        let onlyNone = NegativeSampler(counts: (0..<corpus.vocabulary.count).map { $0 == noneID ? 1 : 0 }, exponent: 1)
        var kernel = TrainingKernel(
            input: input,
            output: output,
            negative: 1,
            sampler: onlyNone,
            contextCapacity: 8,
            seed: 1,
            alpha: 0.05
        )
        defer { kernel.deallocate() }
        let source = GroupNegativeSkipGramSource(window: 2, mode: .fixed, groups: g, k: 3)
        for _ in 0..<5 {
            SequenceSlice.with([0, 1, 0, 1].map { corpus.vocabulary.id(of: ["a", "b"][$0])! }) {
                source.train($0, kernel: &kernel)
            }
        }
        for token in ["c", "none", "a", "b"] {
            #expect(output.vector(Int(corpus.vocabulary.id(of: token)!)).contains { $0 != 0 }, "\(token) moved")
        }
        for token in ["x", "y", "solo"] {
            #expect(output.vector(Int(corpus.vocabulary.id(of: token)!)).allSatisfy { $0 == 0 }, "\(token) untouched")
        }
    }

    /// 4 categories of 10 items, paired within each category; every sequence is one pair, so an
    /// item co-occurs with its partner only and never with the 8 other items of its category. The
    /// category is in the metadata: only Meta-Prod2Vec can put the category together.
    func plantedCategories(seed: UInt64 = 7) -> (Corpus, ItemMetadata) {
        var rng = FastRandom(seed: seed)
        var lines: [[String]] = []
        for _ in 0..<400 {
            let pair = rng.next(below: 20)  // category pair % 4, items 2·(pair / 4) and 2·(pair / 4) + 1
            let c = pair % 4
            let first = 2 * (pair / 4)
            lines.append(["c\(c)_\(first)", "c\(c)_\(first + 1)"].shuffled(using: &rng))
        }
        var metadata = ItemMetadata()
        for c in 0..<4 { for i in 0..<10 { metadata.add(item: "c\(c)_\(i)", field: "category", value: "cat\(c)") } }
        return (try! Corpus.from(lines), metadata)
    }

    func config(_ model: ModelName?) -> TrainingConfig {
        var c = TrainingConfig()
        c.model = model
        c.dim = 16
        c.window = 3
        c.epochs = 10
        c.sample = 0
        c.threads = 1
        c.seed = 4
        return c
    }

    /// Mean fraction of each item's 5 nearest items that share its category.
    func purity(_ model: EmbeddingModel) throws -> Double {
        let nn = NearestNeighbors(model: model)
        var total = 0.0
        for i in 0..<model.itemCount {
            let token = model.vocabulary.tokens[i]
            let top = try nn.similar(to: [token], top: 5)
            total += Double(top.filter { group(of: $0.token) == group(of: token) }.count) / 5
        }
        return total / Double(model.itemCount)
    }

    @Test func recoversCategoriesThatProd2VecCannot() throws {
        let (corpus, metadata) = plantedCategories()
        var inputs = ModelInputs()
        inputs.metadata = metadata
        let meta = try Trainer(config: config(.metaProd2vec)).train(corpus, inputs: inputs)
        let plain = try Trainer(config: config(.prod2vec)).train(corpus, inputs: inputs)
        let pm = try purity(meta)
        let pp = try purity(plain)
        #expect(pm >= 0.8, "meta-prod2vec purity \(pm)")
        #expect(pm - pp >= 0.4, "meta-prod2vec \(pm) vs prod2vec \(pp)")
        #expect(meta.section(.metadata)?.count == 4)
        #expect(meta.config.model == .metaProd2vec)
        // A category token's nearest items are its own.
        let near = try NearestNeighbors(model: meta).similar(to: ["category=cat2"], top: 5)
        #expect(near.allSatisfy { group(of: $0.token) == "c2" }, "\(near)")
    }

    @Test func oneThreadIsDeterministic() throws {
        let (corpus, metadata) = plantedCategories(seed: 3)
        var c = config(.metaProd2vec)
        c.epochs = 2
        c.sample = 1e-2
        var meta = MetaProd2VecConfig()
        meta.groupNegatives = GroupNegativesConfig(field: "category", k: 2)
        c.meta = meta
        let a = try Trainer(config: c).trainMetaProd2Vec(corpus, metadata: metadata, fields: [])
        let b = try Trainer(config: c).trainMetaProd2Vec(corpus, metadata: metadata, fields: [])
        #expect(a.model.isIdentical(to: b.model))
        c.seed = 5
        let other = try Trainer(config: c).trainMetaProd2Vec(corpus, metadata: metadata, fields: [])
        #expect(!a.model.isIdentical(to: other.model))
    }

    @Test func jointVocabularyCountsValuesAndReportsUnknownItems() throws {
        var metadata = ItemMetadata()
        metadata.add(item: "a", field: "genre", value: "rock")
        metadata.add(item: "a", field: "genre", value: "rock")  // duplicate: counted once for a
        metadata.add(item: "b", field: "genre", value: "rock")
        metadata.add(item: "b", field: "genre", value: "rare")
        metadata.add(item: "ghost", field: "genre", value: "rock")
        metadata.add(item: "ghost", field: "tag", value: "x")
        metadata.add(item: "a", field: "tag", value: "loud")
        let items = Vocabulary(tokens: ["a", "b", "c"], counts: [10, 3, 2])
        let t = try MetadataVocabulary(
            items: items,
            metadata: metadata,
            fields: ["genre"],
            minCount: 4,
            maxValuesPerItem: 0
        )
        #expect(t.vocabulary.tokens == ["a", "b", "c", "genre=rock"])
        #expect(t.vocabulary.counts == [10, 3, 2, 13])
        #expect(t.droppedValues == 1)  // genre=rare: count 3 < 4
        #expect(t.unknownItemRows == 1)  // ghost's genre row (tag is not a used field)
        #expect(t.itemsWithoutMetadata == 1)  // c
        #expect(Array(t.values(of: 1)) == [3])
        let all = try MetadataVocabulary(items: items, metadata: metadata, fields: [], minCount: 1, maxValuesPerItem: 1)
        #expect(all.unknownItemRows == 2)
        #expect(all.values(of: 0).count == 1)  // capped at one value, the most frequent
        #expect(all.vocabulary.tokens[Int(all.values(of: 0).first!)] == "genre=rock")
    }

    @Test func badInputFailsClearly() throws {
        let (corpus, metadata) = plantedCategories()
        let trainer = Trainer(config: config(.metaProd2vec))
        #expect(
            throws: ConfigurationError(
                setting: "metadata_fields",
                "no field 'genre' in the metadata (fields: category)"
            )
        ) {
            try trainer.trainMetaProd2Vec(corpus, metadata: metadata, fields: ["genre"])
        }
        #expect(throws: ConfigurationError(setting: "metadata", "the metadata has no rows")) {
            try trainer.trainMetaProd2Vec(corpus, metadata: ItemMetadata(), fields: [])
        }
        var strangers = ItemMetadata()
        strangers.add(item: "nobody", field: "category", value: "x")
        #expect(throws: ConfigurationError.self) {
            try trainer.trainMetaProd2Vec(corpus, metadata: strangers, fields: [])
        }
        #expect(
            throws: ConfigurationError(
                setting: "metadata",
                "meta-prod2vec needs item side information (a metadata file)"
            )
        ) {
            try trainer.train(corpus, inputs: ModelInputs())
        }
        var cbow = config(.metaProd2vec)
        cbow.architecture = .cbow
        var inputs = ModelInputs()
        inputs.metadata = metadata
        #expect(throws: ConfigurationError.self) { try Trainer(config: cbow).train(corpus, inputs: inputs) }
        var bad = config(.metaProd2vec)
        bad.meta = MetaProd2VecConfig()
        bad.meta!.lambdaMM = -1
        #expect(throws: ConfigurationError(setting: "meta_lambda_mm", "must be between 0 and 100 (got -1.0)")) {
            try Trainer(config: bad).train(corpus, inputs: inputs)
        }
        var groups = config(.prod2vec)
        groups.meta = MetaProd2VecConfig()
        groups.meta!.groupNegatives = GroupNegativesConfig(field: "shelf", k: 2)
        #expect(throws: ConfigurationError.self) { try Trainer(config: groups).train(corpus, inputs: inputs) }
        #expect(throws: ConfigurationError(setting: "group_negatives", "needs item side information (a metadata file)"))
        {
            try Trainer(config: groups).train(corpus, inputs: ModelInputs())
        }
        #expect(throws: ConfigurationError.self) { try GroupNegativesConfig(parsing: "genre") }
        #expect(throws: ConfigurationError.self) { try GroupNegativesConfig(parsing: "genre:0") }
        #expect(throws: ConfigurationError.self) { try GroupNegativesConfig(parsing: ":3") }
        #expect(try GroupNegativesConfig(parsing: "a:b:4") == GroupNegativesConfig(field: "a:b", k: 4))

        // Files: empty, header only, a missing field — each names the file (and the field).
        let folder = TemporaryFolder()
        let empty = folder.write("empty.tsv", "")
        #expect(throws: InputError(file: empty, "file is empty")) { try ItemMetadata.read(path: empty, requiring: []) }
        let header = folder.write("header.tsv", "item_id\tfield\tvalue\n")
        #expect(throws: InputError.self) { try ItemMetadata.read(path: header, requiring: []) }
        let file = folder.write("m.tsv", "item_id\tfield\tvalue\n1\tgenre\tDrama\n")
        #expect(throws: InputError(file: file, "no field 'tag' (fields: genre)")) {
            try ItemMetadata.read(path: file, requiring: ["genre", "tag"])
        }
    }

    @Test func prod2vecWithGroupNegativesTrains() throws {
        let (corpus, metadata) = plantedCategories()
        var c = config(.prod2vec)
        c.epochs = 2
        c.meta = MetaProd2VecConfig()
        c.meta!.groupNegatives = GroupNegativesConfig(field: "category", k: 2)
        var inputs = ModelInputs()
        inputs.metadata = metadata
        let model = try Trainer(config: c).train(corpus, inputs: inputs)
        #expect(model.itemCount == corpus.vocabulary.count && model.sections.count == 1)
        let plain = try Trainer(
            config: {
                var p = c
                p.meta = nil
                return p
            }()
        ).train(corpus, inputs: inputs)
        #expect(!model.isIdentical(to: plain))
    }

    @Test func evaluatesAndRecommendsItemsOnly() throws {
        let (corpus, metadata) = plantedCategories()
        let items = corpus.vocabulary.tokens
        var index: [String: Int32] = [:]
        for (i, t) in items.enumerated() { index[t] = Int32(i) }
        var o = ModelSettings()
        o.training = config(nil)
        o.training.epochs = 2
        o.minCount = 1
        o.metadata = metadata
        var model = try ModelRegistry.recommender("meta-prod2vec", settings: o)
        let sequences = (0..<corpus.sequences.count).map { Array(corpus.sequences[$0]) }
        try model.fit(TrainingData(sequences: sequences, items: items))
        var scores = [Float](repeating: -.infinity, count: items.count)
        #expect(model.score(history: [0, 1], into: &scores))
        #expect(scores.allSatisfy { $0.isFinite })
        #expect(model.config["lambda_mm"] == "1.0")
        // item2vec with group negatives: the metadata reaches training through the data set's item strings.
        var grouped = o
        grouped.meta.groupNegatives = GroupNegativesConfig(field: "category", k: 2)
        var item2vec = try ModelRegistry.recommender("item2vec", settings: grouped)
        try item2vec.fit(TrainingData(sequences: sequences, items: items))
        #expect(item2vec.config["group_negatives"] == "category:2")
        let keyed = metadata.keyedByIndex(of: items)
        #expect(keyed.value("category", of: "0") == metadata.value("category", of: items[0]))
        grouped.metadata = nil
        var blind = try ModelRegistry.recommender("item2vec", settings: grouped)
        #expect(throws: ConfigurationError.self) { try blind.fit(TrainingData(sequences: sequences, items: items)) }
        o.metadata = nil
        #expect(throws: ConfigurationError.self) { try ModelRegistry.recommender("meta-prod2vec", settings: o) }
        var rng = FastRandom(seed: 1)
        let sampled = Tuner(settings: EvaluationSettings(protocolName: .leaveLastOut), base: o).sample(
            "meta-prod2vec",
            rng: &rng
        )
        #expect(MetaProd2VecDefinition.configuration(sampled.options).meta != nil)
    }
}
