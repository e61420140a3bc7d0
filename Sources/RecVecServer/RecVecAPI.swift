// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import RecVecCore

/// The endpoints: each handler takes the current model once and answers from it alone.
struct RecVecAPI: Sendable {
    let store: ModelStore
    let maxBodyBytes: Int
    /// The most ids one query may name.
    let maxIDs: Int
    /// Where CPU-heavy requests run (see ``offload(_:)``).
    let compute: ComputeLimiter
    /// Who may call /admin/*.
    let admin: AdminGuard
    static let kRange = 1...1000
    static let searchLimitRange = 1...1000
    static let mapLimitRange = 1...20_000
    /// A `k` or a number of ids above which a query is CPU-heavy, and is offloaded.
    static let heavyCount = 100

    var metrics: ServerMetrics { store.metrics }

    /// Registers every route on `router`.
    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in try Self.resource("explorer.html", contentType: "text/html; charset=utf-8") }
        router.get("/health") { _, _ in
            let m = store.current
            return try JSONResponse.make(HealthResponse(status: "ok", items: m.itemCount, loadedAt: m.loadedAt))
        }
        router.get("/metrics") { _, _ in metricsResponse() }
        router.get("/openapi.yaml") { _, _ in
            try Self.resource("openapi.yaml", contentType: "application/yaml; charset=utf-8")
        }
        router.get("/v1/info") { _, _ in try JSONResponse.make(InfoResponse(model: ModelInfo(store.current))) }
        router.get("/v1/similar") { request, _ in
            let q = request.uri.queryParameters
            let items = q.getAll("item").map { String($0) }
            try checkCount(items, "item")
            let k = try Self.k(q["k"].map { String($0) })
            return try await answer(heavy: k > Self.heavyCount || items.count > Self.heavyCount) {
                try similar(items, k: k)
            }
        }
        router.post("/v1/similar") { request, _ in
            let body = try await decode(SimilarRequest.self, from: request)
            let items = body.items ?? []
            try checkCount(items, "items")
            let k = try Self.k(body.k)
            return try await answer(heavy: k > Self.heavyCount || items.count > Self.heavyCount) {
                try similar(items, k: k)
            }
        }
        router.post("/v1/recommend") { request, _ in
            let body = try await decode(RecommendRequest.self, from: request)
            let history = body.history ?? []
            try checkCount(history, "history")
            return try await answer(heavy: (body.k ?? 0) > Self.heavyCount || history.count > Self.heavyCount) {
                try recommend(body)
            }
        }
        router.post("/v1/analogy") { request, _ in
            let body = try await decode(AnalogyRequest.self, from: request)
            return try await answer(heavy: (body.k ?? 0) > Self.heavyCount) { try analogy(body) }
        }
        router.get("/v1/vector/{id}") { _, context in try vector(try context.parameters.require("id")) }
        router.get("/v1/search") { request, _ in
            let q = request.uri.queryParameters
            guard let text = q["q"].map({ String($0) }), !text.isEmpty else {
                throw APIError.badRequest("missing query parameter 'q'")
            }
            let limit = try Self.integer(
                q["limit"].map { String($0) },
                name: "limit",
                default: 20,
                range: Self.searchLimitRange
            )
            return try await offload { try search(text, limit: limit) }
        }
        router.get("/v1/map") { request, _ in
            let q = request.uri.queryParameters
            let limit = try Self.integer(
                q["limit"].map { String($0) },
                name: "limit",
                default: 2000,
                range: Self.mapLimitRange
            )
            let field = q["field"].map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
            return try await offload { try map(field: field, limit: limit) }
        }
        router.post("/admin/reload") { request, _ in
            try admin.checkCaller(request)
            try admin.checkBody(request, body: try await body(of: request))
            do {
                let fresh = try await store.reload()
                return try JSONResponse.make(ReloadResponse(status: "reloaded", model: ModelInfo(fresh)))
            } catch {
                let serving = store.current
                throw APIError(
                    .internalServerError,
                    "reload failed, still serving the model loaded at \(ISO8601DateFormatter().string(from: serving.loadedAt)): "
                        + PathRedaction.redact("\(error)", source: serving.source)
                )
            }
        }
    }

    // MARK: - Handlers

    /// Answers with `work` here when it is light, else on the compute threads (``offload(_:)``).
    func answer(heavy: Bool, _ work: @escaping @Sendable () throws -> Response) async throws -> Response {
        heavy ? try await offload(work) : try work()
    }

    /// Answers with `work` run on the compute threads, off the threads that serve requests, with at
    /// most `compute.limit` at once; 503 (with `Retry-After`) when it is not done within the timeout.
    func offload(_ work: @escaping @Sendable () throws -> Response) async throws -> Response {
        do {
            return try await compute.run(work)
        } catch let busy as ComputeLimiter.Busy {
            throw APIError(
                .serviceUnavailable,
                "the server is busy: the request was not answered within \(busy.seconds) s; try again",
                headers: [.retryAfter: "1"]
            )
        }
    }

    func similar(_ items: [String], k: Int) throws -> Response {
        let m = store.current
        guard !items.isEmpty else {
            throw APIError.badRequest("give at least one item (?item=ID, or {\"items\": [...]})")
        }
        let ids = try Self.requireIDs(items, in: m)
        let found = m.index.nearest(to: m.neighbors.queryVector(ids), k: k, excluding: Set(ids))
        let results = found.map { ItemResult(id: $0.token, label: m.label(of: $0.id), score: $0.score) }
        metrics.countItems(results.count, endpoint: "similar")
        return try JSONResponse.make(SimilarResponse(query: items, items: results))
    }

    func recommend(_ body: RecommendRequest) throws -> Response {
        let m = store.current
        let k = try Self.k(body.k)
        let scoringName = body.scoring ?? RecommendationScoring.preferred(for: m.model).rawValue
        guard let scoring = RecommendationScoring(rawValue: scoringName) else {
            throw APIError.badRequest(
                "scoring must be one of: "
                    + RecommendationScoring.allCases.map(\.rawValue).joined(separator: ", ") + " (got '\(scoringName)')"
            )
        }
        guard let base = m.recommenders[scoring] else {
            let needs = scoring == .sequence ? "a network (gru4rec)" : "output vectors"
            throw APIError.badRequest("scoring '\(scoringName)' needs \(needs), which this model lacks")
        }
        let weighting = HistoryWeighting(lastN: body.lastN ?? 0, decay: body.decay ?? 0)
        do { try weighting.validate() } catch let error as ConfigurationError {
            let name = error.setting  // the concept names are the JSON fields: last_n, decay
            throw APIError.badRequest("\(name) \(error.message)")
        }
        let history = body.history ?? []
        let unknown = history.filter { m.vocabulary.id(of: $0) == nil }
        if !unknown.isEmpty && !(body.ignoreUnknown ?? false) { throw APIError.unknownTokens(unknown, in: m) }
        let found = base.with(weighting: weighting).recommend(
            history: history,
            top: k,
            excludeHistory: body.excludeHistory ?? true
        )
        let results = found.map { ItemResult(id: $0.token, label: m.label(of: $0.token), score: $0.score) }
        metrics.countItems(results.count, endpoint: "recommend")
        return try JSONResponse.make(
            RecommendResponse(
                history: history,
                unknown: unknown,
                scoring: scoring.rawValue,
                source: found.first?.source ?? "embedding",
                items: results
            )
        )
    }

    func analogy(_ body: AnalogyRequest) throws -> Response {
        let m = store.current
        guard let a = body.a, let b = body.b, let c = body.c else {
            throw APIError.badRequest("give a, b and c: \"a is to b as c is to ?\"")
        }
        let k = try Self.k(body.k)
        _ = try Self.requireIDs([a, b, c], in: m)
        let found = try m.neighbors.analogy(a, b, c, top: k)
        let results = found.map { ItemResult(id: $0.token, label: m.label(of: $0.id), score: $0.score) }
        metrics.countItems(results.count, endpoint: "analogy")
        return try JSONResponse.make(AnalogyResponse(a: a, b: b, c: c, items: results))
    }

    func vector(_ raw: String) throws -> Response {
        let m = store.current
        // The router hands path parameters over as sent; ids such as `user:7` may arrive percent-encoded.
        let decoded = raw.removingPercentEncoding ?? raw
        guard let id = m.vocabulary.id(of: raw) ?? m.vocabulary.id(of: decoded) else {
            throw APIError.unknownTokens([decoded], in: m)
        }
        return try JSONResponse.make(
            VectorResponse(
                id: m.vocabulary.tokens[Int(id)],
                label: m.label(of: id),
                kind: m.model.kind(of: id).rawValue,
                dim: m.model.dim,
                vector: m.model.input.vector(Int(id))
            )
        )
    }

    /// Items whose id or label contains `text` (ignoring case): exact matches first, then
    /// prefixes, then the rest, each most popular first. The score is the item's count.
    func search(_ text: String, limit: Int) throws -> Response {
        let m = store.current
        let needle = text.lowercased()
        var tiers: [[Int]] = [[], [], []]
        for i in 0..<m.itemCount {
            let id = m.lowercasedIDs[i]
            let label = m.lowercasedLabels[i]
            if id == needle || label == needle {
                tiers[0].append(i)
            } else if id.hasPrefix(needle) || label.hasPrefix(needle) {
                tiers[1].append(i)
            } else if tiers[2].count < limit && (id.contains(needle) || label.contains(needle)) {
                tiers[2].append(i)
            }
        }
        let counts = m.vocabulary.counts
        let results = tiers.joined().prefix(limit).map {
            ItemResult(id: m.vocabulary.tokens[$0], label: m.labels[$0], score: Float(counts[$0]))
        }
        return try JSONResponse.make(SearchResponse(query: text, items: Array(results)))
    }

    /// The `limit` most popular items projected to 2-D, each with its first value of `field`.
    /// The points are the first `limit` of a cached map of a few more items
    /// (``ServingModel/projection(covering:)``); `variances` are those of the points returned.
    func map(field: String?, limit: Int) throws -> Response {
        let m = store.current
        let count = min(limit, m.itemCount)
        let projection = m.projection(covering: count)
        var groupCounts: [String: Int] = [:]
        var points: [MapPoint] = []
        points.reserveCapacity(count)
        for i in 0..<count {
            let token = m.vocabulary.tokens[i]
            let group = field.flatMap { m.metadata?.value($0, of: token) }
            if let group { groupCounts[group, default: 0] += 1 }
            points.append(MapPoint(id: token, label: m.labels[i], x: projection.x[i], y: projection.y[i], group: group))
        }
        let groups = groupCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        let variances =
            count == projection.x.count
            ? projection.variances
            : [Self.variance(projection.x.prefix(count)), Self.variance(projection.y.prefix(count))]
        return try JSONResponse.make(MapResponse(field: field, points: points, groups: groups, variances: variances))
    }

    /// The variance of `values` (about their mean, divided by their count).
    static func variance(_ values: ArraySlice<Float>) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        return values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
    }

    func metricsResponse() -> Response {
        let m = store.current
        let text = metrics.render(gauges: [
            ("recvec_model_items", "Items of the model being served.", Double(m.itemCount)),
            ("recvec_model_vocabulary", "Tokens of the model being served.", Double(m.vocabulary.count)),
            (
                "recvec_model_loaded_timestamp_seconds", "When the model being served was loaded (Unix time).",
                m.loadedAt.timeIntervalSince1970
            ),
        ])
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    // MARK: - Input

    /// The body of `request`, at most `maxBodyBytes` bytes (else 413).
    func body(of request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw APIError(.contentTooLarge, "request body of \(length) bytes is over the limit of \(maxBodyBytes)")
        }
        do {
            return try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "request body is over the limit of \(maxBodyBytes) bytes")
        }
    }

    /// Decodes a JSON body of at most `maxBodyBytes` bytes.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await body(of: request)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("missing JSON body") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError.badRequest("wrong type for '\(Self.path(context.codingPath))'")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError.badRequest("null for '\(Self.path(context.codingPath))'")
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.badRequest("missing '\(Self.path(context.codingPath + [key]))'")
        } catch {
            throw APIError.badRequest("malformed JSON body")
        }
    }

    /// Refuses a query that names more than ``maxIDs`` ids (in `field`).
    func checkCount(_ ids: [String], _ field: String) throws {
        guard ids.count <= maxIDs else {
            throw APIError.badRequest("at most \(maxIDs) ids per query (got \(ids.count) in '\(field)')")
        }
    }

    /// `history[2]`, `items`, or `(body)` for the top level.
    static func path(_ keys: [any CodingKey]) -> String {
        if keys.isEmpty { return "(body): expected a JSON object" }
        var s = ""
        for key in keys {
            if let i = key.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + key.stringValue }
        }
        return s
    }

    static func k(_ value: String?) throws -> Int { try integer(value, name: "k", default: 10, range: kRange) }

    static func k(_ value: Int?) throws -> Int {
        let k = value ?? 10
        guard kRange.contains(k) else {
            throw APIError.badRequest("k must be in \(kRange.lowerBound)...\(kRange.upperBound) (got \(k))")
        }
        return k
    }

    static func integer(_ value: String?, name: String, default: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value else { return `default` }
        guard let n = Int(value), range.contains(n) else {
            throw APIError.badRequest(
                "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound) (got '\(value)')"
            )
        }
        return n
    }

    /// The ids of `tokens`, or a 404 naming every unknown one.
    static func requireIDs(_ tokens: [String], in model: ServingModel) throws -> [Int32] {
        let ids = tokens.map { model.vocabulary.id(of: $0) }
        let unknown = zip(tokens, ids).filter { $0.1 == nil }.map(\.0)
        if !unknown.isEmpty { throw APIError.unknownTokens(unknown, in: model) }
        return ids.map { $0! }
    }

    /// A file of the target's resources.
    static func resource(_ name: String, contentType: String) throws -> Response {
        guard let url = Bundle.module.url(forResource: "Resources/" + name, withExtension: nil),
            let data = try? Data(contentsOf: url)
        else { throw APIError(.internalServerError, "resource \(name) is missing from the build") }
        return Response(
            status: .ok,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
