// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// The content of every item Content2vec embeds, as ids and dense rows ready for training.
///
/// Items: those of the corpus ("warm", ids `0..<warmCount`, in the corpus's order), then the items
/// that have content but no events ("cold", sorted by id). Content tokens: the words of text
/// fields (`text:WORD`, lower case) and the values of the other metadata fields
/// (`text:FIELD=VALUE`, whitespace as `_`), each kept when at least `minCount` items carry it, one of them with events,
/// ordered by that count.
/// An item's token vectors are averaged with equal weights, or with weights proportional to each
/// token's inverse document frequency (`idf`). Dense features per item: the content vector (scaled
/// to unit length), then — with pretrained word vectors — the same weighted mean of the item's
/// tokens' unit pretrained vectors; both are mapped into the item
/// space by one learned projection. Items without any content keep their behaviour vector only.
struct ItemContent {
    /// Item ids: warm, then cold.
    var items: [String]
    var warmCount: Int
    /// Content tokens (`text:…`), and how many items carry each.
    var words: [String]
    var wordCounts: [Int64]
    /// CSR: the tokens of item `i` are `wordIDs[wordOffsets[i]..<wordOffsets[i + 1]]` (distinct),
    /// with their weights in the item's content vector in `wordWeights` (summing to 1 per item).
    var wordOffsets: [Int32]
    var wordIDs: [Int32]
    var wordWeights: [Float]
    /// CSR: the kept tokens of item `i` in the order the metadata gives them (fields in the order
    /// requested, words in reading order, repeats kept) are
    /// `sequenceIDs[sequenceOffsets[i]..<sequenceOffsets[i + 1]]` — what a convolution reads.
    var sequenceOffsets: [Int32]
    var sequenceIDs: [Int32]
    /// Row-major `items.count × featureCount` dense features (zero rows for items without any).
    var features: [Float]
    /// Values per item from the content-vectors file (the first block of `features`).
    var contentDimension: Int
    /// Values per item from pretrained word vectors (the second block of `features`).
    var pretrainedDimension: Int
    /// Row-major `words.count × pretrainedDimension`: each token's unit pretrained vector (zero
    /// when the file has none for it).
    var pretrained: [Float]
    /// One line saying what was built.
    var summary: String

    var featureCount: Int { contentDimension + pretrainedDimension }

    /// Builds the content of the corpus's `items` and of every item with content.
    ///
    /// - Parameters:
    ///   - fields: metadata fields used; empty = every field of `metadata`.
    ///   - textFields: fields cut into words; the others give one token per value.
    init(
        items warm: [String],
        metadata: ItemMetadata?,
        fields requested: [String],
        textFields: [String],
        minCount: Int,
        weighting: Content2vecConfig.TokenWeighting = .mean,
        vectors: ContentVectors?,
        wordVectors: EmbeddingModel?
    ) throws {
        // Metadata tokens per item.
        var fields = requested
        if let metadata {
            if fields.isEmpty { fields = metadata.fields.keys.sorted() }
            for f in fields where metadata.fields[f] == nil {
                throw ConfigurationError(
                    setting: "metadata_fields",
                    "no field '\(f)' in the metadata; it has: \(metadata.fields.keys.sorted().joined(separator: ", "))"
                )
            }
        } else {
            fields = []
        }
        let text = Set(textFields)
        var tokensOf: [String: [String]] = [:]
        for f in fields {
            for (item, values) in metadata!.fields[f]! {
                var tokens = tokensOf[item, default: []]
                for value in values {
                    if text.contains(f) {
                        for w in Self.words(value) { tokens.append("text:" + w) }
                    } else {
                        tokens.append(Self.token(field: f, value: value))
                    }
                }
                tokensOf[item] = tokens
            }
        }
        // Distinct tokens per item, in order; count the items carrying each token, and those of
        // them with events: a token no item with events carries never receives a gradient — it
        // would stay at zero and only dilute the mean of the cold items that carry it.
        let warmSet = Set(warm)
        let ordered = tokensOf
        var itemCounts: [String: Int] = [:]
        var warmCounts: [String: Int] = [:]
        for (item, tokens) in tokensOf {
            var seen = Set<String>()
            let distinct = tokens.filter { seen.insert($0).inserted }
            tokensOf[item] = distinct
            let isWarm = warmSet.contains(item)
            for t in distinct {
                itemCounts[t, default: 0] += 1
                if isWarm { warmCounts[t, default: 0] += 1 }
            }
        }
        let kept = itemCounts.filter { $0.value >= minCount && warmCounts[$0.key] != nil }
        let words = kept.keys.sorted { kept[$0]! != kept[$1]! ? kept[$0]! > kept[$1]! : $0 < $1 }
        var wordIndex: [String: Int32] = [:]
        for (i, w) in words.enumerated() { wordIndex[w] = Int32(i) }

        // Cold items: content (a kept token or a feature row) but no events.
        var cold = Set<String>()
        for (item, tokens) in tokensOf where !warmSet.contains(item) && tokens.contains(where: { wordIndex[$0] != nil })
        {
            cold.insert(item)
        }
        var unknown = 0
        if let vectors {
            for item in vectors.items where !warmSet.contains(item) {
                cold.insert(item)
                if !fields.contains(where: { metadata?.fields[$0]?[item] != nil }) { unknown += 1 }
            }
        }
        let items = warm + cold.sorted()

        var offsets: [Int32] = [0]
        var ids: [Int32] = []
        var weights: [Float] = []
        offsets.reserveCapacity(items.count + 1)
        let carriers = Double(max(1, tokensOf.count))
        for item in items {
            let start = ids.count
            for t in tokensOf[item] ?? [] {
                guard let id = wordIndex[t] else { continue }
                ids.append(id)
                // idf: log(items with metadata / items carrying the token), at least a small weight.
                weights.append(weighting == .idf ? Float(max(0.1, log(carriers / Double(kept[t]!)))) : 1)
            }
            let total = weights[start...].reduce(0, +)
            for k in start..<ids.count { weights[k] /= total }
            offsets.append(Int32(ids.count))
        }

        var sequenceOffsets: [Int32] = [0]
        var sequenceIDs: [Int32] = []
        sequenceOffsets.reserveCapacity(items.count + 1)
        for item in items {
            for t in ordered[item] ?? [] { if let id = wordIndex[t] { sequenceIDs.append(id) } }
            sequenceOffsets.append(Int32(sequenceIDs.count))
        }

        // Pretrained vectors of the tokens (unit length), by the token's text.
        let pd = wordVectors?.dim ?? 0
        var pretrained = [Float](repeating: 0, count: words.count * pd)
        var found = 0
        if let wordVectors {
            for (w, token) in words.enumerated() {
                if let v = Self.pretrainedVector(for: token, in: wordVectors) {
                    for k in 0..<pd { pretrained[w * pd + k] = v[k] }
                    found += 1
                }
            }
        }

        // Dense features: [unit content vector | mean unit pretrained vector of the item's tokens].
        let cd = vectors?.dimension ?? 0
        let fc = cd + pd
        var features = [Float](repeating: 0, count: items.count * fc)
        if fc > 0 {
            for (i, item) in items.enumerated() {
                let base = i * fc
                if let vectors, let r = vectors.row(of: item) {
                    let v = vectors.vector(r)
                    let norm = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                    if norm > 0 { for (k, x) in v.enumerated() { features[base + k] = x / norm } }
                }
                let lo = Int(offsets[i])
                let hi = Int(offsets[i + 1])
                if pd > 0 && hi > lo {
                    for t in lo..<hi {
                        let w = Int(ids[t])
                        for k in 0..<pd { features[base + cd + k] += weights[t] * pretrained[w * pd + k] }
                    }
                }
            }
        }

        self.items = items
        warmCount = warm.count
        self.words = words
        wordCounts = words.map { Int64(kept[$0]!) }
        wordOffsets = offsets
        wordIDs = ids
        wordWeights = weights
        self.sequenceOffsets = sequenceOffsets
        self.sequenceIDs = sequenceIDs
        self.features = features
        contentDimension = cd
        pretrainedDimension = pd
        self.pretrained = pretrained

        var withoutContent = 0
        for i in 0..<warm.count where offsets[i + 1] == offsets[i] && (vectors?.row(of: warm[i]) == nil) {
            withoutContent += 1
        }
        var parts = [
            "content2vec: \(items.count) items (\(warm.count) with events, \(cold.count) cold: content only)",
            "\(words.count) content tokens from \(fields.isEmpty ? "no metadata" : fields.joined(separator: ","))"
                + " (\(itemCounts.count - words.count) on fewer than \(minCount) items or on none with events dropped)",
        ]
        if cd > 0 { parts.append("\(cd) feature values per item for \(vectors!.items.count) items") }
        if pd > 0 { parts.append("pretrained vectors for \(found) of \(words.count) tokens") }
        if withoutContent > 0 { parts.append("\(withoutContent) items with events have no content (behaviour only)") }
        if unknown > 0 {
            parts.append(
                "\(unknown) content-vector rows name items in neither the events nor the metadata (kept as cold items)"
            )
        }
        summary = parts.joined(separator: "; ")
    }

    /// The token of a non-text field's value: `text:FIELD=VALUE`, whitespace turned into `_` (so
    /// that the token can be typed in a query and written to word2vec files).
    static func token(field: String, value: String) -> String {
        "text:\(field)=" + String(value.map { $0.isWhitespace ? "_" : $0 })
    }

    /// The lower-case words of a text value: runs of letters and digits.
    static func words(_ value: String) -> [String] {
        value.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// The unit pretrained vector of a content token: its text as it is, then in lower case, then
    /// the mean of its words' vectors (for values such as "dark comedy"); `nil` when none is known.
    static func pretrainedVector(for token: String, in model: EmbeddingModel) -> [Float]? {
        var text = Substring(token.dropFirst("text:".count))
        if let eq = text.firstIndex(of: "=") { text = text[text.index(after: eq)...] }
        let candidates = [String(text), text.lowercased()]
        var sum = [Float](repeating: 0, count: model.dim)
        var n = 0
        if let id = candidates.lazy.compactMap({ model.vocabulary.id(of: $0) }).first {
            sum = model.input.vector(Int(id))
            n = 1
        } else {
            for w in words(String(text)) {
                guard let id = model.vocabulary.id(of: w) else { continue }
                let v = model.input.vector(Int(id))
                for k in 0..<model.dim { sum[k] += v[k] }
                n += 1
            }
        }
        if n == 0 { return nil }
        let norm = sum.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? sum.map { $0 / norm } : nil
    }
}
