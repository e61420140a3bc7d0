// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// How an embedding model scores candidate items for a history.
public enum RecommendationScoring: String, Sendable, Codable, CaseIterable {
    /// Cosine between the (weighted) mean of the history's unit input vectors and each item's input
    /// vector: substitutes, "more like these".
    case cosine
    /// The mean of the history's input vectors against each item's output vector — the score the
    /// skip-gram/CBOW objective itself learns for "appears next to": complements rather than
    /// substitutes (Kvernadze et al., Overstock). Needs output vectors. For a model trained with
    /// hierarchical softmax the score is the log-probability of the item's path in the tree,
    /// Σ log σ(±q·u_node), the same objective.
    case dual
    /// The model's network (GRU4Rec) reads the history in order from a zero state and scores every
    /// item as the next one. Needs a model file with a network; the history weighting's `lastN`
    /// applies, its decay does not (the network weighs the items itself).
    case sequence

    /// The scorings of the vectors alone (what tuning searches; sequence scoring needs a network).
    public static let vectorScorings: [RecommendationScoring] = [.cosine, .dual]

    /// The scoring a model is queried with by default: its network when it has one, else cosine.
    public static func preferred(for model: EmbeddingModel) -> RecommendationScoring {
        model.network != nil ? .sequence : .cosine
    }
}

/// How a history is summarized: its last `lastN` items, each weighted by recency.
public struct HistoryWeighting: Sendable, Codable, Equatable {
    /// Use only the most recent items (0 = all). Default 0.
    public var lastN: Int = 0
    /// The item `a` steps before the most recent one weighs (1 − decay)^a. Default 0 (equal weights).
    public var decay: Double = 0

    public init(lastN: Int = 0, decay: Double = 0) {
        self.lastN = lastN
        self.decay = decay
    }

    /// Throws a ``ConfigurationError`` for values outside their ranges.
    public func validate() throws {
        if lastN < 0 { throw ConfigurationError(setting: "last_n", "must be 0 (all) or positive") }
        if !(decay >= 0 && decay < 1) { throw ConfigurationError(setting: "decay", "must be in [0, 1)") }
    }

    /// The (position in `history`, weight) pairs this weighting uses, most recent last.
    public func weights(count: Int) -> [(index: Int, weight: Float)] {
        let start = lastN > 0 ? max(0, count - lastN) : 0
        return (start..<count).map { i in (i, Float(pow(1 - decay, Double(count - 1 - i)))) }
    }
}

/// One recommended item.
public struct Recommendation: Sendable, Codable, Equatable {
    public var token: String
    public var score: Float
    /// `embedding`, `network` (sequence scoring), or `popularity` when the history gave nothing
    /// to go on.
    public var source: String
}

/// Recommends items from an embedding model: item-to-item and history-to-item, with a popularity
/// fallback for an empty or wholly unknown history.
public struct EmbeddingRecommender: Sendable {
    public let vocabulary: Vocabulary
    public let scoring: RecommendationScoring
    public private(set) var weighting: HistoryWeighting
    /// Unit input vectors (cosine) or raw input vectors (dual).
    let queries: EmbeddingMatrix
    /// What queries are scored against: unit input vectors (cosine) or output vectors (dual).
    let candidates: EmbeddingMatrix
    /// Item ids by descending count (the vocabulary's order), for the fallback.
    let popularOrder: [Int32]
    /// Candidates are token ids `0..<itemCount` (the model's items).
    public let itemCount: Int
    /// Cosine scoring through an HNSW index, when given one (dual scoring is always exact).
    let search: ItemSearch?
    /// Dual scoring of a hierarchical-softmax model: its tree (`candidates` are inner nodes).
    let tree: HuffmanTree?
    /// Sequence scoring: the network (read only; each history gets its own scratch).
    let network: GRU4RecWeights?

    /// A recommender over the items of `model`.
    ///
    /// - Parameters:
    ///   - model: the trained model; dual scoring needs its output vectors.
    ///   - scoring: cosine between unit input vectors, input · output (dual), or the model's
    ///     network over the history (sequence; a raw query vector is then scored by dot product
    ///     with the item vectors).
    ///   - weighting: how the events of a history are weighted (all equal by default).
    ///   - search: for cosine scoring, a search over the same model; an approximate one
    ///     (with an HNSW index) answers without scoring every item. Ignored by dual scoring.
    public init(
        model: EmbeddingModel,
        scoring: RecommendationScoring = .cosine,
        weighting: HistoryWeighting = .init(),
        search: ItemSearch? = nil
    ) throws {
        vocabulary = model.vocabulary
        self.scoring = scoring
        self.weighting = weighting
        self.search = scoring == .cosine ? search : nil
        switch scoring {
        case .cosine:
            let unit = search?.unitVectors ?? model.input.normalizedRows()
            queries = unit
            candidates = unit
        case .dual:
            guard let output = model.output else {
                throw ConfigurationError(
                    setting: "scoring",
                    "dual scoring needs output vectors, which this model lacks (imported vectors)"
                )
            }
            queries = model.input
            candidates = output
        case .sequence:
            guard let network = model.network, network.itemCount == model.itemCount else {
                throw ConfigurationError(
                    setting: "scoring",
                    "sequence scoring needs a model with a network (gru4rec), which this model lacks"
                )
            }
            queries = model.input
            candidates = model.input
        }
        network = scoring == .sequence ? model.network : nil
        tree = scoring == .dual ? model.hierarchicalTree() : nil
        itemCount = model.itemCount
        let counts = model.vocabulary.counts
        popularOrder = (0..<Int32(model.itemCount)).sorted {
            counts[Int($0)] != counts[Int($1)] ? counts[Int($0)] > counts[Int($1)] : $0 < $1
        }
    }

    /// The same recommender with another history weighting (the vectors are shared, not copied).
    public func with(weighting: HistoryWeighting) -> EmbeddingRecommender {
        var copy = self
        copy.weighting = weighting
        return copy
    }

    /// Scores of every item for `history` (model ids, oldest first; any token kind, e.g. a user or
    /// document vector) into `scores` (`itemCount` long); `false` when no history token is usable
    /// (the caller falls back to popularity).
    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        if network != nil { return sequenceScores(history: history, into: &scores) }
        guard let q = queryVector(history: history) else { return false }
        scoreQuery(q.row(0), into: &scores)
        return true
    }

    /// Sequence scoring: the network's scores after the history's known items (of its last
    /// `lastN` when set); `false` when none is known.
    private func sequenceScores(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let network else { return false }
        let recent = weighting.lastN > 0 ? history.suffix(weighting.lastN) : history[...]
        let items = recent.filter { $0 >= 0 && Int($0) < itemCount }
        if items.isEmpty { return false }
        if scores.count != itemCount { scores = [Float](repeating: 0, count: itemCount) }
        scores.withUnsafeMutableBufferPointer { network.scores(after: items, into: $0.baseAddress!) }
        return true
    }

    /// The query vector of `history`: the weighted sum of its (unit, for cosine) input vectors —
    /// the mean for dual scoring; cosine scoring normalizes it later —; `nil` when no token is usable.
    func queryVector(history: [Int32]) -> EmbeddingMatrix? {
        let usable = weighting.weights(count: history.count).filter { history[$0.index] >= 0 }
        if usable.isEmpty { return nil }
        let q = EmbeddingMatrix(rows: 1, dim: queries.dim)
        let d = q.stride
        for (i, w) in usable { Kernels.axpy(w, queries.row(Int(history[i])), q.row(0), count: d) }
        if scoring == .dual {
            let total = usable.reduce(Float(0)) { $0 + $1.weight }
            Kernels.scale(q.row(0), by: 1 / total, count: d)
        }
        return q
    }

    /// Scales `query` to unit length (a zero vector stays zero).
    private func normalize(_ query: UnsafeMutablePointer<Float>) {
        let d = candidates.stride
        let norm = Kernels.dot(query, query, count: d).squareRoot()
        if norm > 0 { Kernels.scale(query, by: 1 / norm, count: d) }
    }

    /// Scores of every item for a raw query `vector` in the model's input space (e.g. a document
    /// vector inferred by ``ParagraphVectorInference``): cosine with the item vectors, or dot
    /// product with the output vectors (dual).
    public func score(vector: [Float], into scores: inout [Float]) {
        precondition(vector.count == queries.dim, "the vector must have the model's dimension")
        let q = EmbeddingMatrix(rows: 1, dim: queries.dim)
        q.setVector(0, vector)
        scoreQuery(q.row(0), into: &scores)
    }

    /// Normalizes `query` for cosine scoring, then scores every item against it.
    private func scoreQuery(_ query: UnsafeMutablePointer<Float>, into scores: inout [Float]) {
        let d = candidates.stride
        if scoring == .cosine { normalize(query) }
        if scores.count != itemCount { scores = [Float](repeating: 0, count: itemCount) }
        if let tree {
            scoreTree(query, tree, into: &scores)
            return
        }
        scores.withUnsafeMutableBufferPointer { s in
            for r in 0..<itemCount { s[r] = Kernels.dot(query, candidates.row(r), count: d) }
        }
    }

    /// Hierarchical softmax: log p(item | query) = Σ over the item's path of log σ(±query·u_node),
    /// from one dot product per inner node.
    private func scoreTree(_ query: UnsafeMutablePointer<Float>, _ tree: HuffmanTree, into scores: inout [Float]) {
        let d = candidates.stride
        let sigmoid = SigmoidTable.shared
        var node = [Float](repeating: 0, count: tree.innerCount)
        for n in 0..<tree.innerCount { node[n] = Kernels.dot(query, candidates.row(n), count: d) }
        for r in 0..<itemCount {
            var s: Float = 0
            for k in Int(tree.offsets[r])..<Int(tree.offsets[r + 1]) {
                let f = node[Int(tree.points[k])]
                s += sigmoid.logSigmoid(tree.codes[k] == 0 ? f : -f)
            }
            scores[r] = s
        }
    }

    /// The `top` items for `history` (model ids, oldest first) through the HNSW index, best first,
    /// skipping `excluded` ids; `[]` when no history token is usable; `nil` when this recommender has
    /// no approximate search (it scores every item: use ``score(history:into:)``).
    public func approximateNearest(history: [Int32], top: Int, excluding excluded: Set<Int32>) -> [ScoredID]? {
        guard let search, search.isApproximate, network == nil else { return nil }
        guard let q = queryVector(history: history) else { return [] }
        normalize(q.row(0))
        return search.nearest(to: q.row(0), k: top, excluding: excluded)
    }

    /// The `top` items for a raw query vector (see ``score(vector:into:)``), skipping `excluded` ids.
    public func recommend(vector: [Float], top: Int, excluding excluded: Set<Int32> = []) -> [Recommendation] {
        let q = EmbeddingMatrix(rows: 1, dim: queries.dim)
        q.setVector(0, vector)
        return best(forQuery: q.row(0), top: top, excluding: excluded)
    }

    /// The `top` items for a history of tokens (unknown tokens are ignored; an empty or wholly
    /// unknown history gives the most popular items).
    public func recommend(history: [String], top: Int, excludeHistory: Bool = false) -> [Recommendation] {
        let ids = history.map { vocabulary.id(of: $0) ?? -1 }
        let excluded = excludeHistory ? Set(ids.filter { $0 >= 0 }) : []
        if network != nil {
            var scores: [Float] = []
            if sequenceScores(history: ids, into: &scores) {
                return best(of: scores, top: top, excluding: excluded, source: "network")
            }
        } else if let q = queryVector(history: ids) {
            return best(forQuery: q.row(0), top: top, excluding: excluded)
        }
        return popularOrder.lazy.filter { !excluded.contains($0) }.prefix(top).map {
            Recommendation(
                token: vocabulary.tokens[Int($0)],
                score: Float(vocabulary.counts[Int($0)]),
                source: "popularity"
            )
        }
    }

    /// The `top` items for a query vector (normalized here for cosine scoring): through the HNSW
    /// index when there is one, else by scoring every item.
    private func best(
        forQuery query: UnsafeMutablePointer<Float>,
        top: Int,
        excluding excluded: Set<Int32>
    )
        -> [Recommendation]
    {
        if let search, search.isApproximate {
            normalize(query)
            return search.nearest(to: query, k: top, excluding: excluded).map {
                Recommendation(token: vocabulary.tokens[Int($0.id)], score: $0.score, source: "embedding")
            }
        }
        var scores: [Float] = []
        scoreQuery(query, into: &scores)
        return best(of: scores, top: top, excluding: excluded, source: "embedding")
    }

    /// The `top` items by `scores`, skipping `excluded` ids.
    private func best(
        of scores: [Float],
        top: Int,
        excluding excluded: Set<Int32>,
        source: String
    )
        -> [Recommendation]
    {
        var best = TopK(k: top)
        for (i, s) in scores.enumerated() where !excluded.contains(Int32(i)) { best.offer(s, Int32(i)) }
        return best.sorted().map {
            Recommendation(token: vocabulary.tokens[Int($0.id)], score: $0.score, source: source)
        }
    }
}
