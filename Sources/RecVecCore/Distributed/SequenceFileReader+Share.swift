// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

extension SequenceFileReader {
    /// Whether ``readShare(path:options:group:)`` can split `path` by byte ranges: one plain
    /// (not gzip) regular file. Standard input, directories of parts and compressed files are read
    /// whole by every process instead (or prepared once with `recvec prepare`).
    public static func canShare(_ path: String) -> Bool {
        guard path != "-" else { return false }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        guard let file = try? RangeFile(path: path) else { return false }
        var magic: [UInt8] = [0, 0]
        let n = (try? magic.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }) ?? 0
        return !(n == 2 && magic == [0x1F, 0x8B])
    }

    /// Reads this process's share of the `sequences` file `path`: the lines that start in its
    /// part of the bytes (the file split into `group.size` byte ranges, each moved to the next
    /// line start), with the vocabulary of the whole file — each process counts its lines'
    /// tokens, the counts are combined across the processes (an all-gather of each one's distinct
    /// tokens and counts, merged in rank order so that ties break as one reader's would), and every
    /// process keeps the same tokens with the same ids as ``read(path:options:)`` gives.
    ///
    /// The result's ``Corpus/processShare`` is set; its ``Corpus/rawTokenCount`` counts the whole
    /// file. An error names the file and its line (counted from the file's start).
    public static func readShare(path: String, options: ReadOptions, group: any ProcessGroup) throws -> Corpus {
        try options.validate()
        let file = try RangeFile(path: path)
        if file.size == 0 { throw InputError(file: path, "file is empty") }
        let share = group.share(of: file.size)
        let first = try file.lineStart(atOrAfter: share.lowerBound)
        let end = try file.lineStart(atOrAfter: share.upperBound)
        var start = first
        if start == 0 && start < end {
            // A UTF-8 byte-order mark is not part of the first token (as the whole-file reader skips it).
            var head: [UInt8] = [0, 0, 0]
            let n = try head.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
            if n == 3 && head == [0xEF, 0xBB, 0xBF] { start = min(3, end) }
        }
        let lineIDs = options.keepSequenceIDs && !options.firstTokenIsID
        // Line numbers before this share: counted only when the lines are the ids, or for an error.
        let linesBefore = { () throws -> Int in try file.newlines(before: start) }
        var builder = CorpusBuilder(maxSequenceLength: options.maxSequenceLength, expectedTokens: (end - start) / 2 + 1)
        do {
            var position = start
            try parse(path: path, options: options, firstLine: lineIDs ? try linesBefore() + 1 : 1, into: &builder) {
                let n = try file.read(
                    into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<min($0.count, end - position)]),
                    at: position
                )
                position += n
                return n
            }
        } catch var error as InputError {
            if !lineIDs, let line = error.line { error.line = line + (try linesBefore()) }
            throw error
        }
        builder.endSequence()

        // The whole file's vocabulary: every process's distinct tokens with their counts, merged
        // in rank order — the order of first appearance in the file, as one reader interns them.
        let local = builder.interner
        let lists = try group.allGather(Self.encode(local))
        var merged = TokenInterner(capacity: local.count)
        var toMerged: [Int32] = []
        var isNew = false
        for (rank, list) in lists.enumerated() {
            try Self.decode(list, file: path) { token, count in
                let id = merged.intern(token, isNew: &isNew)
                merged.counts[Int(id)] += count - 1
                if rank == group.rank { toMerged.append(id) }
            }
        }
        var totals: [Int64] = [Int64(builder.tokens.count)]
        try totals.withUnsafeMutableBufferPointer { try group.allReduceSum($0.baseAddress!, count: 1) }
        if totals[0] == 0 { throw InputError(file: path, "no tokens in the input") }
        builder.tokens.withUnsafeMutableBufferPointer { t in
            for i in t.indices { t[i] = toMerged[Int(t[i])] }
        }
        builder.interner = merged
        var corpus = try builder.finish(
            minCount: options.minCount,
            maxVocab: options.maxVocab,
            file: path,
            allowEmpty: true
        )
        corpus.rawTokenCount = Int(totals[0])
        corpus.processShare = ProcessShare(rank: group.rank, size: group.size, bytes: first..<end)
        return corpus
    }

    /// `interner`'s tokens in id order as bytes: for each, its length (UInt32), bytes and count (Int64).
    static func encode(_ interner: TokenInterner) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(interner.arena.count + interner.count * 12)
        for id in 0..<interner.count {
            let token = interner.arena[interner.starts[id]..<interner.starts[id + 1]]
            withUnsafeBytes(of: UInt32(token.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: token)
            withUnsafeBytes(of: interner.counts[id].littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Calls `body` with each token and count of an ``encode(_:)``d list.
    static func decode(_ bytes: [UInt8], file: String, _ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            var at = 0
            while at < raw.count {
                guard at + 4 <= raw.count else { throw InputError(file: file, "a process sent a damaged token list") }
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                guard at + 4 + length + 8 <= raw.count else {
                    throw InputError(file: file, "a process sent a damaged token list")
                }
                let count = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 4 + length, as: Int64.self))
                try body(UnsafeRawBufferPointer(rebasing: raw[(at + 4)..<(at + 4 + length)]), count)
                at += 4 + length + 8
            }
        }
    }
}

/// Which part of an input a corpus holds, when each process of a ``ProcessGroup`` read its own
/// (``SequenceFileReader/readShare(path:options:group:)``).
public struct ProcessShare: Sendable, Equatable {
    /// The process that read it, and how many read the input together.
    public var rank: Int
    public var size: Int
    /// The bytes of the file it read (from a line start to a line start).
    public var bytes: Range<Int>
}

/// A regular file read at given offsets (`pread`), for splitting it by byte ranges.
final class RangeFile {
    let path: String
    let size: Int
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        if descriptor < 0 { throw InputError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        if fstat(descriptor, &info) != 0 {
            close(descriptor)
            throw InputError(file: path, "cannot read its size: \(String(cString: strerror(errno)))")
        }
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// `offset` when a line starts there (the file's start, or just after a line break), else the
    /// start of the next line (or the file's size): where a byte range split at `offset` begins.
    func lineStart(atOrAfter offset: Int) throws -> Int {
        if offset <= 0 { return 0 }
        if offset >= size { return size }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var at = offset - 1
        while at < size {
            let n = try chunk.withUnsafeMutableBytes { try read(into: $0, at: at) }
            if let i = chunk[0..<n].firstIndex(of: 10) { return at + i + 1 }
            at += n
        }
        return size
    }

    /// Line breaks in the bytes before `offset`.
    func newlines(before offset: Int) throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var (at, count) = (0, 0)
        while at < offset {
            let n = try chunk.withUnsafeMutableBytes {
                try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<min($0.count, offset - at)]), at: at)
            }
            if n == 0 { break }
            for b in chunk[0..<n] where b == 10 { count += 1 }
            at += n
        }
        return count
    }
}
