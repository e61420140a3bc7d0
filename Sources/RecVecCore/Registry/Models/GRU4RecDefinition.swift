// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// GRU4Rec (Hidasi et al. 2016; Hidasi & Karatzoglou 2018): a recurrent network over the session's
/// items, trained with session-parallel minibatches and sampled negatives. Its model file holds the
/// output item vectors as the item vectors and the network in its own section, which `recommend`
/// and `serve` run over a history.
public enum GRU4RecDefinition: TrainableModelDefinition {
    public static let name: ModelName = "gru4rec"
    public static let aliases: [String] = []
    public static let summary =
        "GRU over the session's items, trained with cross-entropy or BPR-max on sampled negatives"
    public static let reference = "Hidasi et al. 2016; Hidasi & Karatzoglou 2018"
    public static let family = ModelFamily.sequence
    /// Times, when the input has them, order the sessions of the minibatches (by their first event, as
    /// the official implementation does); without them, the file's order.
    public static let needs: ModelNeeds = [.timestamps]
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> GRU4RecModel {
        GRU4RecModel(
            gru: s.gru4rec,
            dim: s.training.dim,
            epochs: s.training.epochs,
            minCount: s.minCount,
            seed: s.training.seed,
            threads: s.training.resolvedThreads
        )
    }

    /// The shared settings with the GRU4Rec configuration, its layers given (one of `dim` units when
    /// none are), and the dimension the last layer's size (that of the item vectors).
    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        var t = s.engine(model: name, architecture: s.training.architecture)
        var g = s.gru4rec
        if g.layers.isEmpty { g.layers = [t.dim] }
        t.gru4rec = g
        t.dim = g.layers[g.layers.count - 1]
        return t
    }

    public static func validate(_ config: TrainingConfig) throws {
        try config.validate()
        try (config.gru4rec ?? GRU4RecConfig()).validate()
    }

    /// Trains the network on the corpus's sequences (in time order of their first events when the
    /// input has times; sequences of one item are skipped) over the corpus's vocabulary.
    public static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        var config = trainer.config
        try validate(config)
        var gru = config.gru4rec ?? GRU4RecConfig()
        if gru.layers.isEmpty { gru.layers = [config.dim] }
        let items = corpus.vocabulary.count
        var counts = [Int](repeating: 0, count: items)
        var sessions: [(first: Double, index: Int, items: [Int32])] = []
        let sequences = corpus.sequences
        for s in 0..<sequences.count {
            let range = sequences.offsets[s]..<sequences.offsets[s + 1]
            let session = Array(sequences.tokens[range])
            for i in session { counts[Int(i)] += 1 }
            if session.count >= 2 { sessions.append((corpus.times?[range.lowerBound] ?? 0, s, session)) }
        }
        let ordered = GRU4RecModel.trainingOrder(sessions)
        if ordered.isEmpty {
            throw ConfigurationError(setting: "input", "gru4rec needs sequences of at least two items to train on")
        }
        let epochs = config.epochs
        var losses: [Double] = []
        var examples: [Int] = []
        var seconds = 0.0
        let events = ordered.reduce(0) { $0 + $1.count - 1 }
        let network = try GRU4RecModel.trainNetwork(
            ordered,
            items: items,
            counts: counts,
            gru: gru,
            epochs: epochs,
            seed: config.seed,
            threads: config.resolvedThreads
        ) { epoch, loss, s in
            losses.append(loss)
            examples.append(events)
            seconds += s
            onEvent?(
                .epochFinished(
                    EpochResult(
                        epoch: epoch,
                        epochs: epochs,
                        loss: loss,
                        totalLoss: loss * Double(events),
                        examples: events,
                        seconds: s,
                        tokensPerSecond: s > 0 ? Double(corpus.rawTokenCount) / s : 0
                    )
                )
            )
        }
        let dim = gru.layers[gru.layers.count - 1]
        let vectors = EmbeddingMatrix(rows: items, dim: dim)
        network.output.withUnsafeBufferPointer { o in
            for r in 0..<items { vectors.row(r).update(from: o.baseAddress! + r * dim, count: dim) }
        }
        config.gru4rec = gru
        config.dim = dim
        return EmbeddingModel(
            vocabulary: corpus.vocabulary,
            input: vectors,
            output: nil,
            config: config,
            summary: TrainingSummary(
                epochLosses: losses,
                epochExamples: examples,
                trainSeconds: seconds,
                corpusTokens: corpus.rawTokenCount
            ),
            network: network
        )
    }

    /// The layers, loss, minibatch, samples, learning rate, epochs and seed.
    public static func describe(_ c: TrainingConfig) -> String {
        let g = c.gru4rec ?? GRU4RecConfig()
        let input =
            g.constrainedEmbedding ? "shared item vectors" : g.embedding > 0 ? "embedding \(g.embedding)" : "one-hot"
        return "model \(name), layers \(g.layers.map(String.init).joined(separator: "/")), loss \(g.loss.rawValue), "
            + "input \(input), batch \(g.batchSize), samples \(g.nSample), learning rate \(g.learningRate), "
            + "momentum \(g.momentum), epochs \(c.epochs), seed \(c.seed)"
    }

    /// The official implementation's parameter spaces (`paramspaces/gru4rec_{xe,bprmax}_standard_parspace.json`):
    /// the loss, one layer of 64–512 units (step 32), batch 32–256 (step 16), learning rate
    /// 0.01–0.25 (step 0.005), embedding dropout 0–0.5 and hidden dropout 0–0.7 (steps 0.05),
    /// momentum 0–0.9 (step 0.05), sample alpha 0–1 (step 0.1); for BPR-max also bpreg 0–2
    /// (step 0.05) and ELU α in {0.5, 1, 0}. Constrained embedding, 2048 samples and the epochs
    /// stay as given.
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        func grid(_ lo: Double, _ hi: Double, _ step: Double) -> Double {
            let n = Int(((hi - lo) / step).rounded())
            return lo + Double(rng.next(below: n + 1)) * step
        }
        var g = base.gru4rec
        g.loss = rng.next(below: 2) == 0 ? .crossEntropy : .bprMax
        g.layers = [Int(grid(64, 512, 32))]
        g.batchSize = Int(grid(32, 256, 16))
        g.learningRate = grid(0.01, 0.25, 0.005)
        g.dropoutEmbedding = grid(0, 0.5, 0.05)
        g.dropoutHidden = grid(0, 0.7, 0.05)
        g.momentum = grid(0, 0.9, 0.05)
        g.sampleAlpha = grid(0, 1, 0.1)
        if g.loss == .bprMax {
            g.bpreg = grid(0, 2, 0.05)
            g.eluParam = [0.5, 1, 0][rng.next(below: 3)]
        }
        o.gru4rec = g
        return o
    }
}
