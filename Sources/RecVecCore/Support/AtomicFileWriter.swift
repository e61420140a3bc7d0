// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Writes a file through a buffered temporary file beside it, renamed into place only once
/// everything is written and flushed: a reader never sees a half-written file, and a failure
/// leaves whatever was there before.
public final class AtomicFileWriter {
    public let path: String
    private let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private var crc = CRC32()
    private var committed = false

    /// Opens a temporary file in the destination's folder.
    public init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if name.isEmpty { throw ModelFileError(file: path, "not a file name") }
        var info = stat()
        if stat(folder.isEmpty ? "/" : folder, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw ModelFileError(file: path, "folder '\(folder)' does not exist")
        }
        temporaryPath = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard let f = fopen(temporaryPath, "wb") else {
            throw ModelFileError(file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
        file = f
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !committed { discard() }
    }

    /// CRC-32 of everything written so far.
    public var checksum: UInt32 { crc.value }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        crc.update(bytes)
        if buffer.count + bytes.count > (1 << 20) { try flushBuffer() }
        if bytes.count >= (1 << 20) {
            try put(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    public func write(_ text: String) throws {
        var t = text
        try t.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a little-endian integer.
    public func write<T: FixedWidthInteger>(_ value: T) throws {
        var v = value.littleEndian
        try withUnsafeBytes(of: &v) { try write($0) }
    }

    private func put(_ bytes: UnsafeRawBufferPointer) throws {
        guard let file else { throw ModelFileError(file: path, "already closed") }
        if bytes.count > 0 && fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count {
            throw ModelFileError(file: path, "write failed: \(String(cString: strerror(errno)))")
        }
    }

    private func flushBuffer() throws {
        try buffer.withUnsafeBytes { try put($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file to ``path``.
    public func commit() throws {
        try flushBuffer()
        guard let f = file else { throw ModelFileError(file: path, "already closed") }
        file = nil
        let ok = fflush(f) == 0 && fsync(fileno(f)) == 0
        let closed = fclose(f) == 0
        guard ok && closed else {
            unlink(temporaryPath)
            throw ModelFileError(file: path, "write failed: \(String(cString: strerror(errno)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ModelFileError(file: path, "cannot move the new file into place: \(message)")
        }
        committed = true
    }

    /// Deletes the temporary file.
    public func discard() {
        if let f = file {
            fclose(f)
            file = nil
        }
        unlink(temporaryPath)
    }
}
