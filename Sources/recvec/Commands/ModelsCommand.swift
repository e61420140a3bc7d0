// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

/// Lists the model registry: what `train --model`, `evaluate --models` and `tune --models` take.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models: name, family, what each needs and offers, whether it trains a model file or tunes."
    )

    @Flag(help: "Print JSON.")
    var json = false

    struct Entry: Encodable {
        var name: String
        var aliases: [String]
        var family: String
        var summary: String
        var reference: String
        var needs: [String]
        var offers: [String]
        var trainable: Bool
        var tunable: Bool
    }

    func run() throws {
        let entries = ModelRegistry.all.map { d in
            Entry(
                name: d.name.rawValue,
                aliases: d.aliases,
                family: d.family.rawValue,
                summary: d.summary,
                reference: d.reference,
                needs: d.needs.names,
                offers: d.allOffers.names,
                trainable: d is any TrainableModelDefinition.Type,
                tunable: ModelRegistry.tuningSpace(of: d.name.rawValue) != nil
            )
        }
        if json {
            try printJSON(entries)
            return
        }
        for family in ModelFamily.allCases {
            let members = entries.filter { $0.family == family.rawValue }
            if members.isEmpty { continue }
            print("\(family.rawValue):")
            for e in members {
                var notes: [String] = []
                if !e.needs.isEmpty { notes.append("needs " + e.needs.joined(separator: ", ")) }
                let offers = e.offers.filter { $0 != "model file" }
                if !offers.isEmpty { notes.append("offers " + offers.joined(separator: ", ")) }
                notes.append(e.trainable ? "trains a model file" : "evaluate only")
                if e.tunable { notes.append("tunable") }
                let reference = e.reference.isEmpty ? "" : " (\(e.reference))"
                print("  \(e.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(e.summary)\(reference)")
                print("  \(String(repeating: " ", count: 16)) " + notes.joined(separator: "; "))
            }
        }
    }
}
