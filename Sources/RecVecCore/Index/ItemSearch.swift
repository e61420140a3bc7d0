// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Cosine nearest items of a model: through its HNSW index when one is loaded, exactly otherwise.
///
/// The one type a server or a command needs for "the k items nearest to this vector". It holds
/// the unit-length input vectors of every token (any token can make a query) and answers with
/// items only (token ids `0..<itemCount`). Immutable and `Sendable`: one value serves any number
/// of concurrent queries.
///
///     let model = try ModelFile.read(from: path)
///     let search = ItemSearch(model: model, modelPath: path) { print($0) }  // loads path.hnsw if valid
///     let best = search.nearest(to: search.unitVector(of: 42), k: 10, excluding: [42])
public struct ItemSearch: Sendable {
    /// Unit-length input vectors of all tokens.
    public let unitVectors: EmbeddingMatrix
    /// Answers are token ids `0..<itemCount`.
    public let itemCount: Int
    /// The approximate index; `nil`: exact search.
    public let index: HNSWIndex?
    /// Candidate list size of approximate queries (default: the index's ``HNSWParameters/efSearch``).
    public var efSearch: Int?

    /// A search over `unitVectors` (e.g. `model.input.normalizedRows()`), approximate when an
    /// `index` built over the same vectors is given.
    public init(unitVectors: EmbeddingMatrix, itemCount: Int, index: HNSWIndex? = nil, efSearch: Int? = nil) {
        precondition(itemCount <= unitVectors.rows)
        precondition(
            index == nil || (index!.vectors === unitVectors && index!.count == itemCount),
            "an index searches the vectors it was built or read with"
        )
        self.unitVectors = unitVectors
        self.itemCount = itemCount
        self.index = index
        self.efSearch = efSearch
    }

    /// An exact search over `model`'s items.
    public init(model: EmbeddingModel) {
        self.init(unitVectors: model.input.normalizedRows(), itemCount: model.itemCount)
    }

    /// A search over `model` (read from `modelPath`) that uses the index `modelPath.hnsw` when
    /// it exists and matches the model; a stale or corrupt index is ignored after one line to
    /// `warn`, and the search is exact.
    public init(model: EmbeddingModel, modelPath: String, efSearch: Int? = nil, warn: (String) -> Void) {
        let unit = model.input.normalizedRows()
        let index = IndexFile.loadIfPresent(modelPath: modelPath, model: model, vectors: unit, warn: warn)
        self.init(unitVectors: unit, itemCount: model.itemCount, index: index, efSearch: efSearch)
    }

    /// Whether queries go through the HNSW index.
    public var isApproximate: Bool { index != nil }

    /// The unit vector of token `id` (any token kind), `dim` floats.
    public func unitVector(of id: Int32) -> [Float] { unitVectors.vector(Int(id)) }

    /// The `k` items most similar to `unitQuery` (`dim` floats, unit length), best first, leaving
    /// out the ids in `excluded` (e.g. the query's own items).
    public func nearest(to unitQuery: [Float], k: Int, excluding excluded: Set<Int32> = []) -> [ScoredID] {
        precondition(unitQuery.count == unitVectors.dim, "a query has one float per dimension")
        let padded = EmbeddingMatrix(rows: 1, dim: unitVectors.dim)
        padded.setVector(0, unitQuery)
        return nearest(to: padded.row(0), k: k, excluding: excluded)
    }

    /// ``nearest(to:k:excluding:)-([Float],_,_)`` for a query of ``EmbeddingMatrix/stride``
    /// floats whose padding is zero (a row of an ``EmbeddingMatrix`` of the same dimension).
    public func nearest(to unitQuery: UnsafePointer<Float>, k: Int, excluding excluded: Set<Int32> = []) -> [ScoredID] {
        guard k > 0, itemCount > 0 else { return [] }
        if let index { return index.search(unitQuery, k: k, ef: efSearch, excluding: excluded) }
        return Self.exactNearest(
            unitVectors,
            rows: itemCount,
            to: unitQuery,
            k: k,
            excluding: excluded
        )
    }

    /// Exact top-k by dot product over rows `0..<rows` (one thread, no allocation but the answer).
    public static func exactNearest(
        _ vectors: EmbeddingMatrix,
        rows: Int,
        to query: UnsafePointer<Float>,
        k: Int,
        excluding excluded: Set<Int32>
    ) -> [ScoredID] {
        var best = TopK(k: min(rows, k + excluded.count))
        let d = vectors.stride
        for r in 0..<rows { best.offer(Kernels.dot(query, vectors.row(r), count: d), Int32(r)) }
        return Array(best.sorted().lazy.filter { !excluded.contains($0.id) }.prefix(k))
    }
}
