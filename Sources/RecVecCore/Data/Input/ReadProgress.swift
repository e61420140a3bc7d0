// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Synchronization

/// How far the reading of an input has got, for a progress line on a terminal.
public struct ReadProgress: Sendable {
    /// The input's path as given (`-` for standard input).
    public var path: String
    /// Bytes read from disk (compressed bytes for gzip parts).
    public var bytesRead: Int
    /// Bytes on disk in all parts; 0 when unknown (standard input).
    public var totalBytes: Int
    public var elapsedSeconds: Double
    /// The reading has ended.
    public var finished: Bool

    /// Fraction done, 0…1; `nil` when the size is unknown.
    public var fraction: Double? { totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : nil }

    /// Bytes a second so far.
    public var bytesPerSecond: Double { elapsedSeconds > 0 ? Double(bytesRead) / elapsedSeconds : 0 }

    /// Seconds left at the rate so far; `nil` when unknown.
    public var remainingSeconds: Double? {
        guard let f = fraction, f > 0, elapsedSeconds > 0 else { return nil }
        return elapsedSeconds * (1 - f) / f
    }

    /// Who hears of the readers' progress, process-wide (the CLI sets it for a terminal): a few
    /// reports a second while a large input is read — none for an input read in under a quarter
    /// of a second — and one when it ends.
    public static var observer: (@Sendable (ReadProgress) -> Void)? {
        get { current.withLock { $0.observer } }
        set { current.withLock { $0.observer = newValue } }
    }

    /// The time between two reports (tests shorten it).
    static var interval: Duration {
        get { current.withLock { $0.interval } }
        set { current.withLock { $0.interval = newValue } }
    }

    private struct Settings {
        var observer: (@Sendable (ReadProgress) -> Void)?
        var interval = Duration.milliseconds(250)
    }

    private static let current = Mutex(Settings())
}
