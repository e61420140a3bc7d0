// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend items for a history (a session, a user's items, a basket) from an embedding model."
    )

    @Argument(help: "A RecVec model (dual scoring needs its output vectors).")
    var model: String

    @Option(help: "The history, oldest first, space-separated (one item: item-to-item). Empty: the most popular items.")
    var history: String

    @Option(help: "How many items.")
    var top: Int = 20

    @Flag(help: "Leave the history's own items out.")
    var excludeHistory = false

    @Option(
        help:
            "cosine (similar items), dual (input·output: complements; CBOW-style for a history) or sequence (the model's network reads the history in order: gru4rec). Default: sequence for a model with a network, else cosine."
    )
    var scoring: RecommendationScoring?

    @Option(help: "Use only the last N items of the history (0 = all).")
    var lastN: Int = 0

    @Option(help: "An item a steps before the last weighs (1 - decay)^a.")
    var decay: Double = 0

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var search: SearchOptions

    struct Output: Encodable {
        var history: [String]
        var unknown: [String]
        var recommendations: [Recommendation]
    }

    func run() throws {
        guard top >= 1 else { throw ConfigurationError(setting: "top", "must be at least 1") }
        let weighting = HistoryWeighting(lastN: lastN, decay: decay)
        try weighting.validate()
        try search.check()
        let m = try loadModel(model)
        let scoring = self.scoring ?? .preferred(for: m)
        let recommender = try EmbeddingRecommender(
            model: m,
            scoring: scoring,
            weighting: weighting,
            search: scoring == .cosine ? search.itemSearch(model: m, path: model) : nil
        )
        let items = history.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        let unknown = items.filter { m.vocabulary.id(of: $0) == nil }
        if !unknown.isEmpty && !json {
            printError(
                "note: unknown items ignored: \(unknown.joined(separator: " "))"
                    + (unknown.count == items.count ? "; recommending the most popular items" : "")
            )
        }
        let result = recommender.recommend(history: items, top: top, excludeHistory: excludeHistory)
        if json {
            try printJSON(Output(history: items, unknown: unknown, recommendations: result))
            return
        }
        for (rank, r) in result.enumerated() {
            print("\(rank + 1)\t\(r.token)\t\(formatScore(r.score))\t\(r.source)")
        }
    }
}
