// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Options shared by every input format.
public struct ReadOptions: Sendable, Equatable {
    /// Tokens seen fewer times are dropped (word2vec's `min_count`). Default 5.
    public var minCount: Int = 5
    /// Keep at most this many tokens, the most frequent. Default: no limit.
    public var maxVocab: Int? = nil
    /// Longer sequences are cut into consecutive pieces of this length (never truncated). Default 10,000.
    public var maxSequenceLength: Int = 10_000
    /// sequences: the first token of each line is the sequence's id (a document, user or
    /// playlist id for paragraph vectors), not a token. Default `false`: the id is the line number.
    public var firstTokenIsID = false
    /// sequences: keep each line's id (``Corpus/documents``; the line number unless
    /// `firstTokenIsID`). Models without document or user vectors can turn it off to save a
    /// string per line. Default `true`.
    public var keepSequenceIDs = true
    /// Keep the parse, and the corpus made from it, in unlinked temporary files in `$TMPDIR`
    /// (mapped) instead of the process's memory — `recvec prepare`'s path: reading an event log
    /// then costs 4 bytes an event of memory (the order its events are put in), a sequences file
    /// 4 bytes a sequence, besides the vocabulary and the users or sessions; the rest is on disk.
    /// The corpus is the same either way. Default `false`.
    public var spill = false

    public init(
        minCount: Int = 5,
        maxVocab: Int? = nil,
        maxSequenceLength: Int = 10_000,
        firstTokenIsID: Bool = false,
        keepSequenceIDs: Bool = true
    ) {
        self.minCount = minCount
        self.maxVocab = maxVocab
        self.maxSequenceLength = maxSequenceLength
        self.firstTokenIsID = firstTokenIsID
        self.keepSequenceIDs = keepSequenceIDs
    }

    /// Throws a ``ConfigurationError`` naming the first nonsensical option.
    public func validate() throws {
        if minCount < 1 { throw ConfigurationError(setting: "min_count", "must be at least 1 (got \(minCount))") }
        if let maxVocab, maxVocab < 1 {
            throw ConfigurationError(setting: "max_vocab", "must be at least 1 (got \(maxVocab))")
        }
        if maxSequenceLength < 2 {
            throw ConfigurationError(setting: "max_sequence_length", "must be at least 2 (got \(maxSequenceLength))")
        }
    }
}

/// Reads the `sequences` format: one sequence per line, tokens separated by spaces or tabs, UTF-8.
///
/// The file is streamed in 4 MiB chunks, so a single line of 12 M tokens (text8, the gutenberg
/// corpus) costs 4 bytes a token, not its text.
public enum SequenceFileReader {
    /// Reads `path` into a ``Corpus``.
    public static func read(path: String, options: ReadOptions = ReadOptions()) throws -> Corpus {
        try options.validate()
        return try ChunkedFile.reading(path) { file in
            if try file.isEmpty() { throw InputError(file: path, "file is empty") }
            var builder =
                options.spill
                ? try CorpusBuilder(spilledWithMaxSequenceLength: options.maxSequenceLength)
                : CorpusBuilder(maxSequenceLength: options.maxSequenceLength, expectedTokens: file.size / 2 + 1)
            try parse(path: path, options: options, firstLine: 1, into: &builder) { try file.read(into: $0) }
            return try builder.finish(minCount: options.minCount, maxVocab: options.maxVocab, file: path)
        }
    }

    /// Tokenises the bytes `read` delivers (up to a buffer's worth a call, 0 at the end) into
    /// `builder`: tokens interned, a sequence a line. `firstLine` is the number of the first line
    /// read (errors and line-number ids count from it).
    static func parse(
        path: String,
        options: ReadOptions,
        firstLine: Int,
        into builder: inout CorpusBuilder,
        read: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws {
        let chunk = 1 << 22
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var partial: [UInt8] = []  // a token cut by a chunk boundary
        var line = firstLine
        var isNew = false
        var awaitingID = options.firstTokenIsID
        let lineIDs = options.keepSequenceIDs && !options.firstTokenIsID
        if lineIDs { builder.setKey(String(line)) }

        func add(_ token: UnsafeRawBufferPointer, _ builder: inout CorpusBuilder) throws {
            if awaitingID {
                if !isValidUTF8(token) { throw InputError(file: path, line: line, "invalid UTF-8 in sequence id") }
                builder.setKey(token)
                awaitingID = false
                return
            }
            let id = builder.interner.intern(token, isNew: &isNew)
            if isNew && !isValidUTF8(token) {
                throw InputError(file: path, line: line, "invalid UTF-8 in token")
            }
            builder.append(id)
        }

        while true {
            let n = try read(buffer)
            if n == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            var i = 0
            var tokenStart = 0
            var inToken = !partial.isEmpty
            while i < n {
                let b = bytes[i]
                if b > 32 {
                    if !inToken {
                        inToken = true
                        tokenStart = i
                    }
                } else {
                    if inToken {
                        if partial.isEmpty {
                            try add(UnsafeRawBufferPointer(rebasing: bytes[tokenStart..<i]), &builder)
                        } else {
                            partial.append(contentsOf: bytes[0..<i])
                            try partial.withUnsafeBytes { try add($0, &builder) }
                            partial.removeAll(keepingCapacity: true)
                        }
                        inToken = false
                    }
                    if b == 10 {
                        builder.endSequence()
                        line += 1
                        if options.firstTokenIsID {
                            awaitingID = true
                        } else if lineIDs {
                            builder.setKey(String(line))
                        }
                    }
                }
                i += 1
            }
            if inToken {
                partial.append(contentsOf: bytes[(partial.isEmpty ? tokenStart : 0)..<n])
            }
        }
        if !partial.isEmpty { try partial.withUnsafeBytes { try add($0, &builder) } }
    }
}
