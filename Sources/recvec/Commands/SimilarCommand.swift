// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "The nearest neighbours of one token, or of the mean of several, by cosine similarity."
    )

    @Argument(help: "A RecVec model, or word2vec vectors (text or binary).")
    var model: String

    @Argument(help: "One or more tokens.")
    var tokens: [String]

    @OptionGroup var query: QueryOptions

    @OptionGroup var search: SearchOptions

    func run() throws {
        guard !tokens.isEmpty else { throw QueryError("give at least one token") }
        try query.check()
        try search.check()
        let m = try loadModel(model)
        let neighbors = NearestNeighbors(model: m, search: search.itemSearch(model: m, path: model))
        let result = try neighbors.similar(to: tokens, top: query.top, restrict: query.restrict)
        try printNeighbors(result, query: tokens, json: query.json)
    }
}

struct NeighborsOutput: Encodable {
    var query: [String]
    var neighbors: [Neighbor]
}

func printNeighbors(_ neighbors: [Neighbor], query: [String], json: Bool) throws {
    if json {
        try printJSON(NeighborsOutput(query: query, neighbors: neighbors))
        return
    }
    for (rank, n) in neighbors.enumerated() {
        print("\(rank + 1)\t\(n.token)\t\(formatScore(n.score))")
    }
}

func formatScore(_ x: Float) -> String {
    let scaled = (Double(x) * 10_000).rounded() / 10_000
    return String(scaled)
}
