// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import RecVecCore
internal import _RecVecPlatform

/// Ctrl-C (SIGINT) and SIGTERM stop a command at once and leave nothing half-written: files are
/// written to a temporary file renamed into place only when whole, and the temporaries of the
/// files being written are removed here before the process exits with 128 + the signal's number,
/// as a shell reports it. (`serve` stops gracefully instead, answering the requests under way.)
enum Interruption {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Takes SIGINT and SIGTERM over for the rest of the process.
    static func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInteractive))
            source.setEventHandler {
                let removed = AtomicFileWriter.removeOpenTemporaries()
                let name = number == SIGINT ? "SIGINT" : "SIGTERM"
                printError(
                    (isatty(2) != 0 ? "\n" : "") + "interrupted (\(name))"
                        + (removed > 0 ? ": the files being written were left as they were" : "")
                )
                exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
