// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
internal import _RecVecPlatform

/// A corpus read once from its text input and stored in binary (`recvec prepare`'s `.rvcorpus`),
/// then read back memory-mapped: its token ids, sequence offsets and per-event side data are not
/// copied into the process, so a command's resident memory stays near the model's size whatever
/// the corpus's (the trainer gives back the pages it has walked, ``FlatArray/releasePages(_:)``).
///
/// Layout (little-endian; every section starts on a 64-byte boundary, zero padding between):
///
///     8 bytes   magic "RVCORP\r\n"
///     u32       format version (1)
///     u32       flags: 1 times, 2 baskets, 4 weights, 8 global-context items, 16 sequence ids
///     u64 × 9   vocabulary size V, vocabulary text bytes, tokens T, sequences S, sequence ids D,
///               sequence-id text bytes, raw tokens, raw vocabulary size, description bytes
///     …         the description, JSON (``PreparedCorpusDescription``)
///     i64 × V   vocabulary counts (ids by descending count, as every reader orders them)
///     i64 × V+1 offsets of the tokens' UTF-8 text, then the text
///     i32 × T   token ids
///     i64 × S+1 sequence offsets
///     f64 × T   times (flag 1); i32 × T baskets (flag 2); f32 × T weights (flag 4);
///     i32 × S   global-context item or −1 (flag 8);
///     i32 × S   each sequence's id, i64 × D+1 offsets of the ids' text, the text (flag 16)
///     u32       CRC-32 of every byte before it
///
/// A file is checked when it is opened: magic, version, sizes, checksum, every token id below V,
/// offsets increasing, side data in range. The check reads the whole file once, and gives its
/// pages back as it goes.
public enum PreparedCorpus {
    static let magic: [UInt8] = Array("RVCORP\r\n".utf8)
    static let version: UInt32 = 1
    /// The file name extension `prepare` suggests and `info` recognises.
    public static let fileExtension = "rvcorpus"

    private struct Flags: OptionSet {
        let rawValue: UInt32
        static let times = Flags(rawValue: 1)
        static let baskets = Flags(rawValue: 2)
        static let weights = Flags(rawValue: 4)
        static let contextItems = Flags(rawValue: 8)
        static let documents = Flags(rawValue: 16)
        static let all: Flags = [.times, .baskets, .weights, .contextItems, .documents]
    }

    /// Whether `path` is a regular file that starts with the prepared corpus's magic.
    public static func isPreparedCorpus(_ path: String) -> Bool {
        guard path != "-" else { return false }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size >= 8 else { return false }
        guard let f = fopen(path, "rb") else { return false }
        defer { fclose(f) }
        var head = [UInt8](repeating: 0, count: 8)
        let n = head.withUnsafeMutableBytes { fread($0.baseAddress, 1, 8, f) }
        return n == 8 && head == magic
    }

    // MARK: - Writing

    /// Writes `corpus` with its `description` to `path` atomically (a temporary file renamed into
    /// place; nothing is left behind on failure).
    public static func write(_ corpus: Corpus, description: PreparedCorpusDescription, to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        var position = 0
        func put(_ bytes: UnsafeRawBufferPointer) throws {
            try w.write(bytes)
            position += bytes.count
        }
        func pad() throws {
            let gap = (64 - position % 64) % 64
            if gap > 0 { try [UInt8](repeating: 0, count: gap).withUnsafeBytes { try put($0) } }
        }
        func put<T: BitwiseCopyable & Sendable>(_ values: some Collection<T>) throws {
            try pad()
            // Little-endian machines only (x86-64, arm64): the values' bytes are the file's.
            if let flat = values as? FlatArray<T> {
                // In chunks: a mapped array (a spilled corpus) gives its pages back as it goes.
                try flat.forEachChunk { chunk, _ in try put(UnsafeRawBufferPointer(chunk)) }
            } else {
                try Array(values).withUnsafeBytes { try put($0) }
            }
        }
        func putText(_ strings: [String]) throws {
            var offsets: [Int64] = [0]
            offsets.reserveCapacity(strings.count + 1)
            var total: Int64 = 0
            for s in strings {
                total += Int64(s.utf8.count)
                offsets.append(total)
            }
            try put(offsets)
            try pad()
            for s in strings {
                var s = s
                try s.withUTF8 { try put(UnsafeRawBufferPointer($0)) }
            }
        }
        do {
            var flags: Flags = []
            if corpus.times != nil { flags.insert(.times) }
            if corpus.baskets != nil { flags.insert(.baskets) }
            if corpus.weights != nil { flags.insert(.weights) }
            if corpus.contextItems != nil { flags.insert(.contextItems) }
            let hasDocuments = !corpus.documents.isEmpty && corpus.sequenceDocuments.count == corpus.sequences.count
            if hasDocuments { flags.insert(.documents) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = [UInt8](try encoder.encode(description))
            let vocabularyBytes = corpus.vocabulary.tokens.reduce(0) { $0 + $1.utf8.count }
            let documentBytes = hasDocuments ? corpus.documents.reduce(0) { $0 + $1.utf8.count } : 0
            var header: [UInt8] = magic
            func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { header += $0 } }
            append(version)
            append(flags.rawValue)
            for v in [
                corpus.vocabulary.count, vocabularyBytes, corpus.sequences.tokenCount, corpus.sequences.count,
                hasDocuments ? corpus.documents.count : 0, documentBytes, corpus.rawTokenCount,
                corpus.rawVocabularySize, json.count,
            ] {
                append(UInt64(v))
            }
            try (header + json).withUnsafeBytes { try put($0) }
            try put(corpus.vocabulary.counts)
            try putText(corpus.vocabulary.tokens)
            try put(corpus.sequences.tokens)
            try put(corpus.sequences.offsets)
            if let t = corpus.times { try put(t) }
            if let b = corpus.baskets { try put(b) }
            if let x = corpus.weights { try put(x) }
            if let c = corpus.contextItems { try put(c) }
            if hasDocuments {
                try put(corpus.sequenceDocuments)
                try putText(corpus.documents)
            }
            try pad()
            try w.write(w.checksum)
            try w.commit()
        } catch {
            w.discard()
            throw error
        }
    }

    // MARK: - Reading

    /// How many distinct sequence ids (``Corpus/documents``) the prepared corpus at `path` stores,
    /// from its header alone (for a description without loading them: a corpus of sessions has one
    /// per session). Call it on a file ``read(from:sequenceIDs:refusingStale:)`` has accepted.
    public static func sequenceIDCount(at path: String) throws -> Int {
        try headerField(4, of: try MappedFile(path: path), path: path, "sequence id count")
    }

    /// The description stored in the prepared corpus at `path`, from its header alone; call it on
    /// a file ``read(from:sequenceIDs:refusingStale:)`` has accepted (re-preparing a prepared corpus
    /// reads it once, not twice).
    public static func storedDescription(at path: String) throws -> PreparedCorpusDescription {
        let file = try MappedFile(path: path)
        let size = try headerField(8, of: file, path: path, "description size")
        let at = headerSize  // the description follows the header, unaligned
        guard at + size <= file.bytes.count else {
            throw ModelFileError(file: path, "truncated file (the description ends beyond it)")
        }
        do {
            return try JSONDecoder().decode(PreparedCorpusDescription.self, from: Data(file.bytes[at..<(at + size)]))
        } catch {
            throw ModelFileError(file: path, "unreadable description: \(error)")
        }
    }

    /// Magic, version, flags and the nine 64-bit counts; the description starts right after.
    private static let headerSize = 8 + 4 + 4 + 9 * 8

    /// Field `index` of the nine 64-bit counts after the magic, version and flags.
    private static func headerField(_ index: Int, of file: MappedFile, path: String, _ what: String) throws -> Int {
        var cursor = ByteCursor(file.bytes, file: path)
        _ = try cursor.take(8 + 4 + 4 + index * 8, "header")
        return Int(clamping: try cursor.read(UInt64.self, what))
    }

    /// Reads the prepared corpus at `path`, mapped, after checking all of it (see the type's
    /// comment). Throws a ``ModelFileError`` naming the file and the problem for anything that is
    /// not a valid prepared corpus of this version.
    ///
    /// `sequenceIDs: false` leaves the sequence ids (``Corpus/documents``) out: a corpus of sessions
    /// has one string per session, which models without user or document vectors do not need.
    ///
    /// `refusingStale`: a file whose inputs changed since it was prepared is refused before the
    /// checksum pass (which reads every byte), from the description as stored.
    public static func read(
        from path: String,
        sequenceIDs: Bool = true,
        refusingStale: Bool = false
    ) throws -> (corpus: Corpus, description: PreparedCorpusDescription) {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: path, message) }
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else {
            throw fail(
                "not a prepared corpus (it does not start with RecVec's corpus magic); make one with recvec prepare"
            )
        }
        var cursor = ByteCursor(bytes, file: path)
        _ = try cursor.take(8, "magic")
        let version = try cursor.read(UInt32.self, "version")
        guard version == Self.version else {
            throw fail(
                "prepared corpus format version \(version) is not supported (this build reads \(Self.version)); run recvec prepare again"
            )
        }
        let flags = Flags(rawValue: try cursor.read(UInt32.self, "flags"))
        guard Flags.all.isSuperset(of: flags) else { throw fail("unknown flags \(flags.rawValue) in the header") }
        var header: [Int] = []
        for what in [
            "vocabulary size", "vocabulary text size", "token count", "sequence count", "sequence id count",
            "sequence id text size", "raw token count", "raw vocabulary size", "description size",
        ] {
            let v = try cursor.read(UInt64.self, what)
            guard v <= UInt64(Int.max / 16) else { throw fail("impossible \(what) \(v) in the header") }
            header.append(Int(v))
        }
        let (v, vocabularyBytes, t, s, d, documentBytes, rawTokens, rawVocabulary, jsonBytes) = (
            header[0], header[1], header[2], header[3], header[4], header[5], header[6], header[7], header[8]
        )
        guard flags.contains(.documents) || (d == 0 && documentBytes == 0) else {
            throw fail("sequence ids counted in the header but not flagged")
        }
        // Where each section starts, from the counts alone; then the size must match exactly.
        var layout = Layout(start: headerSize)
        let jsonAt = layout.section(jsonBytes, align: 1)
        let countsAt = layout.section(v * 8)
        let vocabularyOffsetsAt = layout.section((v + 1) * 8)
        let vocabularyTextAt = layout.section(vocabularyBytes)
        let tokensAt = layout.section(t * 4)
        let offsetsAt = layout.section((s + 1) * 8)
        let timesAt = flags.contains(.times) ? layout.section(t * 8) : nil
        let basketsAt = flags.contains(.baskets) ? layout.section(t * 4) : nil
        let weightsAt = flags.contains(.weights) ? layout.section(t * 4) : nil
        let contextAt = flags.contains(.contextItems) ? layout.section(s * 4) : nil
        let documentsAt = flags.contains(.documents) ? layout.section(s * 4) : nil
        let documentOffsetsAt = flags.contains(.documents) ? layout.section((d + 1) * 8) : nil
        let documentTextAt = flags.contains(.documents) ? layout.section(documentBytes) : nil
        _ = layout.section(0)  // the padding before the checksum
        guard let expected = layout.end.map({ $0 + 4 }), expected == bytes.count else {
            throw fail(
                layout.end.map {
                    $0 + 4 > bytes.count
                        ? "truncated file (\(bytes.count) of \($0 + 4) bytes)"
                        : "\(bytes.count - $0 - 4) bytes of trailing data"
                }
                    ?? "impossible sizes in the header"
            )
        }

        // A stale file is refused before the whole file is read (a description too corrupt to decode
        // is reported by the checksum below).
        if refusingStale,
            let early = try? JSONDecoder().decode(
                PreparedCorpusDescription.self,
                from: Data(bytes[jsonAt..<(jsonAt + jsonBytes)])
            ),
            let stale = early.staleness()
        {
            throw fail("stale prepared corpus: \(stale)")
        }

        // The checksum, over the mapping in chunks whose pages are given back as they are read.
        let body = bytes.count - 4
        var crc = CRC32()
        FlatArray<UInt8>(mapped: file, offset: 0, count: bytes.count).forEachChunk(of: 0..<body) { chunk, _ in
            crc.update(UnsafeRawBufferPointer(chunk))
        }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: body, as: UInt32.self))
        guard crc.value == stored else { throw fail("checksum mismatch: the file is corrupt") }

        let description: PreparedCorpusDescription
        do {
            description = try JSONDecoder().decode(
                PreparedCorpusDescription.self,
                from: Data(bytes[jsonAt..<(jsonAt + jsonBytes)])
            )
        } catch {
            throw fail("unreadable description: \(error)")
        }

        let counts = FlatArray<Int64>(mapped: file, offset: countsAt, count: v).array
        let vocabularyTokens = try texts(
            file,
            offsetsAt: vocabularyOffsetsAt,
            textAt: vocabularyTextAt,
            count: v,
            textBytes: vocabularyBytes,
            what: "vocabulary",
            path: path
        )
        guard counts.allSatisfy({ $0 >= 0 }) else { throw fail("negative vocabulary count") }
        let vocabulary = Vocabulary(tokens: vocabularyTokens, counts: counts)
        if let dup = vocabulary.firstDuplicate {
            throw fail("token '\(dup.token)' appears twice in the vocabulary (ids \(dup.first) and \(dup.second))")
        }

        let tokens = FlatArray<Int32>(mapped: file, offset: tokensAt, count: t)
        let offsets = FlatArray<Int>(mapped: file, offset: offsetsAt, count: s + 1)
        try check(tokens, below: Int32(clamping: v), allowing: nil, what: "token id", path: path)
        var previous = 0
        try offsets.forEachChunk { chunk, start in
            for (j, o) in chunk.enumerated() {
                let i = start + j
                guard i == 0 ? o == 0 : o > previous, o <= t, i < s || o == t else {
                    throw fail("sequence offsets are not increasing from 0 to \(t) (at sequence \(i))")
                }
                previous = o
            }
        }

        var corpus = Corpus(
            vocabulary: vocabulary,
            sequences: Sequences(tokens: tokens, offsets: offsets),
            rawTokenCount: rawTokens,
            rawVocabularySize: rawVocabulary
        )
        if let timesAt { corpus.times = FlatArray(mapped: file, offset: timesAt, count: t) }
        if let basketsAt {
            let baskets = FlatArray<Int32>(mapped: file, offset: basketsAt, count: t)
            try check(baskets, below: .max, allowing: nil, what: "basket number", path: path)
            corpus.baskets = baskets
        }
        if let weightsAt {
            let weights = FlatArray<Float>(mapped: file, offset: weightsAt, count: t)
            try weights.forEachChunk { chunk, start in
                if let j = chunk.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                    throw fail("event weight \(chunk[j]) at token \(start + j) is not a finite non-negative number")
                }
            }
            corpus.weights = weights
        }
        if let contextAt {
            let context = FlatArray<Int32>(mapped: file, offset: contextAt, count: s)
            try check(context, below: Int32(clamping: v), allowing: -1, what: "global-context item", path: path)
            corpus.contextItems = context
        }
        if sequenceIDs, let documentsAt, let documentOffsetsAt, let documentTextAt {
            let sequenceDocuments = FlatArray<Int32>(mapped: file, offset: documentsAt, count: s)
            try check(sequenceDocuments, below: Int32(clamping: d), allowing: nil, what: "sequence id", path: path)
            corpus.sequenceDocuments = sequenceDocuments.array
            corpus.documents = try texts(
                file,
                offsetsAt: documentOffsetsAt,
                textAt: documentTextAt,
                count: d,
                textBytes: documentBytes,
                what: "sequence ids",
                path: path
            )
        }
        return (corpus, description)
    }

    /// Section offsets computed from a header's counts, overflow reported as `nil`.
    private struct Layout {
        var end: Int?
        init(start: Int) { end = start }

        /// Starts a section of `size` bytes at the next multiple of `align`; returns its offset.
        mutating func section(_ size: Int, align: Int = 64) -> Int {
            guard let e = end, let aligned = CheckedSize.sum([[e], [(align - e % align) % align]]),
                let next = CheckedSize.sum([[aligned], [size]])
            else {
                end = nil
                return 0
            }
            end = next
            return aligned
        }
    }

    /// Every value is in `0..<limit` (or equals `allowed`); the pages are given back as it goes.
    private static func check(
        _ values: FlatArray<Int32>,
        below limit: Int32,
        allowing allowed: Int32?,
        what: String,
        path: String
    ) throws {
        try values.forEachChunk { chunk, start in
            if let j = chunk.firstIndex(where: { !($0 >= 0 && $0 < limit) && $0 != allowed }) {
                throw ModelFileError(
                    file: path,
                    "\(what) \(chunk[j]) at position \(start + j) is out of range (0..<\(limit))"
                )
            }
        }
    }

    /// `count` strings: offsets (i64 × count+1) at `offsetsAt`, UTF-8 text at `textAt`.
    private static func texts(
        _ file: MappedFile,
        offsetsAt: Int,
        textAt: Int,
        count: Int,
        textBytes: Int,
        what: String,
        path: String
    ) throws -> [String] {
        let offsets = FlatArray<Int64>(mapped: file, offset: offsetsAt, count: count + 1)
        var strings: [String] = []
        strings.reserveCapacity(count)
        for i in 0..<count {
            let lo = Int(offsets[i])
            let hi = Int(offsets[i + 1])
            guard i > 0 || lo == 0, lo <= hi, hi <= textBytes, i + 1 < count || hi == textBytes else {
                throw ModelFileError(file: path, "\(what): text offsets out of order at entry \(i)")
            }
            let text = UnsafeRawBufferPointer(rebasing: file.bytes[(textAt + lo)..<(textAt + hi)])
            guard let s = String(validating: text, as: UTF8.self) else {
                throw ModelFileError(file: path, "\(what): entry \(i) is not valid UTF-8")
            }
            strings.append(s)
        }
        return strings
    }
}

extension PreparedCorpus {
    /// Reads the prepared corpus at `path` as a reader with `options` would read its input: the
    /// file's corpus, mapped, when `options` filter as `prepare` did; cut to the stricter filter
    /// (``Corpus/restricted(minCount:maxVocab:)``, a copy) when they keep fewer tokens. Refuses a
    /// stale file (its input changed since) and filters that would need tokens `prepare` dropped.
    /// The structural options (format, columns, sequence length) are those given to `prepare`.
    public static func load(path: String, options: ReadOptions) throws -> Corpus {
        try options.validate()
        let (corpus, description) = try read(from: path, sequenceIDs: options.keepSequenceIDs, refusingStale: true)
        let dropped = corpus.rawVocabularySize > corpus.vocabulary.count
        if dropped && options.minCount < description.minCount {
            throw ModelFileError(
                file: path,
                "prepared with --min-count \(description.minCount), which dropped tokens --min-count \(options.minCount) keeps; "
                    + "prepare it again with --min-count \(options.minCount)"
            )
        }
        if let stored = description.maxVocab, dropped, corpus.vocabulary.count == stored,
            options.maxVocab.map({ $0 > stored }) ?? true
        {
            throw ModelFileError(
                file: path,
                "prepared with --max-vocab \(stored), which dropped tokens "
                    + (options.maxVocab.map { "--max-vocab \($0)" } ?? "an unlimited vocabulary")
                    + " keeps; prepare it again"
            )
        }
        return try corpus.restricted(minCount: options.minCount, maxVocab: options.maxVocab)
    }
}
