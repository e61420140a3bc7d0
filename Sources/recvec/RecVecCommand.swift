// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore
internal import _RecVecPlatform

/// The `recvec` command line: a thin layer over RecVecCore.
@main
struct RecVecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recvec",
        abstract: "Learn item embeddings from sequences and event logs (word2vec, item2vec) and query them.",
        version: RecVec.version,
        subcommands: [
            DemoCommand.self, PrepareCommand.self, TrainCommand.self, SimilarCommand.self, AnalogyCommand.self,
            EvaluateAnalogiesCommand.self, RecommendCommand.self, EvaluateCommand.self, TuneCommand.self,
            ServeCommand.self,
            ExportCommand.self,
            ImportCommand.self, InfoCommand.self, InferCommand.self,
            IndexCommand.self, BenchSearchCommand.self, ModelsCommand.self,
        ]
    )

    /// Parses and runs the command; library errors that name a setting are reported with the
    /// command line's flag for it.
    ///
    /// SIGXFSZ is ignored: a write past the file-size limit (`ulimit -f`) then fails with EFBIG,
    /// reported as an error naming the file, instead of killing the process without a word.
    /// SIGINT and SIGTERM stop every command but `serve` without leaving temporary files
    /// (``Interruption``). Started by `mpirun` or `srun` (built with the `MPI` trait), the process
    /// joins the job first (``Cluster``); a failure in any process ends all of them.
    static func main() async {
        signal(SIGXFSZ, SIG_IGN)
        do {
            try Cluster.start()
            var command = try parseAsRoot()
            if !(command is ServeCommand) { Interruption.install() }
            // On a terminal, a transient line shows how far the reading of a large input has got.
            if isatty(2) != 0 { ReadProgress.observer = ReadProgressLine.show }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Cluster.finish()
        } catch {
            // One process of several that failed: say why, then end the others too.
            let code = exitCode(for: error)
            if Cluster.group.isDistributed && code != .success {
                printError(fullMessage(for: FlagNames.mapped(error)))
                Cluster.abortJob(code: code.rawValue)
            }
            Cluster.finish()
            exit(withError: FlagNames.mapped(error))
        }
    }
}
