// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import RecVecCore

/// An error answered as JSON: `{"error": {"status": 404, "message": "...", ...}}`.
///
/// Unknown tokens add `unknown` (the ids) and `suggestions` (close ids for the first few, from
/// ``Vocabulary/suggestions(for:limit:)``).
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var unknown: [String]?
    public var suggestions: [Suggestion]?
    /// Headers of the response besides its content type (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields

    /// Known ids close to one unknown id.
    public struct Suggestion: Codable, Sendable, Equatable {
        public var id: String
        public var suggestions: [String]
    }

    public init(
        _ status: HTTPResponse.Status,
        _ message: String,
        unknown: [String]? = nil,
        suggestions: [Suggestion]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.message = message
        self.unknown = unknown
        self.suggestions = suggestions
        self.headers = headers
    }

    /// 400: a missing or invalid parameter.
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    /// How many unknown ids of one request get suggestions (each costs a bounded scan of the vocabulary).
    static let suggestedIDs = 3
    /// How many unknown ids the message names (`unknown` has them all).
    static let namedIDs = 10

    /// 404 naming the `unknown` tokens of `model`, with suggestions for the first ``suggestedIDs``:
    /// close ids (``Vocabulary/suggestions(for:limit:)``), else items whose label contains the text.
    static func unknownTokens(_ unknown: [String], in model: ServingModel) -> APIError {
        var named = unknown.prefix(namedIDs).joined(separator: ", ")
        if unknown.count > namedIDs { named += " and \(unknown.count - namedIDs) more" }
        return APIError(
            .notFound,
            "unknown " + (unknown.count == 1 ? "id" : "ids") + ": " + named,
            unknown: unknown,
            suggestions: unknown.prefix(suggestedIDs).map {
                Suggestion(id: $0, suggestions: model.suggestions(for: $0))
            }
        )
    }

    public var description: String { "\(status.code) \(message)" }

    struct Body: Encodable {
        struct Detail: Encodable {
            var status: Int
            var message: String
            var unknown: [String]?
            var suggestions: [Suggestion]?
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(status: status.code, message: message, unknown: unknown, suggestions: suggestions))
        var response = try JSONResponse.make(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON responses: key-sorted, slashes unescaped, non-finite floats as strings.
enum JSONResponse {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf",
            negativeInfinity: "-inf",
            nan: "nan"
        )
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder().encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
