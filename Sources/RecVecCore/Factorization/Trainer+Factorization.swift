// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// User and item factors learned by ALS or BPR, with the record of training.
public struct FactorizationResult: Sendable {
    /// One row per user of the matrix.
    public var users: EmbeddingMatrix
    /// One row per item of the matrix.
    public var items: EmbeddingMatrix
    /// ALS: the objective after each sweep, divided by the number of interactions; BPR: the mean
    /// −ln σ(x_uij) of each epoch.
    public var losses: [Double]
    public var seconds: Double
}

/// Fits ALS or BPR on a user-item matrix: the one place that initializes the factors and runs the
/// iterations, for `recvec train` and for the evaluation models alike.
public enum FactorizationFitter {
    /// Fits the factors by `method` with `config` (and `training`'s dim, threads, seed);
    /// `onEvent` gets one `.epochFinished` an iteration, whose `corpusTokens` rate is reported.
    public static func fit(
        _ method: FactorizationMethod,
        matrix: UserItemMatrix,
        config: FactorizationConfig,
        training: TrainingConfig,
        corpusTokens: Int = 0,
        onEvent: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> FactorizationResult {
        try config.validate(for: method, training: training)
        let k = config.resolvedFactors(training)
        let iterations = config.resolvedIterations(for: method)
        let users = EmbeddingMatrix(rows: matrix.userCount, dim: k)
        let items = EmbeddingMatrix(rows: matrix.itemCount, dim: k)
        initialize(items, scale: config.initScale, seed: training.seed)
        if method == .bpr { initialize(users, scale: config.initScale, seed: training.seed &+ 1) }
        let nnz = max(1, matrix.nonZeroCount)
        let clock = ContinuousClock()
        let start = clock.now
        var last = start
        func report(_ iteration: Int, _ loss: Double, _ total: Double, _ examples: Int) {
            let now = clock.now
            let seconds = Trainer.seconds(now - last)
            last = now
            onEvent?(
                .epochFinished(
                    EpochResult(
                        epoch: iteration,
                        epochs: iterations,
                        loss: loss,
                        totalLoss: total,
                        examples: examples,
                        seconds: seconds,
                        tokensPerSecond: seconds > 0 ? Double(corpusTokens) / seconds : 0
                    )
                )
            )
        }
        let losses: [Double]
        switch method {
        case .als:
            let als = ImplicitALS(config: config, training: training)
            losses = als.train(matrix, users: users, items: items, iterations: iterations) { iteration, objective in
                report(iteration, objective / Double(nnz), objective, matrix.nonZeroCount)
            }.map { $0 / Double(nnz) }
        case .bpr:
            let bpr = BPR(config: config, training: training)
            losses = bpr.train(matrix, users: users, items: items, epochs: iterations) { epoch, loss, triples in
                report(epoch, loss, loss * Double(triples), triples)
            }
        }
        return FactorizationResult(
            users: users,
            items: items,
            losses: losses,
            seconds: Trainer.seconds(clock.now - start)
        )
    }

    /// Uniform entries with standard deviation `scale` (half-width scale·√3).
    static func initialize(_ m: EmbeddingMatrix, scale: Double, seed: UInt64) {
        var rng = FastRandom(seed: seed ^ 0xFAC7_0A11_5EED_0001)
        let width = Float(scale * 3.0.squareRoot())
        for r in 0..<m.rows {
            let p = m.row(r)
            for c in 0..<m.dim { p[c] = (rng.nextUnitFloat() * 2 - 1) * width }
        }
    }
}

extension Trainer {
    /// Trains ALS (Hu, Koren & Volinsky 2008) or BPR (Rendle et al. 2009) on `corpus`: one user a
    /// sequence id (``Corpus/documents``), r_ui = the user's events on the item.
    ///
    /// The model holds the items first (section `.item`, input and output rows = item factors), then
    /// the users (section `.user`, tokens `user:ID`, input and output rows = user factors), so
    /// similarity queries work on items and dual scoring of the history `user:ID` is the
    /// factorization's own score x_u·y_i.
    func trainFactorization(
        _ corpus: Corpus,
        method kind: FactorizationMethod,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        let factorization = config.factorization ?? FactorizationConfig()
        let matrix = UserItemMatrix(corpus: corpus)
        let result = try FactorizationFitter.fit(
            kind,
            matrix: matrix,
            config: factorization,
            training: config,
            corpusTokens: corpus.rawTokenCount,
            onEvent: onEvent
        )

        let itemCount = corpus.vocabulary.count
        let hasIDs = corpus.sequenceDocuments.count == corpus.sequences.count && !corpus.documents.isEmpty
        let userNames = hasIDs ? corpus.documents : (0..<matrix.userCount).map { String($0 + 1) }
        let vocabulary = Vocabulary(
            tokens: corpus.vocabulary.tokens + userNames.map { "user:" + $0 },
            counts: corpus.vocabulary.counts + matrix.userTotals
        )
        let k = result.items.dim
        let vectors = EmbeddingMatrix(rows: itemCount + matrix.userCount, dim: k)
        vectors.base.update(from: result.items.base, count: itemCount * vectors.stride)
        (vectors.base + itemCount * vectors.stride).update(
            from: result.users.base,
            count: matrix.userCount * vectors.stride
        )

        var stored = config
        stored.factorization = factorization
        stored.dim = k
        stored.epochs = factorization.resolvedIterations(for: kind)
        let summary = TrainingSummary(
            epochLosses: result.losses,
            epochExamples: Array(repeating: matrix.nonZeroCount, count: result.losses.count),
            trainSeconds: result.seconds,
            corpusTokens: corpus.rawTokenCount
        )
        return EmbeddingModel(
            vocabulary: vocabulary,
            input: vectors,
            output: vectors,
            config: stored,
            summary: summary,
            sections: [
                TokenSection(kind: .item, start: 0, count: itemCount),
                TokenSection(kind: .user, start: itemCount, count: matrix.userCount),
            ]
        )
    }
}
