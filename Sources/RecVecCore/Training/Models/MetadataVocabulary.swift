// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Items and their side information in one vocabulary (Meta-Prod2Vec): the corpus's items first
/// (same ids), then one token `FIELD=VALUE` per metadata value kept, by descending count.
///
/// A value's count is how often the items carrying it occur in the corpus (Σ of their counts), so
/// one unigram^0.75 table over the joint vocabulary draws items and values in proportion to how
/// often they appear as training targets.
public struct MetadataVocabulary: Sendable {
    /// Items (ids `0..<itemCount`, as in the corpus), then the metadata tokens.
    public var vocabulary: Vocabulary
    public var itemCount: Int
    /// Per item `i`: its metadata token ids are `values[offsets[i]..<offsets[i + 1]]`.
    public var offsets: [Int32]
    public var values: [Int32]
    /// Metadata rows (of the fields used) whose item is not in the vocabulary.
    public var unknownItemRows: Int
    /// Items without any kept value.
    public var itemsWithoutMetadata: Int
    /// Distinct values dropped because their count is below `minCount`.
    public var droppedValues: Int

    /// The token of a metadata value.
    public static func token(field: String, value: String) -> String { field + "=" + value }

    /// - Parameters:
    ///   - items: the corpus vocabulary (items).
    ///   - metadata: side information keyed by the items' token strings.
    ///   - fields: the fields to use (empty = all, sorted by name).
    ///   - minCount: values with a smaller count are dropped.
    ///   - maxValuesPerItem: at most this many values per item, the most frequent first (0 = all).
    /// - Throws: ``ConfigurationError`` when the metadata is empty, a field does not exist, or no
    ///   metadata item is in the vocabulary.
    public init(
        items: Vocabulary,
        metadata: ItemMetadata,
        fields: [String],
        minCount: Int,
        maxValuesPerItem: Int
    ) throws {
        if metadata.fields.isEmpty { throw ConfigurationError(setting: "metadata", "the metadata has no rows") }
        let known = metadata.fields.keys.sorted()
        for f in fields where metadata.fields[f] == nil {
            throw ConfigurationError(
                setting: "metadata_fields",
                "no field '\(f)' in the metadata (fields: \(known.joined(separator: ", ")))"
            )
        }
        let used = fields.isEmpty ? known : fields
        let itemCount = items.count

        // Values per item (deduplicated, in field then file order), as provisional value ids.
        var valueIndex: [String: Int] = [:]
        var valueTokens: [String] = []
        var valueCounts: [Int64] = []
        var perItem = [[Int]](repeating: [], count: itemCount)
        var unknownRows = 0
        var knownItems = Set<Int>()
        for field in used {
            for (item, vals) in metadata.fields[field] ?? [:] {
                guard let id = items.id(of: item) else {
                    unknownRows += vals.count
                    continue
                }
                knownItems.insert(Int(id))
                for v in vals {
                    let token = Self.token(field: field, value: v)
                    let vid: Int
                    if let existing = valueIndex[token] {
                        vid = existing
                    } else {
                        vid = valueTokens.count
                        valueIndex[token] = vid
                        valueTokens.append(token)
                        valueCounts.append(0)
                    }
                    if !perItem[Int(id)].contains(vid) {
                        perItem[Int(id)].append(vid)
                        valueCounts[vid] += items.counts[Int(id)]
                    }
                }
            }
        }
        if knownItems.isEmpty {
            let total = Set(used.flatMap { metadata.fields[$0]?.keys.map { $0 } ?? [] }).count
            throw ConfigurationError(
                setting: "metadata",
                "none of the \(total) items in the metadata is in the vocabulary (ids must match the input's item ids)"
            )
        }

        // Kept values by descending count, ties by token (deterministic: dictionaries are unordered).
        var kept = (0..<valueTokens.count).filter { valueCounts[$0] >= Int64(max(minCount, 1)) }
        kept.sort {
            valueCounts[$0] != valueCounts[$1] ? valueCounts[$0] > valueCounts[$1] : valueTokens[$0] < valueTokens[$1]
        }
        var remap = [Int32](repeating: -1, count: valueTokens.count)
        for (n, v) in kept.enumerated() { remap[v] = Int32(itemCount + n) }

        var offsets: [Int32] = [0]
        var values: [Int32] = []
        var without = 0
        for i in 0..<itemCount {
            var ids = perItem[i].map { remap[$0] }.filter { $0 >= 0 }
            if maxValuesPerItem > 0 && ids.count > maxValuesPerItem {
                ids = Array(ids.sorted().prefix(maxValuesPerItem))  // lower id = more frequent
            }
            if ids.isEmpty { without += 1 }
            values += ids
            offsets.append(Int32(values.count))
        }
        vocabulary = Vocabulary(
            tokens: items.tokens + kept.map { valueTokens[$0] },
            counts: items.counts + kept.map { valueCounts[$0] }
        )
        self.itemCount = itemCount
        self.offsets = offsets
        self.values = values
        unknownItemRows = unknownRows
        itemsWithoutMetadata = without
        droppedValues = valueTokens.count - kept.count
    }

    /// The metadata token ids of item `item`.
    public func values(of item: Int) -> ArraySlice<Int32> { values[Int(offsets[item])..<Int(offsets[item + 1])] }
}
