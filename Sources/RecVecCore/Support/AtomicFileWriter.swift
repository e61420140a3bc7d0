// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Synchronization
internal import _RecVecPlatform

/// Writes a file through a buffered temporary file beside it, renamed into place only once
/// everything is written and flushed: a reader never sees a half-written file, and a failure
/// leaves whatever was there before.
///
/// The temporary file is created exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`, a random name,
/// another one if it exists), so a file or link planted at its name is never written through.
/// A file being replaced keeps its permissions; after the rename the folder is synced, so the
/// new name survives a crash.
///
/// A process killed while writing (`kill -9`, a crash, a power cut) leaves its temporary file,
/// `.NAME.tmp-HOST-PID-RANDOM`, behind. Opening the next temporary file of the same name removes
/// those left by processes of this host that no longer run; it never removes the temporary file
/// of a running process, nor one made on another host (a folder shared over the network), whose
/// processes it cannot see.
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
        "\(folder)/.\(name).tmp-\(host ?? "unknown")-\(getpid())-\(suffix)"
    }

    /// Opens a temporary file named with the suffixes `suffixes` draws (tests choose them).
    init(path: String, suffixes: () -> UInt32) throws {
        self.path = path
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let directory = folder.isEmpty ? "/" : folder
        let name = Self.fileName(path)
        if name.isEmpty { throw ModelFileError(file: path, "not a file name") }
        var info = stat()
        if stat(directory, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw ModelFileError(file: path, "folder '\(folder)' does not exist")
        }
        self.folder = directory
        // The file replaced keeps its permissions; a new one gets 0666 less the umask, as with fopen.
        var existing = stat()
        let keptMode: mode_t? =
            stat(path, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG ? existing.st_mode & 0o7777 : nil
        // Opening, registering and sweeping under one lock: a sweep never sees a temporary file
        // of this process that is not registered yet.
        let opened = try Self.openTemporaries.withLock { live throws(ModelFileError) -> (fd: Int32, path: String) in
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
            live[Self.fileName(opened.path)] = opened.path
            Self.removeStaleTemporaries(folder: directory, name: name, live: Set(live.keys))
            return opened
        }
        temporaryPath = opened.path
        if let keptMode, fchmod(opened.fd, keptMode) != 0 {
            let message = String(cString: strerror(errno))
            close(opened.fd)
            removeTemporary()
            throw ModelFileError(file: path, "cannot keep the file's permissions: \(message)")
        }
        guard let f = fdopen(opened.fd, "wb") else {
            let message = String(cString: strerror(errno))
            close(opened.fd)
            removeTemporary()
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
            removeTemporary()
            throw ModelFileError(file: path, "write failed: \(String(cString: strerror(failure)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            let message = String(cString: strerror(errno))
            removeTemporary()
            throw ModelFileError(file: path, "cannot move the new file into place: \(message)")
        }
        committed = true
        Self.openTemporaries.withLock { _ = $0.removeValue(forKey: Self.fileName(temporaryPath)) }
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
        removeTemporary()
    }

    private func removeTemporary() {
        unlink(temporaryPath)
        Self.openTemporaries.withLock { _ = $0.removeValue(forKey: Self.fileName(temporaryPath)) }
    }
}

// MARK: - Temporary files left behind

extension AtomicFileWriter {
    /// The temporary files this process has open: name (without folder) → path.
    private static let openTemporaries = Mutex<[String: String]>([:])

    /// Removes the temporary files this process has open, for a command stopped by a signal: the
    /// files they were to replace stay as they were. Returns how many it removed.
    @discardableResult
    public static func removeOpenTemporaries() -> Int {
        openTemporaries.withLock { live in
            for path in live.values { unlink(path) }
            defer { live.removeAll() }
            return live.count
        }
    }

    /// This host's name as it appears in temporary names: every byte outside `[A-Za-z0-9-]`
    /// replaced by `-`; `nil` when the system has no name for it (then nothing is swept).
    static let host: String? = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        if bytes.isEmpty { return nil }
        return String(decoding: bytes.map { isHostByte($0) ? $0 : UInt8(ascii: "-") }, as: UTF8.self)
    }()

    private static func isHostByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-")
    }

    static func fileName(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// The host and process that made `entry`, when it is a temporary file of the target `name`
    /// (`.NAME.tmp-HOST-PID-RANDOM`); `nil` for any other name, the form without a host included.
    static func owner(ofTemporary entry: String, target name: String) -> (host: String, pid: pid_t)? {
        let prefix = Array(".\(name).tmp-".utf8)
        let bytes = Array(entry.utf8)
        guard bytes.count > prefix.count, bytes.starts(with: prefix) else { return nil }
        let rest = bytes[prefix.count...]
        let dash = UInt8(ascii: "-")
        guard let last = rest.lastIndex(of: dash), let middle = rest[..<last].lastIndex(of: dash) else { return nil }
        let host = rest[..<middle]
        let process = rest[(middle + 1)..<last]
        let random = rest[(last + 1)...]
        let isNumber = { (part: ArraySlice<UInt8>) in !part.isEmpty && part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard !host.isEmpty, host.allSatisfy(isHostByte), isNumber(process), isNumber(random),
            let pid = pid_t(String(decoding: process, as: UTF8.self)), pid > 0
        else { return nil }
        return (String(decoding: host, as: UTF8.self), pid)
    }

    /// Whether the process that made a temporary file named `entry` of this host is gone: another
    /// process that `kill(pid, 0)` cannot find, or this process's id on a file it did not open
    /// (a process of the same id before it, as in a container restarted).
    static func isLeftBehind(pid: pid_t, entry: String, live: Set<String>) -> Bool {
        if pid == getpid() { return !live.contains(entry) }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes the temporary files of `name` in `folder` whose process, on this host, is gone.
    /// Best effort: a folder that cannot be listed, or a file that cannot be removed, stays as it is.
    static func removeStaleTemporaries(folder: String, name: String, live: Set<String>) {
        guard let host, let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        var stale: [String] = []
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let owner = owner(ofTemporary: entryName, target: name), owner.host == host,
                isLeftBehind(pid: owner.pid, entry: entryName, live: live)
            else { continue }
            stale.append(entryName)
        }
        for entryName in stale {
            let path = "\(folder)/\(entryName)"
            var info = stat()
            if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG { unlink(path) }
        }
    }
}
