// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The `recvec` command line: a thin layer over RecVecCore.
@main
struct RecVecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recvec",
        abstract: "Learn item embeddings from sequences and event logs (word2vec, item2vec) and query them.",
        version: RecVec.version,
        subcommands: [
            DemoCommand.self, TrainCommand.self, SimilarCommand.self, AnalogyCommand.self,
            EvaluateAnalogiesCommand.self, RecommendCommand.self, EvaluateCommand.self, TuneCommand.self,
            ServeCommand.self,
            ExportCommand.self,
            ImportCommand.self, InfoCommand.self, InferCommand.self,
            IndexCommand.self, BenchSearchCommand.self,
        ]
    )
}
