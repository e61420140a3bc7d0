// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import Testing

@testable import RecVecServer

/// The committed OpenAPI document (docs/openapi.yaml, a link to the served resource) describes
/// every route the router registers, with its method, and nothing else.
struct OpenAPITests {
    /// (path, method) pairs of the document, read from its `paths:` block: a path is a key
    /// indented by 2 spaces, a method one indented by 4.
    func documentedRoutes(_ text: String) -> Set<String> {
        var routes: Set<String> = []
        var inPaths = false
        var path = ""
        let methods: Set<String> = ["get", "post", "put", "delete", "patch", "head", "options"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if !line.hasPrefix(" ") {
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix { $0 == " " }.count
            if indent == 2, trimmed.hasSuffix(":") {
                path = String(trimmed.dropLast())
            } else if indent == 4, let key = trimmed.split(separator: ":").first, methods.contains(String(key)) {
                routes.insert("\(key.uppercased()) \(path)")
            }
        }
        return routes
    }

    @Test func everyRouteIsDocumented() async throws {
        let server = try TestServer()
        let router = RecVecServer.router(store: server.store)
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: committed, encoding: .utf8)
        // What the server serves is the committed document.
        try await server.test { client in
            let served = try await client.get("/openapi.yaml")
            #expect(served.text == text)
        }
        let documented = documentedRoutes(text)
        #expect(registered.count == 13)
        #expect(
            registered.subtracting(documented).isEmpty,
            "undocumented: \(registered.subtracting(documented).sorted())"
        )
        #expect(
            documented.subtracting(registered).isEmpty,
            "documented but not served: \(documented.subtracting(registered).sorted())"
        )
    }
}
