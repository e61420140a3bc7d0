// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// The bytes of one input file — a file on disk or standard input — decompressed on the fly when
/// they are gzip (told by the first two bytes, 1f 8b, whatever the name), without a UTF-8
/// byte-order mark at the start.
final class PartStream {
    private enum Origin {
        case descriptor(Int32)
        case standardInput
        /// Standard input looked at, not consumed (format detection).
        case standardInputPeek
    }

    /// The name errors give.
    let name: String
    private let origin: Origin
    /// Raw bytes read ahead: the first bytes (for detection), then gzip input.
    private let staging: UnsafeMutableRawBufferPointer
    private var stagedStart = 0
    private var stagedEnd = 0
    private var rawAtEnd = false
    private var peekOffset = 0
    private var inflater: GzipInflater?
    /// A gzip member has started and not ended.
    private var memberOpen = false
    private var isFirstChunk = true
    /// Bytes read from the origin so far (compressed bytes for gzip).
    private(set) var rawBytesRead = 0

    /// Opens `path` (`-` for standard input; `peek` looks at standard input without consuming it).
    init(path: String, peek: Bool = false) throws {
        if path == "-" {
            name = StandardInput.displayName
            if peek {
                origin = .standardInputPeek
            } else {
                try StandardInput.shared.claim()
                origin = .standardInput
            }
        } else {
            name = path
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw InputError(
                    file: path,
                    errno == ENOENT ? "no such file" : "cannot open: \(String(cString: strerror(errno)))"
                )
            }
            origin = .descriptor(fd)
        }
        staging = .allocate(byteCount: 1 << 20, alignment: 16)
        // Enough bytes to tell gzip and a byte-order mark (short reads happen on pipes).
        while stagedEnd < 3 && !rawAtEnd { try refill() }
        if stagedEnd >= 2 && staging[0] == 0x1F && staging[1] == 0x8B {
            inflater = try GzipInflater(file: name)
            memberOpen = true
        }
    }

    deinit {
        if case .descriptor(let fd) = origin { close(fd) }
        staging.deallocate()
    }

    /// Appends raw bytes to the staging buffer, after moving what is left of it to its start.
    private func refill() throws {
        if stagedStart > 0 {
            let left = stagedEnd - stagedStart
            if left > 0 { staging.baseAddress!.copyMemory(from: staging.baseAddress! + stagedStart, byteCount: left) }
            stagedStart = 0
            stagedEnd = left
        }
        guard stagedEnd < staging.count, !rawAtEnd else { return }
        let n = try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: staging[stagedEnd...]))
        if n == 0 { rawAtEnd = true }
        stagedEnd += n
    }

    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n: Int
        switch origin {
        case .descriptor(let fd): n = try RawDescriptor.read(fd, into: buffer, file: name)
        case .standardInput: n = try StandardInput.shared.read(into: buffer)
        case .standardInputPeek:
            n = try StandardInput.shared.peek(at: peekOffset, into: buffer)
            peekOffset += n
        }
        rawBytesRead += n
        return n
    }

    /// Reads up to `buffer.count` bytes; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var n = inflater == nil ? try readPlain(into: buffer) : try readGzip(into: buffer)
        if isFirstChunk && n > 0 {
            isFirstChunk = false
            if n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
                let base = buffer.baseAddress!
                base.copyMemory(from: base + 3, byteCount: n - 3)
                n -= 3
                if n == 0 { return try read(into: buffer) }
            }
        }
        return n
    }

    private func readPlain(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if stagedStart < stagedEnd {
            let n = min(buffer.count, stagedEnd - stagedStart)
            buffer.baseAddress!.copyMemory(from: staging.baseAddress! + stagedStart, byteCount: n)
            stagedStart += n
            return n
        }
        if rawAtEnd { return 0 }
        return try readRaw(into: buffer)
    }

    private func readGzip(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let inflater else { return 0 }
        let truncated = InputError(file: name, "truncated gzip data (the compressed stream ends early)")
        while true {
            if stagedStart == stagedEnd {
                try refill()
                if stagedStart == stagedEnd {
                    if memberOpen { throw truncated }
                    return 0
                }
            }
            if !memberOpen {
                try inflater.reset()  // the bytes after a member start the next one
                memberOpen = true
            }
            let input = UnsafeRawBufferPointer(rebasing: staging[stagedStart..<stagedEnd])
            let r = try inflater.inflate(input, into: buffer)
            stagedStart += r.consumed
            if r.status == .endOfMember { memberOpen = false }
            if r.produced > 0 { return r.produced }
            if r.status == .ok && r.consumed == 0 {
                // zlib needs more input than is staged.
                if rawAtEnd { throw truncated }
                let before = stagedEnd - stagedStart
                try refill()
                if stagedEnd - stagedStart == before && !rawAtEnd {
                    throw InputError(file: name, "corrupt gzip data (no progress)")
                }
            }
        }
    }
}
