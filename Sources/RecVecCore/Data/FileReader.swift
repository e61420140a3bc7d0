// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// Reads a file in large chunks with `read(2)`, so that huge corpora never sit in memory whole.
struct ChunkedFile: ~Copyable {
    let path: String
    private let fd: Int32
    /// Size in bytes when the file was opened.
    let size: Int

    init(path: String) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(
                file: path,
                errno == ENOENT ? "no such file" : "cannot read: \(String(cString: strerror(errno)))"
            )
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError(file: path, "is a directory, not a file") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        self.fd = fd
        self.size = Int(info.st_size)
    }

    deinit { close(fd) }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = systemRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError(file: path, "read failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Calls `body` with each line's bytes (without the line break) and its 1-based number.
    /// Lines may be arbitrarily long. A trailing `\r` is removed, and a UTF-8 byte-order mark
    /// at the start of the file.
    func forEachLine(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        let chunk = 1 << 22
        var pending: [UInt8] = []
        var lineNumber = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        func emit(_ line: UnsafeRawBufferPointer) throws {
            lineNumber += 1
            var l = lineNumber == 1 ? droppingByteOrderMark(line) : line
            if let last = l.last, last == 13 { l = UnsafeRawBufferPointer(rebasing: l.dropLast()) }
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

/// `bytes` without the UTF-8 byte-order mark (EF BB BF) some editors and spreadsheet exports put
/// at the start of a file; it is no part of the first token or header field.
func droppingByteOrderMark(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    guard bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF else { return bytes }
    return UnsafeRawBufferPointer(rebasing: bytes[3...])
}

/// Whether `bytes` is well-formed UTF-8.
@inline(__always)
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var allASCII = true
    for b in bytes where b >= 0x80 {
        allASCII = false
        break
    }
    if allASCII { return true }
    return String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil
}
