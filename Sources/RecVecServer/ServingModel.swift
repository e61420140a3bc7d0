// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RecVecCore
import Synchronization

/// Where a served model comes from: the model file, and optionally a metadata file whose
/// `labelField` values label the items (e.g. MovieLens titles).
public struct ModelSource: Sendable, Equatable {
    public var modelPath: String
    public var metadataPath: String?
    public var labelField: String

    public init(modelPath: String, metadataPath: String? = nil, labelField: String = "title") {
        self.modelPath = modelPath
        self.metadataPath = metadataPath
        self.labelField = labelField
    }
}

/// One loaded model with everything the endpoints derive from it, immutable once built.
///
/// The server holds the current one in a ``ModelStore``; a reload builds a new one off the request
/// path and swaps the reference, so a request keeps the instance it started with until it ends.
public final class ServingModel: Sendable {
    public let source: ModelSource
    public let model: EmbeddingModel
    public let metadata: ItemMetadata?
    public let loadedAt: Date
    /// Similarity search over the items (exact, or an approximate index when the file has one).
    let index: any NeighborIndex
    let neighbors: NearestNeighbors
    /// One recommender per scoring the model supports (dual needs output vectors, sequence a network).
    let recommenders: [RecommendationScoring: EmbeddingRecommender]
    /// Item labels by id (the metadata's label field, else the id), and their lowercased forms for search.
    let labels: [String]
    let lowercasedIDs: [String]
    let lowercasedLabels: [String]
    /// 2-D maps already computed, by number of items (one of ``mapSizes``, or the item count).
    private let projections = Mutex<[Int: Projection]>([:])

    /// Reads the model (and metadata) files; throws what the core throws for a bad file.
    public static func load(_ source: ModelSource) throws -> ServingModel {
        let model = try ModelFile.read(from: source.modelPath)
        let metadata = try source.metadataPath.map { try ItemMetadata.read(path: $0) }
        return try ServingModel(source: source, model: model, metadata: metadata)
    }

    public init(source: ModelSource, model: EmbeddingModel, metadata: ItemMetadata?, loadedAt: Date = Date()) throws {
        self.source = source
        self.model = model
        self.metadata = metadata
        self.loadedAt = loadedAt
        neighbors = NearestNeighbors(model: model)
        let (index, search) = loadNeighborIndex(
            model: model,
            modelPath: source.modelPath,
            neighbors: neighbors,
            warn: { Self.warn($0) }
        )
        self.index = index
        var recommenders = [
            RecommendationScoring.cosine: try EmbeddingRecommender(model: model, scoring: .cosine, search: search)
        ]
        if model.output != nil { recommenders[.dual] = try EmbeddingRecommender(model: model, scoring: .dual) }
        if model.network != nil { recommenders[.sequence] = try EmbeddingRecommender(model: model, scoring: .sequence) }
        self.recommenders = recommenders
        let tokens = model.vocabulary.tokens
        labels = (0..<model.itemCount).map { metadata?.value(source.labelField, of: tokens[$0]) ?? tokens[$0] }
        lowercasedIDs = tokens[0..<model.itemCount].map { $0.lowercased() }
        lowercasedLabels = labels.map { $0.lowercased() }
    }

    /// One line on stderr (a stale or corrupt index: the model is served with exact search).
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    public var vocabulary: Vocabulary { model.vocabulary }
    public var itemCount: Int { model.itemCount }

    /// The label of token `id`: the metadata label of an item, else the token itself.
    func label(of id: Int32) -> String {
        Int(id) < labels.count ? labels[Int(id)] : model.vocabulary.tokens[Int(id)]
    }

    /// The label of `token`.
    func label(of token: String) -> String {
        model.vocabulary.id(of: token).map { label(of: $0) } ?? token
    }

    /// Up to `limit` tokens close to an unknown `text`: ids within a small edit distance, else
    /// the most popular items whose label contains it (ignoring case). Text longer than
    /// ``maxSuggestionLength`` characters gets none.
    func suggestions(for text: String, limit: Int = 3) -> [String] {
        guard text.utf8.count <= Self.maxSuggestionLength else { return [] }
        let close = vocabulary.suggestions(for: text, limit: limit)
        if !close.isEmpty || text.isEmpty { return close }
        let needle = text.lowercased()
        return lowercasedLabels.indices.lazy.filter { self.lowercasedLabels[$0].contains(needle) }.prefix(limit)
            .map { self.vocabulary.tokens[$0] }
    }

    /// The longest text (in UTF-8 bytes) that ``suggestions(for:limit:)`` looks for.
    static let maxSuggestionLength = 256

    /// The numbers of items the 2-D maps are computed for: a request's limit is rounded up to one of
    /// them (and to the item count) and its map cut from that one, so at most this many are cached.
    static let mapSizes = [100, 500, 1000, 2000, 5000, 10_000, 20_000]

    /// The map of the most popular items (ids `0..<n`: the vocabulary is ordered by count) whose
    /// first `limit` points are the map of the first `limit` items: `n` is the smallest of
    /// ``mapSizes`` that is at least `limit`, or the item count when that is smaller.
    func projection(covering limit: Int) -> Projection {
        let rows = min(Self.mapSizes.first { $0 >= limit } ?? limit, itemCount)
        if let cached = projections.withLock({ $0[rows] }) { return cached }
        let p = Projection(matrix: model.input, rows: Array(0..<rows))
        projections.withLock { $0[rows] = p }
        return p
    }

    /// The numbers of items of the maps computed so far.
    var cachedMapSizes: [Int] { projections.withLock { $0.keys.sorted() } }
}
