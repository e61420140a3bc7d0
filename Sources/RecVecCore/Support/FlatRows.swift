// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Rows of varying length kept in two flat arrays — every row's values one after the other, and
/// the offsets where each row starts — instead of one heap array per row.
///
/// Evaluation holds its data, its training split and the times of their events this way: 4 bytes
/// an item id (8 a time) and 8 bytes a row, where an `[[Int32]]` costs a heap block of 48 bytes
/// or more per row on top. Rows read from a prepared corpus stay in the mapped file
/// (``init(values:offsets:)`` over its arrays, nothing copied). Each row is a ``FlatRow``: a
/// zero-based view into the shared values.
public struct FlatRows<Element: BitwiseCopyable & Sendable>: RandomAccessCollection, Sendable {
    /// Every row's values, row after row.
    public let values: FlatArray<Element>
    /// `offsets[i]..<offsets[i + 1]` is row `i` of ``values``; `offsets.count == count + 1`.
    public let offsets: FlatArray<Int>

    /// Rows over flat arrays (e.g. a prepared corpus's tokens and sequence offsets).
    public init(values: FlatArray<Element>, offsets: FlatArray<Int>) {
        precondition(offsets.first == 0 && offsets.last == values.count, "offsets must span the values")
        self.values = values
        self.offsets = offsets
    }

    /// Rows copied from nested arrays.
    public init(_ rows: [[Element]]) {
        var builder = Builder()
        for row in rows { builder.append(row) }
        self = builder.rows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { offsets.count - 1 }

    /// Row `i`: a view of its values, indexed from 0.
    public subscript(i: Int) -> FlatRow<Element> {
        let lo = offsets[i]
        return FlatRow(values, lo..<offsets[i + 1])
    }

    /// Number of values in all rows.
    public var valueCount: Int { values.count }

    /// The rows as nested arrays (a copy: for tests and small data).
    public var nested: [[Element]] { map { Array($0) } }

    /// Whether `other` has rows of the same lengths as these (per-event data parallel to events).
    public func isParallel<Other>(to other: FlatRows<Other>) -> Bool {
        offsets.count == other.offsets.count && offsets.elementsEqual(other.offsets)
    }

    /// Gives back the memory pages of rows `range` of mapped rows once a pass has read them
    /// (``FlatArray/releasePages(_:)``); a no-op for rows in the process's own memory.
    public func releasePages(rows range: Range<Int>) {
        guard values.isMapped, !range.isEmpty else { return }
        values.releasePages(offsets[range.lowerBound]..<offsets[range.upperBound])
        offsets.releasePages(range)
    }

    /// Calls `body` with each row's index and row, in order, giving back the mapped pages of the rows
    /// walked — and of the same rows of `parallel` (their events' times) — every 2^18 rows and at the
    /// end (``releasePages(rows:)``): a pass over mapped rows holds only the stretch it is in.
    public func forEachRow(
        alongside parallel: FlatRows<Double>? = nil,
        _ body: (_ index: Int, _ row: FlatRow<Element>) throws -> Void
    ) rethrows {
        var released = 0
        for i in 0..<count {
            if i - released == 1 << 18 {
                releasePages(rows: released..<i)
                parallel?.releasePages(rows: released..<i)
                released = i
            }
            try body(i, self[i])
        }
        releasePages(rows: released..<count)
        parallel?.releasePages(rows: released..<count)
    }

    /// Builds rows by appending them one at a time, in the process's memory or — for rows as
    /// large as a prepared corpus — in temporary files mapped by ``finish()`` (``init(spilled:)``).
    public struct Builder {
        private var values: FlatArray<Element>.Builder
        private var offsets: FlatArray<Int>.Builder

        /// A builder in memory.
        public init() {
            try! self.init(spilled: false)  // only a temporary file can fail
        }

        /// A builder whose rows go to temporary files when `spilled`
        /// (``FlatArray/Builder/init(spilled:directory:)``), in memory otherwise.
        public init(spilled: Bool) throws {
            values = try FlatArray<Element>.Builder(spilled: spilled)
            offsets = try FlatArray<Int>.Builder(spilled: spilled)
            offsets.append(0)
        }

        /// A builder stored as `rows` are: in temporary files when they are mapped (rows derived
        /// from a prepared corpus stay out of memory as it does), in memory otherwise.
        public init<Other>(storedLike rows: FlatRows<Other>) throws {
            try self.init(spilled: rows.values.isMapped)
        }

        /// Whether the rows go to temporary files.
        public var isSpilled: Bool { values.isSpilled }

        /// Reserves room for `values` values and `rows` rows (in memory; nothing when spilled).
        public mutating func reserve(values: Int, rows: Int) {
            self.values.reserveCapacity(values)
            offsets.reserveCapacity(rows + 1)
        }

        /// Appends one row.
        public mutating func append<C: Collection>(_ row: C) where C.Element == Element {
            values.append(contentsOf: row)
            offsets.append(values.count)
        }

        /// Number of rows appended so far.
        public var count: Int { offsets.count - 1 }

        /// The rows appended, of a builder in memory.
        public var rows: FlatRows {
            precondition(!isSpilled, "a spilled builder's rows come from finish()")
            return try! finish()  // cannot throw in memory
        }

        /// The rows appended (mapped from the temporary files of a spilled builder, which is then
        /// done); throws when a temporary file could not be written.
        public func finish() throws -> FlatRows {
            FlatRows(values: try values.finish(), offsets: try offsets.finish())
        }
    }
}

extension FlatRows: Equatable where Element: Equatable {
    public static func == (a: FlatRows, b: FlatRows) -> Bool { a.isParallel(to: b) && a.values == b.values }
}

extension FlatRows: ExpressibleByArrayLiteral {
    public init(arrayLiteral rows: [Element]...) { self.init(rows) }
}

extension FlatRows: CustomStringConvertible {
    public var description: String { nested.description }
}

/// One row of a ``FlatRows`` (or any contiguous range of a ``FlatArray``), indexed from 0.
public struct FlatRow<Element: BitwiseCopyable & Sendable>: RandomAccessCollection, Sendable {
    @usableFromInline let base: FlatArray<Element>
    @usableFromInline let start: Int
    /// Number of values.
    public let count: Int

    /// Values `range` of `base`.
    public init(_ base: FlatArray<Element>, _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= base.count, "row out of bounds")
        self.base = base
        start = range.lowerBound
        count = range.count
    }

    /// A row of its own values.
    public init(_ values: [Element]) { self.init(FlatArray(values), 0..<values.count) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inlinable
    public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "index out of range")
        return base[start + i]
    }

    /// The first `n` values (at most all of them), sharing the storage.
    public func prefix(_ n: Int) -> FlatRow { FlatRow(base, start..<start + Swift.min(Swift.max(0, n), count)) }

    /// All values but the last, sharing the storage (empty stays empty).
    public func droppingLast() -> FlatRow { prefix(count - 1) }
}

extension FlatRow: Equatable where Element: Equatable {
    public static func == (a: FlatRow, b: FlatRow) -> Bool { a.elementsEqual(b) }
}

extension FlatRow: ExpressibleByArrayLiteral {
    public init(arrayLiteral values: Element...) { self.init(values) }
}

extension FlatRow: CustomStringConvertible {
    public var description: String { Array(self).description }
}
