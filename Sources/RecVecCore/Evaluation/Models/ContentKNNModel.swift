// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// The settings of ``ContentKNNModel``: how a token's weight in an item's TF-IDF vector is
/// computed. Which tokens exist (fields, text fields, the minimum count) is Content2vec's
/// ``Content2vecConfig``, shared, so both models see the same content.
public struct ContentKNNConfig: Sendable, Codable, Equatable {
    /// How often a token occurs in an item's metadata counts in its weight.
    public enum TermFrequency: String, Sendable, Codable, CaseIterable {
        /// 1 for every token the item carries, however often (the default).
        case binary
        /// The number of times the item carries it (a tag given by three users counts 3).
        case count
        /// Sublinear: 1 + ln(count).
        case log
    }

    /// The term-frequency part of a token's weight. Default ``TermFrequency/binary``.
    public var termFrequency: TermFrequency = .binary
    /// Multiply by the inverse document frequency ln(N / df), N the items with content and df
    /// those carrying the token (a token every item carries then weighs 0). Default `true`.
    public var idf = true

    /// Settings with the given term frequency and idf (by default binary, with idf).
    public init(termFrequency: TermFrequency = .binary, idf: Bool = true) {
        self.termFrequency = termFrequency
        self.idf = idf
    }
}

/// Content-only item kNN: the cosine between an item's TF-IDF vector of metadata tokens and the
/// recency-weighted sum of the history's vectors. No behaviour is learnt, so items with metadata
/// but no training events (cold items, e.g. those `--hide-items` removes) are scored exactly like
/// the others — the reference a content model's cold-start figures must beat.
///
/// Tokens are Content2vec's: the lower-case words of the text fields
/// (`text:WORD`) and one token per value of the other fields (`text:FIELD=VALUE`), kept when at
/// least `minCount` items of the data set carry them (unlike Content2vec, an item with events
/// need not be among them: nothing is trained). An item's vector holds tf · idf per token,
/// scaled to unit length. A history's profile is Σ w_a · v_a over its items (``HistoryWeighting``:
/// the last n, an item a steps back weighing (1 − decay)^a), and item j scores
/// v_j · profile / ‖profile‖. Scoring walks the postings of the profile's tokens only, so its
/// cost is the number of (token, item) pairs touched, not items × tokens; items sharing no token
/// with the profile get no score (ranked after the others by popularity).
public struct ContentKNNModel: RecommenderModel {
    /// `contentknn`.
    public let name = ContentKNNDefinition.name.rawValue
    /// Item side information, keyed by the data set's item strings.
    public var metadata: ItemMetadata
    /// The metadata fields used; empty = every field.
    public var metadataFields: [String]
    /// Fields cut into lower-case words; the others give one token per value.
    public var textFields: [String]
    /// Tokens carried by fewer items of the data set are dropped.
    public var minCount: Int
    /// The token weights: term frequency and idf.
    public var knn: ContentKNNConfig
    /// How the history's items are weighted in its profile (the last n, the decay).
    public var weighting: HistoryWeighting
    var index: TFIDFIndex?

    /// A model over `metadata`, to be fitted on a data set's items.
    public init(
        metadata: ItemMetadata,
        metadataFields: [String] = [],
        textFields: [String] = ["title"],
        minCount: Int = 2,
        knn: ContentKNNConfig = .init(),
        weighting: HistoryWeighting = .init()
    ) {
        self.metadata = metadata
        self.metadataFields = metadataFields
        self.textFields = textFields
        self.minCount = minCount
        self.knn = knn
        self.weighting = weighting
    }

    /// The settings, for the record (named as the command line's options).
    public var config: [String: String] {
        [
            "last_n": String(weighting.lastN), "decay": String(weighting.decay),
            "content_min_count": String(minCount), "contentknn_tf": knn.termFrequency.rawValue,
            "contentknn_idf": String(knn.idf), "metadata_fields": metadataFields.joined(separator: ","),
            "text_fields": textFields.joined(separator: ","),
        ]
    }

    /// Builds the TF-IDF vectors of the data set's items (all of them: training events play no
    /// part).
    public var usesTimes: Bool { false }

    public mutating func fit(_ data: TrainingData) throws {
        index = try TFIDFIndex(
            items: data.items,
            metadata: metadata,
            fields: metadataFields,
            textFields: textFields,
            minCount: minCount,
            config: knn
        )
    }

    /// Scores the items sharing a token with the history's profile by their cosine with it; `false`
    /// when no item of the history has a vector.
    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let index else { return false }
        var profile: [Int32: Float] = [:]
        for (i, w) in weighting.weights(count: history.count) {
            let item = Int(history[i])
            guard item >= 0 && item < index.itemCount else { continue }
            for k in Int(index.itemOffsets[item])..<Int(index.itemOffsets[item + 1]) {
                profile[index.itemTokens[k], default: 0] += w * index.itemWeights[k]
            }
        }
        // Token order, so that the sums (and ties) do not depend on the dictionary's hashing.
        let tokens = profile.keys.sorted()
        let norm = tokens.reduce(Float(0)) { $0 + profile[$1]! * profile[$1]! }.squareRoot()
        if !(norm > 0) { return false }
        for t in tokens {
            let q = profile[t]! / norm
            for p in Int(index.postingOffsets[Int(t)])..<Int(index.postingOffsets[Int(t) + 1]) {
                let j = Int(index.postingItems[p])
                let old = scores[j]
                scores[j] = (old == -.infinity ? 0 : old) + q * index.postingWeights[p]
            }
        }
        return true
    }
}

/// Unit TF-IDF vectors of items over content tokens, both ways: item → tokens and token → items
/// (the postings), each as compressed sparse rows.
struct TFIDFIndex: Sendable {
    /// The kept tokens, by descending item count, then by text.
    var tokens: [String]
    /// How many items carry each token.
    var documentFrequencies: [Int]
    /// Items with at least one token of the chosen fields (kept or not): the N of the idf.
    var itemsWithContent: Int
    /// Item `i`'s tokens are `itemTokens[itemOffsets[i]..<itemOffsets[i + 1]]`, in token order.
    var itemOffsets: [Int32]
    var itemTokens: [Int32]
    var itemWeights: [Float]
    /// Token `t`'s items are `postingItems[postingOffsets[t]..<postingOffsets[t + 1]]`, by id.
    var postingOffsets: [Int32]
    var postingItems: [Int32]
    var postingWeights: [Float]

    var itemCount: Int { itemOffsets.count - 1 }

    init(
        items: [String],
        metadata: ItemMetadata,
        fields requested: [String],
        textFields: [String],
        minCount: Int,
        config: ContentKNNConfig
    ) throws {
        let fields = requested.isEmpty ? metadata.fields.keys.sorted() : requested
        for f in fields where metadata.fields[f] == nil {
            throw ConfigurationError(
                setting: "metadata_fields",
                "no field '\(f)' in the metadata; it has: \(metadata.fields.keys.sorted().joined(separator: ", "))"
            )
        }
        let text = Set(textFields)
        // Each item's distinct tokens, in order of appearance, with how often it carries them.
        var carried = [[(token: String, count: Int)]](repeating: [], count: items.count)
        var frequencies: [String: Int] = [:]
        var withContent = 0
        for (i, item) in items.enumerated() {
            var position: [String: Int] = [:]
            var row: [(token: String, count: Int)] = []
            func add(_ token: String) {
                if let p = position[token] {
                    row[p].count += 1
                } else {
                    position[token] = row.count
                    row.append((token, 1))
                }
            }
            for f in fields {
                guard let values = metadata.fields[f]?[item] else { continue }
                for value in values {
                    if text.contains(f) {
                        for w in ItemContent.words(value) { add("text:" + w) }
                    } else {
                        add(ItemContent.token(field: f, value: value))
                    }
                }
            }
            if !row.isEmpty { withContent += 1 }
            for (t, _) in row { frequencies[t, default: 0] += 1 }
            carried[i] = row
        }
        let kept = frequencies.filter { $0.value >= max(1, minCount) }
        let tokens = kept.keys.sorted { kept[$0]! != kept[$1]! ? kept[$0]! > kept[$1]! : $0 < $1 }
        var tokenIndex: [String: Int32] = [:]
        for (t, token) in tokens.enumerated() { tokenIndex[token] = Int32(t) }
        let n = Double(withContent)
        let idf = tokens.map { config.idf ? log(n / Double(kept[$0]!)) : 1 }

        var itemOffsets: [Int32] = [0]
        var itemTokens: [Int32] = []
        var itemWeights: [Float] = []
        itemOffsets.reserveCapacity(items.count + 1)
        for row in carried {
            var entries: [(Int32, Double)] = []
            for (token, count) in row {
                guard let t = tokenIndex[token] else { continue }
                let tf: Double
                switch config.termFrequency {
                case .binary: tf = 1
                case .count: tf = Double(count)
                case .log: tf = 1 + log(Double(count))
                }
                let w = tf * idf[Int(t)]
                if w > 0 { entries.append((t, w)) }
            }
            entries.sort { $0.0 < $1.0 }
            let norm = entries.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            for (t, w) in entries {
                itemTokens.append(t)
                itemWeights.append(Float(w / norm))
            }
            itemOffsets.append(Int32(itemTokens.count))
        }

        // Postings: counting sort of the (item, token) pairs by token; items stay in id order.
        var postingOffsets = [Int32](repeating: 0, count: tokens.count + 1)
        for t in itemTokens { postingOffsets[Int(t) + 1] += 1 }
        for t in 0..<tokens.count { postingOffsets[t + 1] += postingOffsets[t] }
        var next = postingOffsets
        var postingItems = [Int32](repeating: 0, count: itemTokens.count)
        var postingWeights = [Float](repeating: 0, count: itemTokens.count)
        for i in 0..<items.count {
            for k in Int(itemOffsets[i])..<Int(itemOffsets[i + 1]) {
                let t = Int(itemTokens[k])
                let p = Int(next[t])
                postingItems[p] = Int32(i)
                postingWeights[p] = itemWeights[k]
                next[t] += 1
            }
        }

        self.tokens = tokens
        documentFrequencies = tokens.map { kept[$0]! }
        itemsWithContent = withContent
        self.itemOffsets = itemOffsets
        self.itemTokens = itemTokens
        self.itemWeights = itemWeights
        self.postingOffsets = postingOffsets
        self.postingItems = postingItems
        self.postingWeights = postingWeights
    }

    /// Item `i`'s vector as (token, weight) pairs, in token order.
    func vector(of item: Int) -> [(token: String, weight: Float)] {
        (Int(itemOffsets[item])..<Int(itemOffsets[item + 1])).map { (tokens[Int(itemTokens[$0])], itemWeights[$0]) }
    }
}
