// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy",
        abstract: "A is to B as C is to ? (3CosAdd: the tokens nearest to B - A + C, excluding A, B and C).")

    @Argument(help: "A RecVec model, or word2vec vectors.")
    var model: String

    @Argument(help: "A (e.g. man).") var a: String
    @Argument(help: "B (e.g. king).") var b: String
    @Argument(help: "C (e.g. woman).") var c: String

    @Option(help: "How many answers.")
    var top: Int = 10

    @Option(help: "Consider only the N most frequent tokens as answers.")
    var restrict: Int?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        guard top >= 1 else { throw ConfigurationError(option: "--top", "must be at least 1") }
        if let restrict, restrict < 1 { throw ConfigurationError(option: "--restrict", "must be at least 1") }
        let neighbors = NearestNeighbors(model: try loadModel(model))
        let result = try neighbors.analogy(a, b, c, top: top, restrict: restrict)
        try printNeighbors(result, query: [a, b, c], json: json)
    }
}
