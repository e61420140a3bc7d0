// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import RealModule

/// One minibatch of Content2vec's pairwise objective: positive pairs (items that occur together)
/// and negatives shared by the whole minibatch, as indices into the tower's units.
///
/// The loss, summed over the pairs (so that each pair's gradient has the size it would have alone,
/// the scale Adagrad's starting sum is chosen for), is
///
///     L = −Σ_(a,b) [ log σ(v_a·v_b) + w Σ_n log σ(−v_a·v_n) ]
///
/// with w = ``Content2vecCNNConfig/negativeWeight`` / (shared negatives): the negatives together
/// weigh `negativeWeight` against the positive's 1.
struct Content2vecPairBatch {
    var anchors: [Int32] = []
    var positives: [Int32] = []
    var negatives: [Int32] = []
    var negativeWeight: Float = 1

    /// Adds the loss's gradient with respect to the units' vectors to `towers.vectorGradients` and
    /// returns the loss.
    func accumulateGradients(_ towers: Content2vecTowers) -> Double {
        let d = towers.dim
        let v = towers.vectors
        let g = towers.vectorGradients
        var loss: Double = 0
        for (a, b) in zip(anchors, positives) {
            let va = v + Int(a) * d
            let vb = v + Int(b) * d
            let s = Kernels.dot(va, vb, count: d)
            loss -= Double(Self.logSigmoid(s))
            let gs = Self.sigmoid(s) - 1
            Kernels.axpy(gs, vb, g + Int(a) * d, count: d)
            Kernels.axpy(gs, va, g + Int(b) * d, count: d)
            for n in negatives {
                let vn = v + Int(n) * d
                let t = Kernels.dot(va, vn, count: d)
                loss -= Double(negativeWeight * Self.logSigmoid(-t))
                let gt = Self.sigmoid(t) * negativeWeight
                Kernels.axpy(gt, vn, g + Int(a) * d, count: d)
                Kernels.axpy(gt, va, g + Int(n) * d, count: d)
            }
        }
        return loss
    }

    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + Float.exp(-x)) }

    /// log σ(x), without overflow for large |x|.
    @inline(__always) static func logSigmoid(_ x: Float) -> Float {
        x >= 0 ? -Float.log(1 + Float.exp(-x)) : x - Float.log(1 + Float.exp(x))
    }
}

extension Trainer {
    /// Trains published Content2vec (``Content2vecCNNConfig``): prod2vec first (the engine's
    /// skip-gram with ``config``'s settings) for the CF module, then the towers on pairwise
    /// similarity. Every item vector — warm and cold — comes out of the tower, so input and output
    /// rows are the same vector (the pairs' score is v_i·v_j) and `dual` scoring reaches cold items.
    /// The content tokens follow as a ``TokenKind/word`` section: each row the tower's vector of an
    /// item whose only content is that token.
    func trainContent2vecCNN(
        _ corpus: Corpus,
        content: ItemContent,
        options: Content2vecConfig,
        cnn: Content2vecCNNConfig,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        try cnn.validate()
        let started = DispatchTime.now().uptimeNanoseconds
        let d = config.dim
        let itemCount = content.items.count
        let wordCount = content.words.count
        let warm = content.warmCount

        // CF module: starts from prod2vec's input vectors, unit length.
        var cfConfig = config
        cfConfig.model = nil
        cfConfig.content = nil
        let prod2vec = try Trainer(config: cfConfig).train(corpus, onEvent: onEvent)
        // Items, then one pseudo-item per content token (the token alone) for the word section.
        let total = itemCount + wordCount
        // Centred, then unit length: prod2vec's input vectors share one large direction, which
        // makes every pair score high at the start; the pairwise loss's quickest way down is then to
        // shrink all vectors towards 0 — the saddle where v_a·v_b = 0 and every gradient vanishes.
        Self.centre(prod2vec.input, itemCount: warm)
        var cf = [Float](repeating: 0, count: total * d)
        for i in 0..<warm {
            let row = prod2vec.input.row(i)
            let norm = Kernels.dot(row, row, count: d).squareRoot()
            if norm > 0 { for k in 0..<d { cf[i * d + k] = row[k] / norm } }
        }
        var offsets = content.sequenceOffsets
        var ids = content.sequenceIDs
        for w in 0..<wordCount {
            ids.append(Int32(w))
            offsets.append(Int32(ids.count))
        }
        let cd = content.contentDimension
        var features: [Float]? = nil
        if cd > 0 {
            var f = [Float](repeating: 0, count: total * cd)
            let stride = content.featureCount
            for i in 0..<itemCount { for k in 0..<cd { f[i * cd + k] = content.features[i * stride + k] } }
            features = f
        }
        let pd = content.pretrainedDimension
        let negatives = max(1, config.negative * 4)
        let towers = Content2vecTowers(
            config: cnn,
            dim: d,
            wordCount: wordCount,
            wordDimension: pd > 0 ? pd : cnn.wordDimension,
            pretrained: pd > 0 ? content.pretrained : nil,
            tokenOffsets: offsets,
            tokenIDs: ids,
            cfInputs: cf,
            features: features,
            featureCount: cd,
            cfDropout: Float(options.dropout),
            capacity: 2 * cnn.batch + negatives,
            seed: config.seed
        )

        // Pairwise training.
        let sampler = NegativeSampler(counts: corpus.vocabulary.counts, exponent: config.nsExponent)
        var rng = FastRandom(seed: config.seed ^ 0x9A1E_5C2D)
        var losses: [Double] = []
        var examples: [Int] = []
        var unitOf = [Int32](repeating: -1, count: total)
        var batch = Content2vecPairBatch()
        batch.negativeWeight = Float(cnn.negativeWeight) / Float(negatives)
        var units: [Int32] = []
        units.reserveCapacity(towers.capacity)
        for epoch in 1...cnn.epochs {
            let epochStart = DispatchTime.now().uptimeNanoseconds
            let pairs = Self.contextPairs(corpus.sequences, window: config.window, mode: config.windowMode, rng: &rng)
            var lossSum: Double = 0
            var start = 0
            while start < pairs.count / 2 {
                let end = min(pairs.count / 2, start + cnn.batch)
                units.removeAll(keepingCapacity: true)
                batch.anchors.removeAll(keepingCapacity: true)
                batch.positives.removeAll(keepingCapacity: true)
                batch.negatives.removeAll(keepingCapacity: true)
                func unit(_ item: Int32) -> Int32 {
                    if unitOf[Int(item)] < 0 {
                        unitOf[Int(item)] = Int32(units.count)
                        units.append(item)
                    }
                    return unitOf[Int(item)]
                }
                for p in start..<end {
                    batch.anchors.append(unit(pairs[2 * p]))
                    batch.positives.append(unit(pairs[2 * p + 1]))
                }
                for _ in 0..<negatives { batch.negatives.append(unit(sampler.sample(&rng))) }
                towers.forward(units, training: true, rng: &rng)
                lossSum += batch.accumulateGradients(towers)
                towers.backward()
                towers.step(learningRate: Float(cnn.learningRate))
                for item in units { unitOf[Int(item)] = -1 }
                start = end
            }
            let count = pairs.count / 2
            losses.append(count > 0 ? lossSum / Double(count) : 0)
            examples.append(count)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - epochStart) / 1e9
            onEvent?(
                .epochFinished(
                    EpochResult(
                        epoch: epoch,
                        epochs: cnn.epochs,
                        loss: losses.last!,
                        totalLoss: lossSum,
                        examples: count,
                        seconds: seconds,
                        tokensPerSecond: seconds > 0 ? Double(corpus.sequences.tokenCount) / seconds : 0
                    )
                )
            )
        }

        // Every item and every token through the tower, without dropout.
        let input = EmbeddingMatrix(rows: total, dim: d)
        var chunk = 0
        while chunk < total {
            let end = min(total, chunk + towers.capacity)
            towers.forward((chunk..<end).map { Int32($0) }, training: false, keepCF: true, rng: &rng)
            for (u, item) in (chunk..<end).enumerated() {
                input.row(item).update(from: towers.vectors + u * d, count: d)
            }
            chunk = end
        }
        if options.centre { Self.centre(input, itemCount: itemCount) }
        let output = EmbeddingMatrix(rows: total, dim: d)
        output.base.update(from: input.base, count: total * input.stride)

        var counts = corpus.vocabulary.counts
        counts += Array(repeating: 0, count: itemCount - warm)
        counts += content.wordCounts
        var trained = config
        trained.content = options
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return EmbeddingModel(
            vocabulary: Vocabulary(tokens: content.items + content.words, counts: counts),
            input: input,
            output: output,
            config: trained,
            summary: TrainingSummary(
                epochLosses: losses,
                epochExamples: examples,
                trainSeconds: seconds,
                corpusTokens: corpus.rawTokenCount
            ),
            sections: [
                TokenSection(kind: .item, start: 0, count: itemCount),
                TokenSection(kind: .word, start: itemCount, count: wordCount),
            ]
        )
    }

    /// One pass's positive pairs, flattened (`[a0, b0, a1, b1, …]`) and shuffled: for every
    /// occurrence of an item in a sequence, one other item of its window (`shrink`: a window drawn
    /// in 1...window; `fixed`: `window` on each side; `full`: the whole sequence).
    static func contextPairs(_ sequences: Sequences, window: Int, mode: WindowMode, rng: inout FastRandom) -> [Int32] {
        var pairs: [Int32] = []
        pairs.reserveCapacity(2 * sequences.tokenCount)
        sequences.tokens.withUnsafeBufferPointer { tokens in
            for s in 0..<sequences.count {
                let lo = sequences.offsets[s]
                let n = sequences.offsets[s + 1] - lo
                if n < 2 { continue }
                for t in 0..<n {
                    let reach: Int
                    switch mode {
                    case .shrink: reach = 1 + rng.next(below: max(1, window))
                    case .fixed: reach = max(1, window)
                    case .full: reach = n
                    }
                    let first = max(0, t - reach)
                    let last = min(n - 1, t + reach)
                    // Uniform over first...last without t.
                    var c = first + rng.next(below: last - first)
                    if c >= t { c += 1 }
                    pairs.append(tokens[lo + t])
                    pairs.append(tokens[lo + c])
                }
            }
        }
        // Fisher–Yates over the pairs.
        let count = pairs.count / 2
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = rng.next(below: i + 1)
                pairs.swapAt(2 * i, 2 * j)
                pairs.swapAt(2 * i + 1, 2 * j + 1)
            }
        }
        return pairs
    }
}
