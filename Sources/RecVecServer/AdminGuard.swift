// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird

/// Who may call `/admin/*`.
///
/// The endpoints are off (403) unless the operator gave a token. A request then needs
/// `Authorization: Bearer TOKEN`, compared in constant time (else 401 with `WWW-Authenticate`).
/// A web page open in the operator's browser can send requests to a server on loopback, so a
/// request that a browser marks as coming from elsewhere is refused (403) even with the token:
/// an `Origin` other than the server's own (its `Host`), `Origin: null`, or `Sec-Fetch-Site`
/// other than `same-origin` or `none`. And the body, if any, must be JSON: a request with another
/// content type, or with a body and none, gets 415, so no HTML form can submit to it.
struct AdminGuard: Sendable {
    /// The token's bytes; `nil`: the admin endpoints are off.
    let token: [UInt8]?

    init(token: String?) {
        self.token = token.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
    }

    /// Throws the ``APIError`` that refuses `request` for who sent it, if any: the endpoints are
    /// off, the token is missing or wrong, or a browser says it comes from another site.
    func checkCaller(_ request: Request) throws {
        guard let token else {
            throw APIError(
                .forbidden,
                "the admin endpoints are off: start the server with --admin-token TOKEN or RECVEC_ADMIN_TOKEN set"
            )
        }
        guard let presented = Self.bearerToken(request.headers[.authorization]),
            Self.constantTimeEqual(Array(presented.utf8), token)
        else {
            throw APIError(
                .unauthorized,
                "missing or wrong admin token (send Authorization: Bearer TOKEN)",
                headers: [.wwwAuthenticate: #"Bearer realm="recvec admin""#]
            )
        }
        if let site = request.headers[Self.secFetchSite]?.lowercased(), site != "same-origin", site != "none" {
            throw APIError(.forbidden, "admin requests from another site are refused (Sec-Fetch-Site: \(site))")
        }
        if let origin = request.headers[.origin], !Self.isSameOrigin(origin, authority: request.head.authority) {
            throw APIError(.forbidden, "admin requests from another site are refused (Origin: \(origin))")
        }
    }

    /// Throws the 415 that refuses `request`, whose body is `body`, if it has another content type
    /// than JSON, or a body without a content type; and the 400 of a body that is not a JSON object.
    func checkBody(_ request: Request, body: ByteBuffer) throws {
        let contentType = request.headers[.contentType]
        let isJSON =
            contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            == "application/json"
        if (contentType != nil || body.readableBytes > 0) && !isJSON {
            throw APIError(
                .unsupportedMediaType,
                "an admin request has no body, or a JSON one (Content-Type: application/json)"
            )
        }
        if body.readableBytes > 0,
            !((try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) is [String: Any])
        {
            throw APIError.badRequest("the body of an admin request is empty or a JSON object")
        }
    }

    static let secFetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")!

    /// The token of an `Authorization: Bearer TOKEN` header (the scheme in any case).
    static func bearerToken(_ header: String?) -> Substring? {
        guard let header, let space = header.firstIndex(of: " ") else { return nil }
        guard header[..<space].lowercased() == "bearer" else { return nil }
        let token = header[space...].drop { $0 == " " }
        return token.isEmpty ? nil : token
    }

    /// Whether `origin` (`scheme://host[:port]`) names the server that `authority` (`host[:port]`,
    /// from the request's `Host`) names; `null` and anything else never do.
    static func isSameOrigin(_ origin: String, authority: String?) -> Bool {
        guard let authority, let separator = origin.range(of: "://") else { return false }
        return origin[separator.upperBound...].lowercased() == authority.lowercased()
    }

    /// Whether `presented` equals `expected`, in a time that depends only on `expected`'s length
    /// (a wrong guess tells nothing about how much of it was right).
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = presented.count == expected.count ? 0 : 1
        for i in expected.indices {
            difference |= expected[i] ^ (i < presented.count ? presented[i] : 0)
        }
        return difference == 0
    }
}
