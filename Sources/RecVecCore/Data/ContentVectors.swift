// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Precomputed dense content features of items (image embeddings, audio descriptors, text
/// encoders…): one line per item, `item v1 v2 … vF`, fields separated by spaces or tabs, every
/// line with the same number of values. There is no header line; empty lines are skipped.
///
/// Content2vec maps them into the item space with a learned linear projection.
public struct ContentVectors: Sendable {
    /// Item ids, in file order.
    public private(set) var items: [String]
    /// Number of values per item (F).
    public let dimension: Int
    /// Row-major values, `items.count × dimension`.
    public private(set) var values: [Float]
    private var index: [String: Int]

    /// Creates feature vectors from rows of equal length; `items` must be distinct.
    public init(items: [String], rows: [[Float]]) {
        precondition(items.count == rows.count && !rows.isEmpty)
        let f = rows[0].count
        precondition(rows.allSatisfy { $0.count == f } && f > 0)
        self.items = items
        dimension = f
        values = rows.flatMap { $0 }
        index = Dictionary(items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The row of `item`, if the file has one.
    public func row(of item: String) -> Int? { index[item] }

    /// The values of row `r`.
    public func vector(_ r: Int) -> ArraySlice<Float> { values[(r * dimension)..<((r + 1) * dimension)] }

    /// Reads a content-vectors file.
    ///
    /// Errors name the file and line: an empty file, a line with only an item id, a line whose
    /// number of values differs from the first line's, a value that is not a finite number (its
    /// 1-based field, counting the item id as field 1), an item listed twice.
    public static func read(path: String) throws -> ContentVectors {
        try ChunkedFile.reading(path) { file in
            if try file.isEmpty() { throw InputError(file: path, "file is empty: expected lines 'item v1 v2 ...'") }
            var items: [String] = []
            var values: [Float] = []
            var dimension = 0
            var firstLine = 0
            var index: [String: Int] = [:]
            var number = [CChar](repeating: 0, count: 64)
            try file.forEachLine { line, lineNumber in
                var i = 0
                let n = line.count
                func nextField() -> Range<Int>? {
                    while i < n && (line[i] == 32 || line[i] == 9) { i += 1 }
                    if i >= n { return nil }
                    let s = i
                    while i < n && line[i] != 32 && line[i] != 9 { i += 1 }
                    return s..<i
                }
                guard let itemRange = nextField() else { return }  // empty line
                let itemBytes = UnsafeRawBufferPointer(rebasing: line[itemRange])
                guard isValidUTF8(itemBytes) else {
                    throw InputError(file: path, line: lineNumber, "invalid UTF-8 in the item id")
                }
                let item = String(decoding: itemBytes, as: UTF8.self)
                var count = 0
                while let r = nextField() {
                    count += 1
                    let text = { String(decoding: UnsafeRawBufferPointer(rebasing: line[r]), as: UTF8.self) }
                    guard r.count < 63 else {
                        throw InputError(
                            file: path,
                            line: lineNumber,
                            "field \(count + 1) '\(text().prefix(40))' is not a number"
                        )
                    }
                    for (k, b) in line[r].enumerated() { number[k] = CChar(bitPattern: b) }
                    number[r.count] = 0
                    let value: Float? = number.withUnsafeBufferPointer { p in
                        var end: UnsafeMutablePointer<CChar>? = nil
                        let v = strtof(p.baseAddress!, &end)
                        return end == UnsafeMutablePointer(mutating: p.baseAddress! + r.count) && v.isFinite ? v : nil
                    }
                    guard let value else {
                        throw InputError(file: path, line: lineNumber, "field \(count + 1) '\(text())' is not a number")
                    }
                    values.append(value)
                }
                if count == 0 {
                    throw InputError(
                        file: path,
                        line: lineNumber,
                        "item '\(item)' has no values: expected 'item v1 v2 ...'"
                    )
                }
                if dimension == 0 {
                    dimension = count
                    firstLine = lineNumber
                } else if count != dimension {
                    throw InputError(
                        file: path,
                        line: lineNumber,
                        "\(count) values, but line \(firstLine) has \(dimension): every item needs the same number"
                    )
                }
                if index[item] != nil {
                    throw InputError(file: path, line: lineNumber, "item '\(item)' is listed twice")
                }
                index[item] = items.count
                items.append(item)
            }
            if items.isEmpty { throw InputError(file: path, "no vectors: expected lines 'item v1 v2 ...'") }
            var result = ContentVectors(items: [items[0]], rows: [Array(values[0..<dimension])])
            result.items = items
            result.values = values
            result.index = index
            return result
        }
    }
}
