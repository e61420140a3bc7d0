// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Train a model (skip-gram or CBOW by default, or any of `recvec models` that trains into a file) and write a model file."
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var training: TrainingOptions

    @Option(name: .long, help: "The model file to write (written to a temporary file, then renamed).")
    var output: String

    @Option(help: "Also write training figures (vocabulary, tokens/s, losses) as JSON to this file.")
    var metricsJson: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func run() throws {
        let definition = try training.definition()
        var settings = try training.settings()
        try input.readOptions.validate()
        try checkWritable(output, option: "--output")
        if let metricsJson { try checkWritable(metricsJson, option: "--metrics-json") }

        let inputs = try training.modelInputs()  // side information first: its errors come before any work
        settings.metadata = inputs.metadata
        try definition.checkNeeds(settings)
        let config = definition.configuration(settings)
        try definition.validate(config)
        let readStart = Date()
        let corpus = try input.read(keepSequenceIDs: definition.needs.contains(.sequenceIDs))
        let readSeconds = Date().timeIntervalSince(readStart)
        if !quiet {
            printError(
                "read \(input.input): \(corpus.rawTokenCount) tokens, \(corpus.sequences.count) sequences, "
                    + "vocabulary \(corpus.vocabulary.count) of \(corpus.rawVocabularySize) distinct tokens "
                    + String(format: "(%.2f s)", readSeconds)
            )
        }
        if !quiet, let note = MetaProd2VecOptions.note(corpus: corpus, inputs: inputs, config: config) {
            printError(note)
        }
        if !quiet, let model = config.model, let note = KernelNote.line(models: [model.rawValue]) { printError(note) }
        let model = try Trainer(config: config).train(
            corpus,
            inputs: inputs,
            onEvent: ProgressPrinter(quiet: quiet).handler
        )
        try ModelFile.write(model, to: output)
        let summary = model.summary!
        if !quiet {
            printError(
                "trained in " + String(format: "%.2f s", summary.trainSeconds) + " ("
                    + Format.count(summary.tokensPerSecond)
                    + " tokens/s, \(config.resolvedThreads) threads); wrote \(output)"
            )
        }
        if let metricsJson {
            let metrics = TrainMetrics(
                vocabSize: corpus.vocabulary.count,
                corpusTokens: corpus.rawTokenCount,
                epochs: config.epochs,
                threads: config.resolvedThreads,
                readSeconds: readSeconds,
                trainSeconds: summary.trainSeconds,
                tokensPerSecond: summary.tokensPerSecond,
                epochLosses: summary.epochLosses
            )
            try writeJSON(metrics, to: metricsJson)
        }
    }
}

struct TrainMetrics: Codable {
    var vocabSize: Int
    var corpusTokens: Int
    var epochs: Int
    var threads: Int
    var readSeconds: Double
    var trainSeconds: Double
    var tokensPerSecond: Double
    var epochLosses: [Double]

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size"
        case corpusTokens = "corpus_tokens"
        case epochs, threads
        case readSeconds = "read_seconds"
        case trainSeconds = "train_seconds"
        case tokensPerSecond = "tokens_per_second"
        case epochLosses = "epoch_losses"
    }
}
