// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract:
            "Infer the vector of an unseen document (a user, session or text) from a paragraph-vector model, and recommend from it."
    )

    @Argument(help: "A model whose definition offers inference (pv-dbow, pv-dm, user-prod2vec: see `recvec models`).")
    var model: String

    @Option(help: "The document's items (tokens), space-separated.")
    var sequence: String

    @Option(help: "Inference passes over the document (default: the model's, 20).")
    var epochs: Int?

    @Option(help: "Starting learning rate of inference (default: the model's).")
    var alpha: Double?

    @Option(help: "Random seed; the same seed gives the same vector.")
    var seed: UInt64 = 1

    @Option(help: "Also recommend this many items for the document (0: only the vector).")
    var recommend: Int = 10

    @Option(
        help:
            "Recommendations: dual (query·output vectors, what the objectives train) or cosine (items nearest to the query)."
    )
    var scoring: RecommendationScoring = .dual

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var sequence: [String]
        var unknown: [String]
        var vector: [Float]
        var recommendations: [Recommendation]
    }

    func run() throws {
        if let epochs, epochs < 1 { throw ConfigurationError(setting: "epochs", "must be at least 1") }
        if let alpha, !(alpha > 0 && alpha <= 10) {
            throw ConfigurationError(setting: "alpha", "must be positive and at most 10")
        }
        guard recommend >= 0 else { throw ConfigurationError(setting: "recommend", "must be 0 or more") }
        let m = try loadModel(model)
        let definition = try ModelRegistry.definition(for: m.config)
        guard definition.offers.contains(.inference) else {
            let inferable = ModelRegistry.all.filter { $0.offers.contains(.inference) }.map { $0.name.rawValue }
            throw ConfigurationError(
                setting: "MODEL",
                "\(model) was not trained as paragraph vectors (--model \(inferable.joined(separator: ", "))); it is \(m.config.model?.rawValue ?? m.config.architecture.rawValue)"
            )
        }
        let tokens = sequence.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        let unknown = tokens.filter { m.vocabulary.id(of: $0).map { Int($0) >= m.itemCount } ?? true }
        if unknown.count == tokens.count {
            throw QueryError(
                "no known item in --sequence" + (unknown.first.map { " (e.g. '\($0)')" } ?? ""),
                suggestions: unknown.first.map { m.vocabulary.suggestions(for: $0) } ?? []
            )
        }
        if !unknown.isEmpty && !json { printError("note: unknown items ignored: \(unknown.joined(separator: " "))") }
        let inference = try ParagraphVectorInference(model: m)
        let ids = tokens.map { m.vocabulary.id(of: $0) ?? -1 }
        let vector = inference.infer(ids, epochs: epochs, alpha: alpha, seed: seed)
        let query = inference.queryVector(ids, inferred: vector)
        let recommendations =
            recommend == 0
            ? []
            : try EmbeddingRecommender(model: m, scoring: scoring)
                .recommend(vector: query, top: recommend, excluding: Set(ids.filter { $0 >= 0 }))
        if json {
            try printJSON(Output(sequence: tokens, unknown: unknown, vector: vector, recommendations: recommendations))
            return
        }
        print(vector.map { formatScore($0) }.joined(separator: " "))
        for (rank, r) in recommendations.enumerated() {
            print("\(rank + 1)\t\(r.token)\t\(formatScore(r.score))")
        }
    }
}
