// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// How queries search: through `MODEL.hnsw` when it exists (made by `recvec index`), or exactly.
struct SearchOptions: ParsableArguments {
    @Flag(help: "Search exactly even when MODEL.hnsw exists.")
    var exact = false

    @Option(
        help: "Candidate list size of HNSW queries (default: the index's --ef-search; larger: better recall, slower)."
    )
    var ef: Int?

    func check() throws {
        if let ef, ef < 1 { throw ConfigurationError(setting: "ef", "must be at least 1") }
    }

    /// The search for `model`, read from `path`: approximate when a valid `path.hnsw` exists and
    /// `--exact` is not given; a stale or corrupt index is ignored with a one-line warning.
    func itemSearch(model: EmbeddingModel, path: String) -> ItemSearch {
        if exact { return ItemSearch(model: model) }
        return ItemSearch(model: model, modelPath: path, efSearch: ef, warn: printError)
    }
}
