// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy",
        abstract: "A is to B as C is to ? (3CosAdd: the tokens nearest to B - A + C, excluding A, B and C)."
    )

    @Argument(help: "A RecVec model, or word2vec vectors.")
    var model: String

    @Argument(help: "A (e.g. man).") var a: String
    @Argument(help: "B (e.g. king).") var b: String
    @Argument(help: "C (e.g. woman).") var c: String

    @OptionGroup var query: QueryOptions

    func run() throws {
        try query.check()
        let neighbors = NearestNeighbors(model: try loadModel(model))
        let result = try neighbors.analogy(a, b, c, top: query.top, restrict: query.restrict)
        try printNeighbors(result, query: [a, b, c], json: query.json)
    }
}
