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
    @OptionGroup var disk: OnDiskOption
    @OptionGroup var training: TrainingOptions

    @Option(name: .long, help: "The model file to write (written to a temporary file, then renamed).")
    var output: String

    @Option(help: "Also write training figures (vocabulary, tokens/s, losses) as JSON to this file.")
    var metricsJson: String?

    @Option(
        help:
            "Under mpirun or srun: tokens each process trains between two synchronisations of the model across the processes (default: 1,000,000, or a quarter of the largest process's share of an epoch when that is less)."
    )
    var syncEvery: Int?

    @Option(
        help:
            "Under mpirun or srun: also merge the hot rows (the tokens that occur at least once in this many) every this many tokens each process trains, between the full synchronisations; 0: off."
    )
    var syncHotEvery: Int = 25_000

    @Option(
        help: ArgumentHelp(
            "Under mpirun or srun: how a synchronisation merges the processes' changes: mean (model averaging, with the learning rate scaled by the number of processes, at most 4 times), sum (every step applied) or changed-mean (each row by the mean change of the processes that changed it).",
            valueName: "merge"
        )
    )
    var syncMerge: DataParallel.Merge = .mean

    @Option(
        help: ArgumentHelp(
            "Under mpirun or srun: multiply each process's learning rate (--alpha and --min-alpha) by this (default: the number of processes, at most 4, with --sync-merge mean; 1 otherwise).",
            valueName: "factor"
        )
    )
    var syncAlphaScale: Double?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func run() throws {
        let definition = try training.definition()
        var settings = try training.settings()
        try input.readOptions.validate()
        let group = Cluster.group
        if group.isRoot {
            try checkWritable(output, option: "--output")
            if let metricsJson { try checkWritable(metricsJson, option: "--metrics-json") }
        }
        let inputs = try training.modelInputs()  // side information first: its errors come before any work
        settings.metadata = inputs.metadata
        try definition.checkNeeds(settings)
        let config = definition.configuration(settings)
        try definition.validate(config)
        var trainer = Trainer(config: config)
        var parallel = DataParallel(group: group, merge: syncMerge)
        parallel.learningRateScale = syncAlphaScale
        if let syncEvery {  // as given; otherwise at least four synchronisations an epoch
            parallel.syncEvery = syncEvery
            parallel.minimumSynchronizationsPerEpoch = nil
        }
        parallel.hotSyncEvery = syncHotEvery == 0 ? nil : syncHotEvery
        try FlagNames.mapping { try parallel.validate() }
        if group.isDistributed {
            // Only the engine's own runs synchronise their matrices; other models train differently.
            guard definition is any EngineModelDefinition.Type else {
                throw ClusterError(
                    "\(definition.name.rawValue) cannot be trained across processes (the engine's models can: "
                        + ModelRegistry.all.filter { $0 is any EngineModelDefinition.Type }.map { $0.name.rawValue }
                        .joined(separator: ", ") + "); start it without mpirun"
                )
            }
            trainer.distribution = parallel
        }

        let readStart = Date()
        // Across processes a plain sequences file is split by byte ranges; other inputs are read whole.
        let keepIDs = definition.needs.contains(.sequenceIDs)
        let byteRange = try trainer.distribution != nil ? input.readShare(group: group, keepSequenceIDs: keepIDs) : nil
        if byteRange != nil, disk.onDisk, group.isRoot {
            printError(
                "note: --on-disk does not apply here: each process reads its own byte range of \(input.input) "
                    + "(about 1/\(group.size) of it) into memory; for a corpus read mapped, prepare it first (recvec prepare)"
            )
        }
        let corpus = try byteRange ?? input.read(keepSequenceIDs: keepIDs, spill: disk.onDisk)
        let readSeconds = Date().timeIntervalSince(readStart)
        if !quiet {
            let share = corpus.processShare.map {
                "; this process: \(corpus.sequences.count) sequences, \(corpus.sequences.tokenCount) kept tokens "
                    + "from bytes \($0.bytes.lowerBound)..<\($0.bytes.upperBound)"
            }
            printError(
                "read \(input.input): \(corpus.rawTokenCount) tokens, "
                    + (share == nil ? "\(corpus.sequences.count) sequences, " : "")
                    + "vocabulary \(corpus.vocabulary.count) of \(corpus.rawVocabularySize) distinct tokens"
                    + (share ?? "") + String(format: " (%.2f s)", readSeconds)
            )
        }
        if !quiet, let note = MetaProd2VecOptions.note(corpus: corpus, inputs: inputs, config: config) {
            printError(note)
        }
        if !quiet, let note = try KernelNote.line(training: config) { printError(note) }
        let model = try trainer.train(
            corpus,
            inputs: inputs,
            onEvent: ProgressPrinter(quiet: quiet || !group.isRoot).handler
        )
        let summary = model.summary!
        let processes = group.isDistributed ? " × \(group.size) processes" : ""
        // Every process ends with the same model; rank 0 writes it.
        guard group.isRoot else {
            if !quiet { printError("trained its share; rank 0 writes the model") }
            return
        }
        try ModelFile.write(model, to: output)
        if !quiet {
            printError(
                "trained in " + String(format: "%.2f s", summary.trainSeconds) + " ("
                    + Format.count(summary.tokensPerSecond)
                    + " tokens/s, \(config.resolvedThreads) thread\(config.resolvedThreads == 1 ? "" : "s")\(processes)); wrote \(output)"
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

extension DataParallel.Merge: ExpressibleByArgument {}

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
