// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Side information about items: `item_id field value` rows (a TSV with a header line), e.g. a
/// movie's title, genres and tags. An item may have several values for one field.
public struct ItemMetadata: Sendable {
    /// field → item → values, in file order.
    public private(set) var fields: [String: [String: [String]]] = [:]

    public init() {}

    /// Reads a metadata file; rows need three tab-separated fields.
    public static func read(path: String) throws -> ItemMetadata {
        try ChunkedFile.reading(path) { file in
            if try file.isEmpty() { throw InputError(file: path, "file is empty") }
            var metadata = ItemMetadata()
            var splitter = DelimitedLine(delimiter: 9)
            try file.forEachLine(repeatedHeader: true) { line, number in
                if number == 1 { return }  // header
                if line.isEmpty { return }
                guard isValidUTF8(line) else { throw InputError(file: path, line: number, "invalid UTF-8") }
                _ = splitter.split(line)
                guard splitter.fields.count >= 3 else {
                    throw InputError(file: path, line: number, "expected 3 tab-separated fields: item_id, field, value")
                }
                metadata.add(
                    item: splitter.string(0, of: line),
                    field: splitter.string(1, of: line),
                    value: splitter.string(2, of: line)
                )
            }
            return metadata
        }
    }

    /// Adds one value.
    public mutating func add(item: String, field: String, value: String) {
        fields[field, default: [:]][item, default: []].append(value)
    }

    /// The values of `field` for `item` (empty when none).
    public func values(_ field: String, of item: String) -> [String] { fields[field]?[item] ?? [] }

    /// The first value of `field` for `item`.
    public func value(_ field: String, of item: String) -> String? { fields[field]?[item]?.first }

    /// Items whose `field` equals `value` exactly, or else contains it ignoring case.
    public func items(where field: String, matches value: String) -> [String] {
        guard let map = fields[field] else { return [] }
        let exact = map.filter { $0.value.contains(value) }.map(\.key).sorted()
        if !exact.isEmpty { return exact }
        let lowered = value.lowercased()
        return map.filter { $0.value.contains { $0.lowercased().contains(lowered) } }.map(\.key).sorted()
    }
}
