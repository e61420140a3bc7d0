// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// What a prepared corpus was made from and how: stored in the `.rvcorpus` file as JSON, shown by
/// `recvec info`, and checked when the file is read (a corpus whose input has changed since is
/// stale).
public struct PreparedCorpusDescription: Codable, Sendable, Equatable {
    /// One input file as it was when the corpus was prepared.
    public struct Source: Codable, Sendable, Equatable {
        /// The path as given (a part file of a directory: the directory's path, `/`, its name).
        public var path: String
        /// Size in bytes.
        public var size: Int64
        /// Last modification, seconds since 1970 (with nanoseconds).
        public var modified: Double

        public init(path: String, size: Int64, modified: Double) {
            self.path = path
            self.size = size
            self.modified = modified
        }

        /// The file at `path` as it is now, or `nil` when it cannot be looked at.
        public static func current(_ path: String) -> Source? {
            var info = stat()
            guard path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            #if canImport(Darwin)
            let time = info.st_mtimespec
            #else
            let time = info.st_mtim
            #endif
            let modified = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
            return Source(path: path, size: Int64(info.st_size), modified: modified)
        }
    }

    /// The program that wrote the file (`recvec 0.1.0`).
    public var createdBy: String
    /// The input as given (`-` for standard input, a directory for part files).
    public var input: String
    /// The files read (none for standard input).
    public var sources: [Source]
    /// The input's format, resolved (`sequences`, `events`, `baskets`).
    public var format: String
    /// The vocabulary's filters: tokens seen fewer times, or past the most frequent `maxVocab`,
    /// were dropped.
    public var minCount: Int
    public var maxVocab: Int?
    /// Longer sequences were cut into pieces of this many tokens.
    public var maxSequenceLength: Int
    /// The data options given to `prepare` (column names, session gap, …), for `info` and for
    /// telling a user which options a prepared input fixes.
    public var options: [String: String]

    public init(
        input: String,
        sources: [Source],
        format: String,
        minCount: Int,
        maxVocab: Int?,
        maxSequenceLength: Int,
        options: [String: String] = [:]
    ) {
        createdBy = "recvec \(RecVec.version)"
        self.input = input
        self.sources = sources
        self.format = format
        self.minCount = minCount
        self.maxVocab = maxVocab
        self.maxSequenceLength = maxSequenceLength
        self.options = options
    }

    /// The input files as they are now (each file, or each part file of a directory).
    public static func sources(of input: String) throws -> [Source] {
        try PartFiles.resolve(input).compactMap(Source.current)
    }

    /// Why the corpus no longer matches its input, or `nil` when every source file that still
    /// exists has the size and modification time it had. A source that was removed or moved
    /// away is not a change: the prepared corpus is then the only copy of the data.
    public func staleness() -> String? {
        for source in sources {
            guard let now = Source.current(source.path) else { continue }
            if now.size != source.size {
                return "its input '\(source.path)' has changed since it was prepared "
                    + "(\(source.size) → \(now.size) bytes); run recvec prepare again"
            }
            if now.modified != source.modified {
                return "its input '\(source.path)' was modified since it was prepared (same size, "
                    + "modification time \(Self.utc(source.modified)) → \(Self.utc(now.modified))); run recvec prepare again"
            }
        }
        return nil
    }

    /// `seconds` since 1970 as UTC, to the second: `2026-12-01 20:57:03 UTC`.
    static func utc(_ seconds: Double) -> String {
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) UTC"
    }
}
