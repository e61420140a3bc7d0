// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RecVecCore
internal import _RecVecPlatform

/// Writes a line to standard error.
func printError(_ text: String) {
    writeError(Cluster.prefix + text + "\n")
}

/// Writes text to standard error, unbuffered.
func writeError(_ text: String) {
    var t = text
    t.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}

/// Shows training progress on stderr: a live line on a terminal, one line per epoch otherwise.
struct ProgressPrinter: Sendable {
    let quiet: Bool
    let isTerminal = isatty(2) != 0

    var handler: (@Sendable (TrainingEvent) -> Void)? {
        if quiet { return nil }
        let live = isTerminal
        return { event in
            switch event {
            case .synchronizationPlan(let plan):
                var text =
                    "\(plan.processes) processes: a full synchronisation every "
                    + "\(Format.count(Double(plan.fullInterval))) tokens a process"
                if let hot = plan.hotInterval {
                    text += ", the \(plan.hotRows) hot rows every \(Format.count(Double(hot)))"
                }
                text +=
                    " (\(plan.synchronizationsPerEpoch) an epoch); merge \(plan.merge.rawValue), learning rate × "
                    + String(format: "%g", plan.learningRateScale) + " (" + String(format: "%g", plan.startAlpha) + ")"
                printError(text)
                if plan.roundsStretchedBySequences {
                    printError(
                        "note: this model trains each sequence whole, so rounds end between sequences, and the longest "
                            + "(\(Format.count(Double(plan.longestSequence))) tokens) is longer than a round "
                            + "(\(Format.count(Double(plan.roundInterval)))): some rounds are longer, "
                            + "some empty (cut long sequences shorter, or synchronise less often)"
                    )
                }
            case .progress(let p):
                guard live else { return }
                let text =
                    "\r\u{1B}[Kepoch \(p.epoch)/\(p.epochs)  "
                    + String(format: "%5.1f%%", p.fraction * 100)
                    + "  \(Format.count(p.tokensPerSecond)) tokens/s  loss " + String(format: "%.4f", p.loss)
                    + "  ETA \(Format.duration(p.remainingSeconds))"
                writeError(text)
            case .epochFinished(let e):
                let text =
                    "epoch \(e.epoch)/\(e.epochs): loss " + String(format: "%.4f", e.loss)
                    + " (\(e.examples) examples), \(Format.count(e.tokensPerSecond)) tokens/s, "
                    + String(format: "%.1f s", e.seconds)
                    + (e.synchronizations > 0
                        ? "; \(e.synchronizations) synchronisations so far, "
                            + "\(Format.count(Double(e.synchronizedBytes)))B sent, "
                            + String(format: "%.1f s", e.synchronizationSeconds) : "")
                printError((live ? "\r\u{1B}[K" : "") + text)
            }
        }
    }
}

/// The reading of a large input on a terminal: one line, rewritten a few times a second, erased
/// when the reading ends.
enum ReadProgressLine {
    @Sendable static func show(_ p: ReadProgress) {
        if p.finished {
            writeError("\r\u{1B}[K")
            return
        }
        var text = "\r\u{1B}[Kreading \(p.path == "-" ? "<stdin>" : p.path)  "
        if let f = p.fraction { text += String(format: "%5.1f%%  ", f * 100) }
        text += Format.count(p.bytesPerSecond) + "B/s"
        if let left = p.remainingSeconds { text += "  ETA \(Format.duration(left))" }
        writeError(text)
    }
}

enum Format {
    /// 1234567 → "1.23M".
    static func count(_ x: Double) -> String {
        switch x {
        case 1e9...: return String(format: "%.2fG", x / 1e9)
        case 1e6...: return String(format: "%.2fM", x / 1e6)
        case 1e3...: return String(format: "%.1fk", x / 1e3)
        default: return String(format: "%.0f", x)
        }
    }

    /// Seconds → "1:02:03" or "2:03".
    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600
            ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
    }
}
