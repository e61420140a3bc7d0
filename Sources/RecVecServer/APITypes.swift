// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RecVecCore

// The JSON bodies of the API (docs/openapi.yaml describes them). Keys are snake_case.

/// One answered item.
struct ItemResult: Encodable, Equatable {
    var id: String
    var label: String
    var score: Float
}

struct SimilarRequest: Decodable {
    var items: [String]?
    var k: Int?
}

struct SimilarResponse: Encodable {
    var query: [String]
    var items: [ItemResult]
}

struct RecommendRequest: Decodable {
    var history: [String]?
    var k: Int?
    var scoring: String?
    var lastN: Int?
    var decay: Double?
    var excludeHistory: Bool?
    var ignoreUnknown: Bool?

    enum CodingKeys: String, CodingKey {
        case history, k, scoring, decay
        case lastN = "last_n"
        case excludeHistory = "exclude_history"
        case ignoreUnknown = "ignore_unknown"
    }
}

struct RecommendResponse: Encodable {
    var history: [String]
    var unknown: [String]
    var scoring: String
    /// `embedding`, or `popularity` when the history gave nothing to go on.
    var source: String
    var items: [ItemResult]
}

struct AnalogyRequest: Decodable {
    var a: String?
    var b: String?
    var c: String?
    var k: Int?
}

struct AnalogyResponse: Encodable {
    var a: String
    var b: String
    var c: String
    var items: [ItemResult]
}

struct VectorResponse: Encodable {
    var id: String
    var label: String
    var kind: String
    var dim: Int
    var vector: [Float]
}

struct SearchResponse: Encodable {
    var query: String
    var items: [ItemResult]
}

struct MapPoint: Encodable {
    var id: String
    var label: String
    var x: Float
    var y: Float
    var group: String?

    enum CodingKeys: String, CodingKey { case id, label, x, y, group }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(label, forKey: .label)
        try c.encode(x, forKey: .x)
        try c.encode(y, forKey: .y)
        try c.encode(group, forKey: .group)  // null, not absent, when the item has no value
    }
}

struct MapResponse: Encodable {
    var field: String?
    var points: [MapPoint]
    var groups: [String]
    /// Variance of the points along x and y.
    var variances: [Double]

    enum CodingKeys: String, CodingKey { case field, points, groups, variances }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(field, forKey: .field)
        try c.encode(points, forKey: .points)
        try c.encode(groups, forKey: .groups)
        try c.encode(variances, forKey: .variances)
    }
}

struct HealthResponse: Encodable {
    var status: String
    var items: Int
    var loadedAt: Date

    enum CodingKeys: String, CodingKey {
        case status, items
        case loadedAt = "loaded_at"
    }
}

/// What /v1/info and /admin/reload say about the model being served.
struct ModelInfo: Encodable {
    /// The model file's name (not where it is: clients see no file system paths).
    var file: String
    /// The metadata file's name.
    var metadata: String?
    var labelField: String
    var loadedAt: Date
    var vocabulary: Int
    var items: Int
    var dim: Int
    var hasOutputVectors: Bool
    var scorings: [String]
    var index: String
    var sections: [TokenSection]
    /// The training hyperparameters, as the model file stores them.
    var config: TrainingConfig

    enum CodingKeys: String, CodingKey {
        case file, metadata, vocabulary, items, dim, scorings, index, sections, config
        case labelField = "label_field"
        case loadedAt = "loaded_at"
        case hasOutputVectors = "has_output_vectors"
    }

    init(_ m: ServingModel) {
        file = PathRedaction.fileName(m.source.modelPath)
        metadata = m.source.metadataPath.map(PathRedaction.fileName)
        labelField = m.source.labelField
        loadedAt = m.loadedAt
        vocabulary = m.vocabulary.count
        items = m.itemCount
        dim = m.model.dim
        hasOutputVectors = m.model.output != nil
        scorings = RecommendationScoring.allCases.filter { m.recommenders[$0] != nil }.map(\.rawValue)
        index = m.index.kind
        sections = m.model.sections
        config = m.model.config
    }
}

struct InfoResponse: Encodable {
    var model: ModelInfo
}

struct ReloadResponse: Encodable {
    var status: String
    var model: ModelInfo
}
