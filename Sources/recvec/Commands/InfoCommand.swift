// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model: vocabulary, dimension, hyperparameters, training losses."
    )

    @Argument(help: "A RecVec model, or word2vec vectors.")
    var model: String

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var vocabularySize: Int
        var dim: Int
        var hasOutputVectors: Bool
        /// The sizes of the network's layers (GRU4Rec), absent for the embedding models.
        var networkLayers: [Int]?
        var config: TrainingConfig
        var summary: TrainingSummary?
        var sections: [TokenSection]
        var mostFrequent: [String]
    }

    func run() throws {
        let m = try loadModel(model)
        let out = Output(
            vocabularySize: m.vocabulary.count,
            dim: m.dim,
            hasOutputVectors: m.output != nil,
            networkLayers: m.network?.layers.map(\.hiddenSize),
            config: m.config,
            summary: m.summary,
            sections: m.sections,
            mostFrequent: Array(m.vocabulary.tokens.prefix(min(10, m.itemCount)))
        )
        if json {
            try printJSON(out)
            return
        }
        print(
            "vocabulary: \(out.vocabularySize) tokens; dimension \(out.dim); output vectors: \(out.hasOutputVectors ? "yes" : "no")"
        )
        if m.sections.count > 1 {
            print("sections: " + m.sections.map { "\($0.count) \($0.kind.rawValue)s" }.joined(separator: ", "))
        }
        if let layers = out.networkLayers {
            print(
                "network: GRU layers " + layers.map(String.init).joined(separator: "/")
                    + "; recommend and serve read histories through it (scoring sequence)"
            )
        }
        let c = m.config
        print("training: " + (try ModelRegistry.definition(for: c)).describe(c))
        if let s = m.summary {
            print(
                "epoch losses: " + s.epochLosses.map { String(format: "%.4f", $0) }.joined(separator: " ")
                    + String(format: "; %.2f s, ", s.trainSeconds) + Format.count(s.tokensPerSecond) + " tokens/s"
            )
        }
        print("most frequent: " + out.mostFrequent.joined(separator: " "))
    }
}
