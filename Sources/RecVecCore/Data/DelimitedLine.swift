// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Splits one line of a TSV or CSV file into fields, in place, without allocating per field.
///
/// CSV fields may be quoted (RFC 4180): `"a, b"` and `"say ""hi"""`; quoted fields that span
/// lines are not supported. TSV fields are taken as they are.
struct DelimitedLine {
    let delimiter: UInt8
    let quoting: Bool
    /// Byte ranges of the fields of the last split line (quotes stripped).
    private(set) var fields: [Range<Int>] = []
    /// Whether the field holds doubled quotes that must be unescaped.
    private(set) var escaped: [Bool] = []

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        self.quoting = delimiter == UInt8(ascii: ",") || delimiter == UInt8(ascii: ";")
    }

    /// Splits `line`; returns `false` when a quoted field is not closed.
    mutating func split(_ line: UnsafeRawBufferPointer) -> Bool {
        fields.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        var i = 0
        let n = line.count
        while true {
            if quoting && i < n && line[i] == UInt8(ascii: "\"") {
                var j = i + 1
                var hasEscape = false
                var closed = false
                while j < n {
                    if line[j] == UInt8(ascii: "\"") {
                        if j + 1 < n && line[j + 1] == UInt8(ascii: "\"") {
                            hasEscape = true
                            j += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    j += 1
                }
                if !closed { return false }
                fields.append((i + 1)..<j)
                escaped.append(hasEscape)
                i = j + 1
                while i < n && line[i] != delimiter { i += 1 }  // tolerate junk after the closing quote
            } else {
                var j = i
                while j < n && line[j] != delimiter { j += 1 }
                fields.append(i..<j)
                escaped.append(false)
                i = j
            }
            if i >= n { break }
            i += 1  // skip the delimiter
            if i == n {
                fields.append(n..<n)
                escaped.append(false)
                break
            }
        }
        return true
    }

    /// Calls `body` with the bytes of field `k` of `line`, unescaping doubled quotes if needed.
    func withField<R>(
        _ k: Int,
        of line: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        let raw = UnsafeRawBufferPointer(rebasing: line[fields[k]])
        if !escaped[k] { return try body(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            i += (raw[i] == UInt8(ascii: "\"") && i + 1 < raw.count && raw[i + 1] == UInt8(ascii: "\"")) ? 2 : 1
        }
        return try out.withUnsafeBytes(body)
    }

    /// The text of field `k` of `line`, trimmed of spaces.
    func string(_ k: Int, of line: UnsafeRawBufferPointer) -> String {
        withField(k, of: line) { String(decoding: $0, as: UTF8.self) }.trimmingSpaces()
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
