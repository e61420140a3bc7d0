// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// A read-only array of plain values whose storage is either the process's own (an array it was
/// made from) or a range of a memory-mapped file (a prepared corpus, ``PreparedCorpus``).
///
/// Corpora keep their token ids, sequence offsets and per-event side data in flat arrays; one
/// type for both storages lets a corpus read from text and a corpus mapped from disk go through
/// the same training code. Reading an element costs what reading an `Array`'s does.
public struct FlatArray<Element: BitwiseCopyable & Sendable>: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline let base: UnsafePointer<Element>?
    /// Number of elements.
    public let count: Int
    /// Keeps the storage alive: an `ArrayStorage` or a `MappedFile`.
    private let owner: AnyObject?
    /// Whether the storage is a mapped file (whose pages can be given back, ``releasePages(_:)``).
    public let isMapped: Bool

    /// An array over a copy of nothing: `elements`' own storage, kept alive and never mutated.
    public init(_ elements: [Element]) {
        let storage = ArrayStorage(elements)
        base = storage.base
        count = elements.count
        owner = storage
        isMapped = false
    }

    /// `count` elements at byte `offset` of a mapped file (aligned for `Element`).
    init(mapped file: MappedFile, offset: Int, count: Int) {
        precondition(offset % MemoryLayout<Element>.alignment == 0, "misaligned section")
        precondition(offset + count * MemoryLayout<Element>.stride <= file.bytes.count, "section past the end")
        base = count == 0 ? nil : (file.bytes.baseAddress! + offset).assumingMemoryBound(to: Element.self)
        self.count = count
        owner = file
        isMapped = true
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inlinable
    public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "index out of range")
        return base.unsafelyUnwrapped[i]
    }

    /// Calls `body` with a buffer over the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The elements as an `Array` (a copy).
    public var array: [Element] { withUnsafeBufferPointer { Array($0) } }

    /// Walks `range` (default: every element) in consecutive chunks of at most 16 MB, calling
    /// `body` with each chunk and the index of its first element, and gives each chunk's pages back
    /// (``releasePages(_:)``) once `body` is done with it: a pass over a mapped array never holds
    /// more than one chunk of it in memory.
    public func forEachChunk(
        of range: Range<Int>? = nil,
        _ body: (_ chunk: UnsafeBufferPointer<Element>, _ start: Int) throws -> Void
    ) rethrows {
        let range = range ?? 0..<count
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range out of bounds")
        let step = Swift.max(1, (16 << 20) / MemoryLayout<Element>.stride)
        for lo in stride(from: range.lowerBound, to: range.upperBound, by: step) {
            let hi = Swift.min(range.upperBound, lo + step)
            defer { releasePages(lo..<hi) }
            try body(UnsafeBufferPointer(start: base.map { $0 + lo }, count: hi - lo), lo)
        }
    }

    /// Gives back the memory pages of elements `range` of a mapped array: they leave the process's
    /// resident set (the kernel keeps them in its page cache and reads them again if they are
    /// touched). A no-op for an array in the process's own memory.
    public func releasePages(_ range: Range<Int>) {
        guard isMapped, let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lo = (Int(bitPattern: base + range.lowerBound) + page - 1) / page * page
        let hi = Int(bitPattern: base + range.upperBound) / page * page
        guard hi > lo, let p = UnsafeMutableRawPointer(bitPattern: lo) else { return }
        _ = madvise(p, hi - lo, MADV_DONTNEED)
    }
}

extension FlatArray {
    /// Builds a flat array by appending, in the process's memory or, for arrays as large as a
    /// prepared corpus, in an unlinked temporary file (`$TMPDIR`) that ``finish()`` maps: written
    /// there, the values leave the process's resident set as they are written, and a pass over the
    /// mapped result can give its pages back (``releasePages(_:)``).
    public struct Builder {
        private var elements: [Element] = []
        private let spill: SpillFile<Element>?

        /// A builder in memory.
        public init() { spill = nil }

        /// A builder that writes to a temporary file in `directory` (default `$TMPDIR`, else
        /// `/tmp`) when `spilled` — throwing an ``InputError`` naming the folder when the file
        /// cannot be made — and keeps its values in memory otherwise.
        public init(spilled: Bool, directory: String? = nil) throws {
            spill = spilled ? try SpillFile<Element>(directory: directory ?? SpillFile<Element>.defaultDirectory) : nil
        }

        /// Whether the values go to a temporary file.
        public var isSpilled: Bool { spill != nil }

        /// Number of values appended.
        public var count: Int { spill?.count ?? elements.count }

        /// Reserves room for `n` values (in memory; nothing when spilled).
        public mutating func reserveCapacity(_ n: Int) { if spill == nil { elements.reserveCapacity(n) } }

        /// Appends one value.
        @inline(__always)
        public mutating func append(_ element: Element) {
            if let spill { spill.append(element) } else { elements.append(element) }
        }

        /// Appends `values`, in order.
        public mutating func append<C: Collection>(contentsOf values: C) where C.Element == Element {
            if let spill { spill.append(contentsOf: values) } else { elements.append(contentsOf: values) }
        }

        /// The values appended to a builder in memory, as its array itself (no copy; the builder is
        /// left empty). Not for a spilled builder.
        mutating func takeElements() -> [Element] {
            precondition(spill == nil, "takeElements() on a spilled builder")
            let taken = elements
            elements = []
            return taken
        }

        /// The values appended: the file mapped (the builder is then done) or the array in memory.
        /// Throws an ``InputError`` when the temporary file could not be written (a full disk).
        public func finish() throws -> FlatArray {
            guard let spill else { return FlatArray(elements) }
            return try spill.finish()
        }
    }
}

extension FlatArray: Equatable where Element: Equatable {
    public static func == (a: FlatArray, b: FlatArray) -> Bool { a.elementsEqual(b) }
}

extension FlatArray: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension FlatArray: CustomStringConvertible {
    public var description: String { array.description }
}

/// An array kept alive and never mutated, so that its buffer's address never changes.
private final class ArrayStorage<Element> {
    let elements: [Element]
    let base: UnsafePointer<Element>?

    init(_ elements: [Element]) {
        self.elements = elements
        base = elements.withUnsafeBufferPointer { $0.baseAddress }
    }
}
