// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RecVecCore

/// What the similarity endpoints search with: the `k` items nearest to a unit query vector.
protocol NeighborIndex: Sendable {
    /// A short name for /v1/info ("exact", "hnsw").
    var kind: String { get }
    /// The `k` items with the highest cosine to `query` (a unit vector), skipping `excluded`.
    func nearest(to query: EmbeddingMatrix, k: Int, excluding excluded: Set<Int32>) -> [Neighbor]
}

/// Exact search: every item is scored (``NearestNeighbors`` / ``BlockedSearch``).
struct ExactIndex: NeighborIndex {
    let neighbors: NearestNeighbors
    var kind: String { "exact" }

    func nearest(to query: EmbeddingMatrix, k: Int, excluding excluded: Set<Int32>) -> [Neighbor] {
        neighbors.nearest(to: query, top: k, excluding: excluded)
    }
}

/// Approximate search through the model's HNSW index (``ItemSearch`` over ``HNSWIndex``).
struct HNSWNeighborIndex: NeighborIndex {
    let search: ItemSearch
    let vocabulary: Vocabulary
    var kind: String { "hnsw" }

    func nearest(to query: EmbeddingMatrix, k: Int, excluding excluded: Set<Int32>) -> [Neighbor] {
        search.nearest(to: query.row(0), k: k, excluding: excluded).map {
            Neighbor(token: vocabulary.tokens[Int($0.id)], id: $0.id, score: $0.score)
        }
    }
}

/// The index the server searches for `model`, read from `modelPath`: its HNSW index
/// `modelPath.hnsw` when one exists and matches the model (built by `recvec index`), else exact
/// search. A stale or corrupt index is reported to `warn` and ignored. The returned search shares
/// `neighbors`' unit vectors (the cosine recommender uses them too: normalized once per model).
func loadNeighborIndex(
    model: EmbeddingModel,
    modelPath: String,
    neighbors: NearestNeighbors,
    warn: (String) -> Void
) -> (index: any NeighborIndex, search: ItemSearch) {
    let hnsw = IndexFile.loadIfPresent(modelPath: modelPath, model: model, vectors: neighbors.unitVectors, warn: warn)
    let search = ItemSearch(unitVectors: neighbors.unitVectors, itemCount: model.itemCount, index: hnsw)
    guard hnsw != nil else { return (ExactIndex(neighbors: neighbors), search) }
    return (HNSWNeighborIndex(search: search, vocabulary: model.vocabulary), search)
}
