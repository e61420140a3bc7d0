// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// An append-only array kept in an unlinked temporary file instead of the process's memory, then
/// mapped as a ``FlatArray``.
///
/// Evaluation over a prepared corpus derives arrays as large as the corpus — the training part
/// of a split, the model's renumbered copy of it — that are written once, front to back, and then
/// read in passes. Kept in anonymous memory they cost 4 bytes an event each for as long as they
/// live; written here they leave the process's resident set at once (the kernel holds the pages
/// in its cache, or writes them out) and, once mapped, a pass gives its pages back as it walks
/// (``FlatArray/releasePages(_:)``), as with a prepared corpus.
///
/// The file is created in `directory` (by default `$TMPDIR`, else `/tmp`) and unlinked at once:
/// nothing is left behind, whatever ends the process, and its disk space is freed when the last
/// ``FlatArray`` over it goes. Write errors (a full disk) are kept and thrown by ``finish()``.
final class SpillFile<Element: BitwiseCopyable & Sendable> {
    private var fd: Int32
    private let buffer: UnsafeMutablePointer<Element>
    private let capacity: Int
    private var buffered = 0
    private var failure: String?
    /// The folder holding the (unlinked) file, for messages.
    let directory: String
    /// Number of elements appended.
    private(set) var count = 0

    /// The folder spill files go to: `$TMPDIR` when set, else `/tmp`.
    static var defaultDirectory: String {
        if let t = getenv("TMPDIR"), t.pointee != 0 {
            let path = String(cString: t)
            return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        }
        return "/tmp"
    }

    /// Creates the file in `directory`, or throws an ``InputError`` naming it.
    init(directory: String = SpillFile.defaultDirectory) throws {
        self.directory = directory
        var template = Array((directory + "/recvec-spill-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else {
            throw InputError(
                file: directory,
                "cannot create a temporary file: \(String(cString: strerror(errno))) (set TMPDIR to a writable folder)"
            )
        }
        fd = made
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        capacity = Swift.max(1, (1 << 20) / MemoryLayout<Element>.stride)
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if fd >= 0 { close(fd) }
    }

    /// Appends one element.
    @inline(__always)
    func append(_ element: Element) {
        buffer[buffered] = element
        buffered += 1
        count += 1
        if buffered == capacity { flush() }
    }

    /// Appends the elements of `elements`, in order.
    func append<C: Collection>(contentsOf elements: C) where C.Element == Element {
        for e in elements { append(e) }
    }

    /// Writes the buffer out; the first error is kept for ``finish()`` and later writes skipped.
    private func flush() {
        defer { buffered = 0 }
        guard failure == nil, buffered > 0 else { return }
        var raw = UnsafeRawPointer(buffer)
        var left = buffered * MemoryLayout<Element>.stride
        while left > 0 {
            let n = write(fd, raw, left)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                failure = n < 0 ? String(cString: strerror(errno)) : "nothing written"
                return
            }
            raw += n
            left -= n
        }
    }

    /// The elements appended, mapped from the file (which closes; nothing can be appended after).
    func finish() throws -> FlatArray<Element> {
        precondition(fd >= 0, "finish() called twice")
        flush()
        defer {
            close(fd)
            fd = -1
        }
        if let failure {
            throw InputError(
                file: directory,
                "cannot write a temporary file: \(failure) (set TMPDIR to a folder with more room)"
            )
        }
        if count == 0 { return FlatArray([]) }
        let file = try MappedFile(descriptor: fd, size: count * MemoryLayout<Element>.stride, name: directory)
        return FlatArray(mapped: file, offset: 0, count: count)
    }
}
