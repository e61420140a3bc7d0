// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// A whole file mapped read-only into memory (no copy, pages loaded on demand).
final class MappedFile {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let isMapped: Bool

    init(path: String) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ModelFileError(file: path, errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ModelFileError(file: path, "is a directory, not a file") }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            isMapped = false
            return
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ModelFileError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw ModelFileError(file: path, "cannot map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: p, count: size)
        isMapped = true
    }

    /// The first `size` bytes of the open file `descriptor` (which the caller still closes),
    /// mapped read-only; `name` names it in errors.
    init(descriptor: Int32, size: Int, name: String) throws {
        path = name
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let p, p != MAP_FAILED else {
            throw ModelFileError(file: name, "cannot map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: p, count: size)
        isMapped = true
    }

    deinit {
        if isMapped, let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

/// Reads little-endian values from a byte buffer, throwing a clear error past the end.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    let file: String
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    var remaining: Int { bytes.count - offset }

    mutating func take(_ n: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw ModelFileError(file: file, "truncated file (while reading \(what))") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
        let b = try take(MemoryLayout<T>.size, what)
        return T(littleEndian: b.loadUnaligned(as: T.self))
    }
}

/// Sizes computed from numbers a file states, with overflow reported instead of trapping: a
/// hostile header can claim any count.
enum CheckedSize {
    /// The sum of the products of `terms` (each term a list of factors), or `nil` when a factor
    /// is negative or anything overflows `Int`.
    static func sum(_ terms: [[Int]]) -> Int? {
        var total = 0
        for factors in terms {
            var product = 1
            for f in factors {
                guard f >= 0 else { return nil }
                let (p, overflow) = product.multipliedReportingOverflow(by: f)
                if overflow { return nil }
                product = p
            }
            let (t, overflow) = total.addingReportingOverflow(product)
            if overflow { return nil }
            total = t
        }
        return total
    }
}
