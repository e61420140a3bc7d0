// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

extension ItemMetadata {
    /// Reads a metadata file and checks that it has rows and every field of `fields`.
    /// - Throws: ``InputError`` naming the file: empty, only a header, or a field missing.
    public static func read(path: String, requiring fields: [String]) throws -> ItemMetadata {
        let metadata = try read(path: path)
        try metadata.check(fields: fields, file: path)
        return metadata
    }

    /// Throws an ``InputError`` naming `file` when the metadata has no rows or lacks one of `fields`.
    public func check(fields required: [String], file: String) throws {
        if fields.isEmpty {
            throw InputError(file: file, "no metadata rows (expected 'item_id<TAB>field<TAB>value' after the header)")
        }
        for f in required where fields[f] == nil {
            throw InputError(file: file, "no field '\(f)' (fields: \(fields.keys.sorted().joined(separator: ", ")))")
        }
    }
}

extension ItemMetadata {
    /// The same side information keyed by each item's index in `items` as text ("0", "1", …), the
    /// tokens evaluation models train on; items not in `items` are left out.
    public func keyedByIndex(of items: [String]) -> ItemMetadata {
        var index: [String: Int] = [:]
        for (i, item) in items.enumerated() { index[item] = i }
        var keyed = ItemMetadata()
        for field in fields.keys.sorted() {
            for (item, values) in fields[field]! {
                guard let i = index[item] else { continue }
                for v in values { keyed.add(item: String(i), field: field, value: v) }
            }
        }
        return keyed
    }
}
