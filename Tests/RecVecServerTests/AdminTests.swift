// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// /admin/*: off without a token; a bearer token; no cross-site or form requests; merged reloads;
/// no file system paths in what the server answers.
struct AdminTests {
    @Test func adminIsOffWithoutAToken() async throws {
        var server = try TestServer()
        server.configuration.adminToken = nil
        try await server.test { client in
            for token: String? in [nil, "", TestServer.adminToken] {
                let reply = try await client.reload(token: token)
                expectError(reply, 403, containing: "off")
                #expect(
                    reply.errorMessage.contains("--admin-token") && reply.errorMessage.contains("RECVEC_ADMIN_TOKEN")
                )
            }
        }
        #expect(server.store.metrics.reloads == (ok: 0, failed: 0))
    }

    @Test func aReloadNeedsTheBearerToken() async throws {
        let server = try TestServer()
        try await server.test { client in
            for token: String? in [
                nil, "", "wrong", String(TestServer.adminToken.dropLast()), TestServer.adminToken + "x",
            ] {
                let reply = try await client.reload(token: token)
                expectError(reply, 401, containing: "token")
                #expect(reply.authenticate == #"Bearer realm="recvec admin""#)
            }
            let basic = try await client.reload(token: nil, headers: [.authorization: "Basic dXNlcjpwYXNz"])
            expectError(basic, 401)
            #expect(server.store.metrics.reloads == (ok: 0, failed: 0))
            #expect(try await client.reload().status == 200)
            // The scheme is case-insensitive.
            let lower = try await client.reload(
                token: nil,
                headers: [.authorization: "bearer " + TestServer.adminToken]
            )
            #expect(lower.status == 200)
        }
        #expect(server.store.metrics.reloads == (ok: 2, failed: 0))
    }

    @Test func theTokenIsComparedInConstantTime() {
        let token = Array("abcdef".utf8)
        #expect(AdminGuard.constantTimeEqual(Array("abcdef".utf8), token))
        for other in ["", "abcde", "abcdeg", "abcdefg", "bbcdef", "ABCDEF"] {
            #expect(!AdminGuard.constantTimeEqual(Array(other.utf8), token), "\(other)")
        }
    }

    @Test func crossSiteRequestsAreRefused() async throws {
        let server = try TestServer()
        try await server.test { client in
            let origin = HTTPFields.Element.Name.origin
            let fetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")!
            for headers: HTTPFields in [
                [origin: "https://evil.example"],
                [origin: "http://localhost:9999"],
                [origin: "null"],
                [fetchSite: "cross-site"],
                [fetchSite: "same-site"],
                [origin: "http://localhost", fetchSite: "cross-site"],
            ] {
                expectError(try await client.reload(headers: headers), 403, containing: "another site")
            }
            #expect(server.store.metrics.reloads == (ok: 0, failed: 0))
            // The server's own page (the router test client's authority is "localhost"), or no browser at all.
            #expect(try await client.reload(headers: [origin: "http://localhost"]).status == 200)
            #expect(try await client.reload(headers: [fetchSite: "same-origin"]).status == 200)
            #expect(try await client.reload(headers: [fetchSite: "none"]).status == 200)
        }
    }

    @Test func aReloadTakesJSONOrNoBody() async throws {
        let server = try TestServer()
        try await server.test { client in
            for (type, body) in [
                ("application/x-www-form-urlencoded", "a=b"),
                ("application/x-www-form-urlencoded", ""),
                ("multipart/form-data; boundary=x", "--x--"),
                ("text/plain", "{}"),
            ] {
                let reply = try await client.reload(body: body, headers: [.contentType: type])
                expectError(reply, 415, containing: "application/json")
            }
            // A body without a content type.
            let untyped = try await client.execute(
                uri: "/admin/reload",
                method: .post,
                headers: [.authorization: "Bearer " + TestServer.adminToken],
                body: ByteBuffer(string: "{}")
            )
            #expect(untyped.status == .unsupportedMediaType)
            // JSON that is not an object (found by schemathesis: `[null, null]` reloaded).
            for body in ["[null, null]", "null", "3", "\"reload\"", "{", "{}x"] {
                expectError(try await client.reload(body: body), 400, containing: "JSON object")
            }
            #expect(server.store.metrics.reloads == (ok: 0, failed: 0))
            #expect(try await client.reload().status == 200)  // no body, no content type
            #expect(try await client.reload(body: "{}").status == 200)  // JSON
            #expect(
                try await client.reload(body: "", headers: [.contentType: "Application/JSON; charset=utf-8"]).status
                    == 200
            )
        }
    }

    @Test func concurrentReloadsAreMerged() async throws {
        let server = try TestServer()
        let gate = Concurrency()
        let loads = Concurrency()
        let store = ModelStore(server.store.current, logger: server.log.logger) { source in
            loads.enter()
            gate.waitForGate()
            return try ServingModel.load(source)
        }
        // One reload in flight, held at the gate; nine more arrive meanwhile.
        let first = Task { try await store.reload() }
        try await loads.wait()
        let others = (0..<9).map { _ in Task { try await store.reload() } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(loads.count == 1)
        gate.openGate()
        let firstModel = try await first.value
        var models: [ServingModel] = []
        for task in others { models.append(try await task.value) }
        // The nine share one load, which started after they asked: it sees the file as it is after their request.
        #expect(loads.count == 2)
        #expect(models.allSatisfy { $0 === models[0] } && models[0] !== firstModel)
        #expect(store.current === models[0])
        #expect(store.metrics.reloads == (ok: 2, failed: 0))
        // Once they are done, a new reload loads again.
        _ = try await store.reload()
        #expect(loads.count == 3)
    }

    @Test func concurrentReloadRequestsAreMerged() async throws {
        let gate = Concurrency()
        let loads = Concurrency()
        let server = try TestServer { source in
            loads.enter()
            gate.waitForGate()
            return try ServingModel.load(source)
        }
        try await server.test { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 { group.addTask { try await client.reload().status } }
                // Hold the first load until all twelve have asked (at most 10 s).
                for _ in 0..<1000 where server.store.reloadCounts.requests < 12 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                gate.openGate()
                for try await status in group { #expect(status == 200) }
            }
        }
        // Twelve requests, two loads: the one running when they came, and the one they share.
        #expect(server.store.reloadCounts == (requests: 12, loads: 2))
        #expect(loads.count == 2 && server.store.metrics.reloads == (ok: 2, failed: 0))
    }

    @Test func aFailedReloadSaysNoPath() async throws {
        let server = try TestServer()
        try "item_id\tfield\tvalue\nonly-two\tfields\n".write(
            toFile: server.metadataPath,
            atomically: true,
            encoding: .utf8
        )
        try await server.test { client in
            let reply = try await client.reload()
            expectError(reply, 500, containing: "metadata.tsv")
            #expect(!reply.text.contains(server.folder.path), "\(reply.text)")
        }
        try FileManager.default.removeItem(atPath: server.modelPath)
        try await server.test { client in
            let reply = try await client.reload()
            expectError(reply, 500, containing: "model.rvmodel: no such file")
            #expect(!reply.text.contains(server.folder.path), "\(reply.text)")
        }
    }

    @Test func pathsAreRedacted() {
        let source = ModelSource(modelPath: "models/ml.rvmodel", metadataPath: "/srv/data/meta.tsv")
        #expect(
            PathRedaction.redact("models/ml.rvmodel: truncated file", source: source) == "ml.rvmodel: truncated file"
        )
        #expect(PathRedaction.redact("/srv/data/meta.tsv:3: bad row", source: source) == "meta.tsv:3: bad row")
        #expect(
            PathRedaction.redact(#"cannot open "/home/me/x/y.hnsw" (NSFilePath=/tmp/a/b.bin, code 2)"#, source: source)
                == #"cannot open "y.hnsw" (NSFilePath=b.bin, code 2)"#
        )
        #expect(PathRedaction.redact("k must be 1/2 of /", source: source) == "k must be 1/2 of /")
        #expect(PathRedaction.fileName("/a/b/c.rvmodel") == "c.rvmodel" && PathRedaction.fileName("c") == "c")
    }
}
