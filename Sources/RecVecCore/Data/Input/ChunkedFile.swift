// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Reads an input in large chunks, so that huge corpora never sit in memory whole: a file, `-` for
/// standard input, or a directory of part files (see ``PartFiles``), each part plain or gzip.
///
/// The parts read as one stream of lines (a part that does not end with a line break gets one).
/// Readers throw errors naming `path` and the line in that stream; ``relocate(_:)`` turns them into
/// the part file and its own line (``reading(_:_:)`` does it for them).
final class ChunkedFile {
    /// The input's path as the user gave it.
    let path: String
    /// The files read, in order.
    let parts: [String]
    /// Bytes on disk (compressed for gzip parts, 0 for standard input): for reserving capacity.
    let size: Int
    private let peek: Bool
    private var index = -1
    private var stream: PartStream?
    private var lastByte: UInt8 = 10
    /// Lines completed so far (counted when there are several parts, or the path is a directory).
    private var newlines = 0
    private let countsLines: Bool
    /// The line of the stream each opened part starts at (1-based).
    private(set) var partFirstLines: [Int] = []
    /// Bytes read ahead by ``isEmpty()``.
    private var lookahead: [UInt8] = []
    /// Progress reports (``ReadProgress/observer`` when the file was opened).
    private let observer: (@Sendable (ReadProgress) -> Void)?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant
    private var reported = false
    /// Raw bytes of the parts already read through.
    private var finishedPartBytes = 0
    private let interval: Duration

    /// Opens `path`; `peek` looks at standard input without consuming it.
    init(path: String, peek: Bool = false) throws {
        self.path = path
        self.peek = peek
        parts = try PartFiles.resolve(path)
        countsLines = parts != [path] && path != "-"
        var total = 0
        for p in parts where p != "-" {
            var info = stat()
            if stat(p, &info) == 0 { total += Int(info.st_size) }
        }
        size = total
        observer = peek ? nil : ReadProgress.observer
        interval = ReadProgress.interval
        start = clock.now
        lastReport = start
    }

    deinit {
        if reported { report(finished: true) }
    }

    private func report(finished: Bool) {
        guard let observer else { return }
        let elapsed = start.duration(to: clock.now).components
        observer(
            ReadProgress(
                path: path,
                bytesRead: finishedPartBytes + (stream?.rawBytesRead ?? 0),
                totalBytes: path == "-" ? 0 : size,
                elapsedSeconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18,
                finished: finished
            )
        )
    }

    /// Opens `path`, runs `body`, and relocates the ``InputError``s it throws to the part and line.
    static func reading<T>(_ path: String, _ body: (ChunkedFile) throws -> T) throws -> T {
        let file = try ChunkedFile(path: path)
        do {
            return try body(file)
        } catch let error as InputError {
            throw file.relocate(error)
        }
    }

    /// Whether the input holds no bytes at all (every part empty).
    func isEmpty() throws -> Bool {
        if lookahead.isEmpty && index < 0 {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = try chunk.withUnsafeMutableBytes { try readParts(into: $0) }
            lookahead = Array(chunk[0..<n])
            return n == 0
        }
        return false
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the last part.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !lookahead.isEmpty {
            let n = min(buffer.count, lookahead.count)
            lookahead.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            lookahead.removeFirst(n)
            return n
        }
        return try readParts(into: buffer)
    }

    /// Reads until `buffer` is full or the input ends (pipes and decompression return short reads).
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    private func readParts(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if stream == nil {
                if index + 1 >= parts.count { return 0 }
                if index >= 0 && lastByte != 10 {
                    // The part before ended without a line break: its last line ends here.
                    buffer[0] = 10
                    lastByte = 10
                    newlines += 1
                    return 1
                }
                index += 1
                stream = try PartStream(path: parts[index], peek: peek)
                partFirstLines.append(newlines + 1)
            }
            let n = try stream!.read(into: buffer)
            if observer != nil {
                let now = clock.now
                if now - lastReport >= interval {
                    lastReport = now
                    reported = true
                    report(finished: false)
                }
            }
            if n == 0 {
                finishedPartBytes += stream!.rawBytesRead
                stream = nil
                continue
            }
            lastByte = buffer[n - 1]
            if countsLines {
                var c = 0
                for b in UnsafeRawBufferPointer(rebasing: buffer[0..<n]) where b == 10 { c += 1 }
                newlines += c
            }
            return n
        }
    }

    /// `error` (thrown naming ``path`` and a line of the stream) naming the part file and its own
    /// line; standard input is called `<stdin>`.
    func relocate(_ error: InputError) -> InputError {
        guard error.file == path else { return error }
        var e = error
        if path == "-" {
            e.file = StandardInput.displayName
            return e
        }
        guard countsLines else { return e }
        if let line = e.line, let k = partFirstLines.lastIndex(where: { $0 <= line }) {
            e.file = parts[k]
            e.line = line - partFirstLines[k] + 1
        } else if parts.count == 1 {
            e.file = parts[0]
        }
        return e
    }

    /// Calls `body` with each line's bytes (without the line break) and its 1-based number in the
    /// stream. Lines may be arbitrarily long; a trailing `\r` is removed. With `repeatedHeader`, the
    /// first line of every part after the first must equal the first part's (the header a job writes
    /// into each part) and is skipped.
    func forEachLine(repeatedHeader: Bool = false, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let chunk = 1 << 22
        var pending: [UInt8] = []
        var lineNumber = 0
        var header: [UInt8]? = nil
        var part = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        func emit(_ line: UnsafeRawBufferPointer) throws {
            lineNumber += 1
            var l = line
            if let last = l.last, last == 13 { l = UnsafeRawBufferPointer(rebasing: l.dropLast()) }
            if repeatedHeader && parts.count > 1 {
                if lineNumber == 1 { header = Array(l) }
                while part + 1 < partFirstLines.count && partFirstLines[part + 1] <= lineNumber { part += 1 }
                if part > 0 && partFirstLines[part] == lineNumber {
                    guard let header, header.elementsEqual(l) else {
                        throw InputError(
                            file: path,
                            line: lineNumber,
                            "the header differs from the first part's (\(parts[0])): every part needs the same header"
                        )
                    }
                    return
                }
            }
            try body(l, lineNumber)
        }
        while true {
            let n = try read(into: buffer)
            if n == 0 { break }
            var start = 0
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            while let nl = bytes[start...].firstIndex(of: 10) {
                if pending.isEmpty {
                    try emit(UnsafeRawBufferPointer(rebasing: bytes[start..<nl]))
                } else {
                    pending.append(contentsOf: bytes[start..<nl])
                    try pending.withUnsafeBytes { try emit($0) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = nl + 1
            }
            if start < n { pending.append(contentsOf: bytes[start..<n]) }
        }
        if !pending.isEmpty { try pending.withUnsafeBytes { try emit($0) } }
    }
}
