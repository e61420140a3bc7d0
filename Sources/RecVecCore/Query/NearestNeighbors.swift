// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One answer of a similarity query.
public struct Neighbor: Sendable, Codable, Equatable {
    public var token: String
    public var id: Int32
    /// Cosine similarity to the query.
    public var score: Float

    public init(token: String, id: Int32, score: Float) {
        self.token = token
        self.id = id
        self.score = score
    }
}

/// Cosine nearest neighbours over a model's input vectors (normalized once, on creation): exact,
/// or through an HNSW index when its ``search`` has one.
///
/// Any token can be a query (an item, a document, a metadata value); answers are items only.
public struct NearestNeighbors: Sendable {
    public let vocabulary: Vocabulary
    /// Unit-length input vectors.
    public let unitVectors: EmbeddingMatrix
    /// Answers come from token ids `0..<itemCount`.
    public let itemCount: Int
    /// How answers are found: approximately when it holds an index (queries that `restrict`
    /// answers to the most frequent tokens are always exact).
    public let search: ItemSearch

    /// Exact search.
    public init(model: EmbeddingModel) {
        self.init(model: model, search: ItemSearch(model: model))
    }

    /// Search through `search`, made from the same model.
    public init(model: EmbeddingModel, search: ItemSearch) {
        precondition(search.itemCount == model.itemCount && search.unitVectors.rows == model.vocabulary.count)
        vocabulary = model.vocabulary
        unitVectors = search.unitVectors
        itemCount = model.itemCount
        self.search = search
    }

    /// The unit-length mean of the unit vectors of `ids`, each with its weight.
    public func queryVector(_ ids: [Int32], weights: [Float]? = nil) -> EmbeddingMatrix {
        let q = EmbeddingMatrix(rows: 1, dim: unitVectors.dim)
        for (i, id) in ids.enumerated() {
            Kernels.axpy(weights?[i] ?? 1, unitVectors.row(Int(id)), q.row(0), count: q.stride)
        }
        let norm = Kernels.dot(q.row(0), q.row(0), count: q.stride).squareRoot()
        if norm > 0 { Kernels.scale(q.row(0), by: 1 / norm, count: q.stride) }
        return q
    }

    /// The `top` tokens most similar to `query` (a unit vector), skipping `excluded` ids and
    /// considering only the first `restrict` tokens when given.
    public func nearest(
        to query: EmbeddingMatrix,
        top: Int,
        excluding excluded: Set<Int32> = [],
        restrict: Int? = nil
    )
        -> [Neighbor]
    {
        let rows = min(restrict ?? itemCount, itemCount)
        if search.isApproximate && rows == itemCount {
            return search.nearest(to: query.row(0), k: top, excluding: excluded).map {
                Neighbor(token: vocabulary.tokens[Int($0.id)], id: $0.id, score: $0.score)
            }
        }
        let found = BlockedSearch.topK(
            matrix: unitVectors,
            rows: rows,
            queries: query,
            k: min(rows, top + excluded.count),
            threads: 1
        )[0]
        return found.lazy.filter { !excluded.contains($0.id) }.prefix(top).map {
            Neighbor(token: vocabulary.tokens[Int($0.id)], id: $0.id, score: $0.score)
        }
    }

    /// The `top` tokens most similar to `tokens` (to the mean of their unit vectors), excluding them.
    public func similar(to tokens: [String], top: Int = 10, restrict: Int? = nil) throws -> [Neighbor] {
        guard !tokens.isEmpty else { throw QueryError("no token given") }
        guard top >= 1 else { throw QueryError("top: must be at least 1") }
        let ids = try tokens.map { try vocabulary.requireID(of: $0) }
        return nearest(to: queryVector(ids), top: top, excluding: Set(ids), restrict: restrict)
    }

    /// "`a` is to `b` as `c` is to ?" by 3CosAdd (Mikolov et al. 2013c): the tokens nearest to
    /// b − a + c in cosine, excluding a, b and c (king − man + woman ≈ queen).
    public func analogy(_ a: String, _ b: String, _ c: String, top: Int = 10, restrict: Int? = nil) throws -> [Neighbor]
    {
        guard top >= 1 else { throw QueryError("top: must be at least 1") }
        let ids = try [a, b, c].map { try vocabulary.requireID(of: $0) }
        return nearest(
            to: queryVector([ids[1], ids[2], ids[0]], weights: [1, 1, -1]),
            top: top,
            excluding: Set(ids),
            restrict: restrict
        )
    }
}
