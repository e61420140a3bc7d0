// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Writes a file through a buffered temporary file beside it, renamed into place only once
/// everything is written and flushed: a reader never sees a half-written file, and a failure
/// leaves whatever was there before.
///
/// The temporary file is created exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`, a random name,
/// another one if it exists), so a file or link planted at its name is never written through.
/// A file being replaced keeps its permissions; after the rename the folder is synced, so the
/// new name survives a crash.
public final class AtomicFileWriter {
    public let path: String
    private let folder: String
    private let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private var crc = CRC32()
    private var committed = false

    /// Opens a temporary file in the destination's folder.
    public convenience init(path: String) throws {
        try self.init(path: path, suffixes: { UInt32.random(in: 0...UInt32.max) })
    }

    /// The temporary file beside `name` in `folder` for the random `suffix`.
    static func temporaryPath(folder: String, name: String, suffix: UInt32) -> String {
        "\(folder)/.\(name).tmp-\(getpid())-\(suffix)"
    }

    /// Opens a temporary file named with the suffixes `suffixes` draws (tests choose them).
    init(path: String, suffixes: () -> UInt32) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if name.isEmpty { throw ModelFileError(file: path, "not a file name") }
        var info = stat()
        if stat(folder.isEmpty ? "/" : folder, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw ModelFileError(file: path, "folder '\(folder)' does not exist")
        }
        self.folder = folder.isEmpty ? "/" : folder
        // The file replaced keeps its permissions; a new one gets 0666 less the umask, as with fopen.
        var existing = stat()
        let keptMode: mode_t? =
            stat(path, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG ? existing.st_mode & 0o7777 : nil
        var opened: (fd: Int32, path: String)? = nil
        for _ in 0..<100 {
            let candidate = Self.temporaryPath(folder: folder, name: name, suffix: suffixes())
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            if fd >= 0 {
                opened = (fd, candidate)
                break
            }
            if errno != EEXIST {
                throw ModelFileError(file: path, "cannot write: \(String(cString: strerror(errno)))")
            }
        }
        guard let opened else {
            throw ModelFileError(file: path, "cannot write: no free name for a temporary file in '\(folder)'")
        }
        temporaryPath = opened.path
        if let keptMode, fchmod(opened.fd, keptMode) != 0 {
            let message = String(cString: strerror(errno))
            close(opened.fd)
            unlink(opened.path)
            throw ModelFileError(file: path, "cannot keep the file's permissions: \(message)")
        }
        guard let f = fdopen(opened.fd, "wb") else {
            let message = String(cString: strerror(errno))
            close(opened.fd)
            unlink(opened.path)
            throw ModelFileError(file: path, "cannot write: \(message)")
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
        // The first error is the one reported: fclose after a failed flush fails again, maybe otherwise.
        var failure: Int32 = 0
        if fflush(f) != 0 || fsync(fileno(f)) != 0 { failure = errno }
        if fclose(f) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporaryPath)
            throw ModelFileError(file: path, "write failed: \(String(cString: strerror(failure)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ModelFileError(file: path, "cannot move the new file into place: \(message)")
        }
        committed = true
        try syncFolder()
    }

    /// Makes the rename durable: syncs the folder's entry list. A folder that cannot be opened
    /// for reading, or a file system that cannot sync folders (EINVAL), is left as it is.
    private func syncFolder() throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            throw ModelFileError(
                file: path,
                "the new file is in place, but its folder could not be synced: \(String(cString: strerror(errno)))"
            )
        }
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
