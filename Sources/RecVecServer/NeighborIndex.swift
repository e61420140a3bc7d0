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

/// The index the server searches for the model at `modelPath`.
///
/// HNSW: when RecVecCore has an approximate index, load `modelPath + ".hnsw"` here if it exists
/// (and wrap it in a ``NeighborIndex``); this is the single place to change. Until then every
/// query is exact.
func loadNeighborIndex(modelPath: String, neighbors: NearestNeighbors) throws -> any NeighborIndex {
    ExactIndex(neighbors: neighbors)
}
