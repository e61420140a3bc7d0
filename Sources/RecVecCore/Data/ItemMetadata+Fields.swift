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
        if fields.isEmpty { throw InputError(file: file, "no metadata rows (expected 'item_id<TAB>field<TAB>value' after the header)") }
        for f in required where fields[f] == nil {
            throw InputError(file: file, "no field '\(f)' (fields: \(fields.keys.sorted().joined(separator: ", ")))")
        }
    }
}
