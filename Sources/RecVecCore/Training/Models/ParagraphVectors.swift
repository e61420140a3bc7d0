// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Hyperparameters of paragraph vectors (Le & Mikolov 2014) and user-prod2vec (Grbovic et al. 2015).
public struct ParagraphVectorConfig: Sendable, Codable, Equatable {
    /// PV-DBOW: also train the item (token) vectors by skip-gram in the same pass, so items have
    /// vectors of their own in the documents' space. Default `true`.
    public var trainTokens = true
    /// Passes over a new document when inferring its vector. Default 20.
    public var inferEpochs = 20
    /// Starting learning rate of inference (decays linearly to `minAlpha`); `nil`: the training's.
    public var inferAlpha: Double? = nil

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first nonsensical option.
    public func validate() throws {
        if inferEpochs < 1 || inferEpochs > 10_000 {
            throw ConfigurationError(setting: "infer_epochs", "must be between 1 and 10000 (got \(inferEpochs))")
        }
        if let inferAlpha, !(inferAlpha > 0 && inferAlpha <= 10) {
            throw ConfigurationError(setting: "infer_alpha", "must be positive and at most 10 (got \(inferAlpha))")
        }
    }
}

extension Trainer {
    /// Paragraph vectors over `corpus`: one vector per document (``Corpus/documents``: the user or
    /// session of an event log, the line — or its first token — of a sequences file) beside the
    /// item vectors. PV-DBOW, PV-DM, or user-prod2vec (PV-DM over users, tokens `user:ID`).
    /// `distributedMemory`: PV-DM (the document vector joins the context) rather than PV-DBOW;
    /// `section`: whether the sequence vectors are documents (`doc:ID`) or users (`user:ID`).
    func trainParagraphVectors(
        _ corpus: Corpus,
        distributedMemory: Bool,
        section: TokenKind,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        var config = self.config
        let paragraph = config.paragraph ?? ParagraphVectorConfig()
        try paragraph.validate()
        config.paragraph = paragraph
        guard !corpus.documents.isEmpty, corpus.sequenceDocuments.count == corpus.sequences.count else {
            throw ConfigurationError(
                setting: "model",
                "\(config.model ?? "paragraph vectors") needs sequence ids; this corpus has none"
            )
        }
        let items = corpus.vocabulary.count
        let documents = corpus.documents.count
        let prefix = section == .user ? "user:" : "doc:"
        var documentCounts = [Int64](repeating: 0, count: documents)
        for s in 0..<corpus.sequences.count {
            documentCounts[Int(corpus.sequenceDocuments[s])] += Int64(
                corpus.sequences.offsets[s + 1] - corpus.sequences.offsets[s]
            )
        }
        let vocabulary = Vocabulary(
            tokens: corpus.vocabulary.tokens + corpus.documents.map { prefix + $0 },
            counts: corpus.vocabulary.counts + documentCounts
        )
        let input = EmbeddingMatrix(rows: items + documents, dim: config.dim)
        let output = EmbeddingMatrix(rows: items + documents, dim: config.dim)
        Self.initialize(input, seed: config.seed)
        let trainer = Trainer(config: config)
        let summary: TrainingSummary
        if distributedMemory {
            summary = try trainer.run(
                sequences: corpus.sequences,
                counts: corpus.vocabulary.counts,
                input: input,
                output: output,
                corpusTokens: corpus.rawTokenCount,
                source: PVDMSource(
                    documentBase: items,
                    sequenceDocuments: corpus.sequenceDocuments,
                    window: config.window,
                    mode: config.windowMode
                ),
                onEvent: onEvent
            )
        } else {
            summary = try trainer.run(
                sequences: corpus.sequences,
                counts: corpus.vocabulary.counts,
                input: input,
                output: output,
                corpusTokens: corpus.rawTokenCount,
                source: PVDBOWSource(
                    documentBase: items,
                    sequenceDocuments: corpus.sequenceDocuments,
                    window: config.window,
                    mode: config.windowMode,
                    trainTokens: paragraph.trainTokens
                ),
                onEvent: onEvent
            )
        }
        return EmbeddingModel(
            vocabulary: vocabulary,
            input: input,
            output: output,
            config: config,
            summary: summary,
            sections: [
                TokenSection(kind: .item, start: 0, count: items),
                TokenSection(kind: section, start: items, count: documents),
            ]
        )
    }
}

/// Vectors for documents a paragraph-vector model has not seen (Le & Mikolov 2014's inference):
/// a fresh vector is trained on the document's tokens with the model's matrices frozen.
public struct ParagraphVectorInference: Sendable {
    public let model: EmbeddingModel
    let sampler: NegativeSampler
    /// Hierarchical softmax: the training tree, rebuilt from the item counts stored in the model.
    let tree: HuffmanTree?
    let isDM: Bool

    /// Needs a model with output vectors (any model trained by RecVec).
    public init(model: EmbeddingModel) throws {
        guard model.output != nil else {
            throw ConfigurationError(
                setting: "MODEL",
                "inference needs output vectors, which this model lacks (imported vectors)"
            )
        }
        self.model = model
        sampler = NegativeSampler(
            counts: Array(model.vocabulary.counts[0..<model.itemCount]),
            exponent: model.config.nsExponent
        )
        // Training's tree was built from these same counts (the item section), deterministically.
        tree = model.hierarchicalTree()
        let definition = try? ModelRegistry.definition(for: model.config)
        isDM = (definition as? any ParagraphVectorDefinition.Type)?.distributedMemory ?? false
    }

    /// The vector of a new document made of the item ids `tokens` (unknown ones, −1, are skipped).
    /// `epochs` and `alpha` default to the model's inference settings; the same seed gives the same vector.
    public func infer(_ tokens: [Int32], epochs: Int? = nil, alpha: Double? = nil, seed: UInt64 = 1) -> [Float] {
        let ids = tokens.filter { $0 >= 0 && Int($0) < model.itemCount }
        let c = model.config
        let paragraph = c.paragraph ?? ParagraphVectorConfig()
        let epochs = epochs ?? paragraph.inferEpochs
        let start = Float(alpha ?? paragraph.inferAlpha ?? c.startAlpha)
        let end = Float(min(c.minAlpha, Double(start)))
        let vector = EmbeddingMatrix(rows: 1, dim: model.dim)
        var rng = FastRandom(seed: seed ^ 0x1AFE_2E4C)
        for i in 0..<model.dim { vector.row(0)[i] = (rng.nextUnitFloat() - 0.5) / Float(model.dim) }
        if ids.isEmpty { return vector.vector(0) }
        var kernel = TrainingKernel(
            input: model.input,
            output: model.output!,
            negative: c.negative,
            sampler: sampler,
            contextCapacity: ids.count + 1,
            seed: seed,
            alpha: start,
            loss: c.resolvedLoss,
            tree: tree,
            classes: model.itemCount
        )
        defer { kernel.deallocate() }
        let window = ContextWindow(window: c.window, mode: c.windowMode)
        let total = Float(max(1, epochs * ids.count))
        var step = 0
        SequenceSlice.with(ids) { slice in
            for _ in 0..<epochs {
                for i in 0..<ids.count {
                    kernel.alpha = start - (start - end) * Float(step) / total
                    step += 1
                    let n = isDM && ids.count > 1 ? window.collect(slice, at: i, kernel: &kernel) : 0
                    kernel.inferStep(vector: vector.row(0), center: ids[i], contexts: kernel.contexts, count: n)
                }
            }
        }
        return vector.vector(0)
    }

    /// What a new document predicts its next item with: its inferred vector (PV-DBOW), or the mean
    /// of that vector and the input vectors of its last `window` items (PV-DM, user-prod2vec: the
    /// hidden vector the objective scores against the output vectors).
    public func queryVector(_ tokens: [Int32], epochs: Int? = nil, alpha: Double? = nil, seed: UInt64 = 1) -> [Float] {
        queryVector(tokens, inferred: infer(tokens, epochs: epochs, alpha: alpha, seed: seed))
    }

    /// The query vector of a document made of `tokens` whose vector `inferred` is already known.
    public func queryVector(_ tokens: [Int32], inferred: [Float]) -> [Float] {
        var v = inferred
        guard isDM else { return v }
        let recent = tokens.filter { $0 >= 0 && Int($0) < model.itemCount }.suffix(model.config.window)
        for id in recent {
            let row = model.input.row(Int(id))
            for i in 0..<v.count { v[i] += row[i] }
        }
        let n = Float(recent.count + 1)
        return v.map { $0 / n }
    }

    /// The vector of a new document of item strings (unknown ones are skipped).
    public func infer(tokens: [String], epochs: Int? = nil, alpha: Double? = nil, seed: UInt64 = 1) -> [Float] {
        infer(tokens.map { model.vocabulary.id(of: $0) ?? -1 }, epochs: epochs, alpha: alpha, seed: seed)
    }
}
