// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract:
            "Describe a model (vocabulary, dimension, hyperparameters, training losses) or a prepared corpus."
    )

    @Argument(help: "A RecVec model, word2vec vectors, or a prepared corpus (recvec prepare).")
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
        if PreparedCorpus.isPreparedCorpus(model) {
            try describeCorpus()
            return
        }
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
            if let processes = s.processes {
                let scale = s.learningRateScale ?? 1
                print(
                    String(
                        format: "across %d processes, each at the learning rate × %g (%g→%g)",
                        processes,
                        scale,
                        c.startAlpha * scale,
                        c.minAlpha * scale
                    )
                )
            }
            print(
                "epoch losses: " + s.epochLosses.map { String(format: "%.4f", $0) }.joined(separator: " ")
                    + String(format: "; %.2f s, ", s.trainSeconds) + Format.count(s.tokensPerSecond) + " tokens/s"
            )
        }
        print("most frequent: " + out.mostFrequent.joined(separator: " "))
    }

    /// What `info` prints of a prepared corpus.
    struct CorpusOutput: Encodable {
        var tokens: Int
        var rawTokens: Int
        var sequences: Int
        var vocabularySize: Int
        var rawVocabularySize: Int
        var sequenceIDs: Int
        var sideData: [String]
        var fileBytes: Int
        var stale: String?
        var description: PreparedCorpusDescription
        var mostFrequent: [String]
    }

    private func describeCorpus() throws {
        // Sequence ids are counted from the header, not loaded (one string per session).
        let (corpus, description) = try PreparedCorpus.read(from: model, sequenceIDs: false)
        var side: [String] = []
        if corpus.times != nil { side.append("times") }
        if corpus.baskets != nil { side.append("baskets") }
        if corpus.weights != nil { side.append("weights") }
        if corpus.contextItems != nil { side.append("global-context items") }
        let out = CorpusOutput(
            tokens: corpus.sequences.tokenCount,
            rawTokens: corpus.rawTokenCount,
            sequences: corpus.sequences.count,
            vocabularySize: corpus.vocabulary.count,
            rawVocabularySize: corpus.rawVocabularySize,
            sequenceIDs: try PreparedCorpus.sequenceIDCount(at: model),
            sideData: side,
            fileBytes: (try? FileManager.default.attributesOfItem(atPath: model)[.size] as? Int) ?? 0,
            stale: description.staleness(),
            description: description,
            mostFrequent: Array(corpus.vocabulary.tokens.prefix(10))
        )
        if json {
            try printJSON(out)
            return
        }
        print("prepared corpus (\(description.createdBy)), " + Format.count(Double(out.fileBytes)) + "B")
        print(
            "tokens: \(out.tokens) kept of \(out.rawTokens); sequences: \(out.sequences); "
                + "vocabulary: \(out.vocabularySize) of \(out.rawVocabularySize) distinct tokens"
        )
        print(
            "sequence ids: " + (out.sequenceIDs > 0 ? "\(out.sequenceIDs)" : "none")
                + "; side data: " + (side.isEmpty ? "none" : side.joined(separator: ", "))
        )
        let filters =
            "--min-count \(description.minCount)" + (description.maxVocab.map { " --max-vocab \($0)" } ?? "")
            + " --max-sequence-length \(description.maxSequenceLength)"
        print("prepared from \(description.input) (\(description.format)): \(filters)")
        let options = description.options.filter { $0.key != "max-sequence-length" }
        if !options.isEmpty {
            print(
                "data options: "
                    + options.sorted { $0.key < $1.key }.map { "--\($0.key) \($0.value)" }.joined(separator: " ")
            )
        }
        print("input now: " + (out.stale.map { "changed (\($0))" } ?? "unchanged or gone"))
        print("most frequent: " + out.mostFrequent.joined(separator: " "))
    }
}
