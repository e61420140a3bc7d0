// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import HummingbirdTesting
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// Per-request caps: a query names at most `maxIDs` ids, and unknown ids cost a bounded amount of work.
struct RequestLimitTests {
    /// `n` distinct ids as a JSON array.
    func jsonArray(_ ids: [String]) -> String { "[" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }

    @Test func queriesOverTheIDCapAreRefused() async throws {
        var server = try TestServer()  // the default cap: 1000 ids
        server.configuration.maxBodyBytes = 1 << 20
        let known = (0..<1001).map { "g\($0 % 6)_\($0 / 6 % 6)" }
        try await server.test { client in
            expectError(
                try await client.post("/v1/similar", #"{"items": \#(jsonArray(known))}"#),
                400,
                containing: "at most 1000 ids"
            )
            expectError(
                try await client.post("/v1/recommend", #"{"history": \#(jsonArray(known))}"#),
                400,
                containing: "at most 1000 ids"
            )
            let query = known.map { "item=\($0)" }.joined(separator: "&")
            expectError(try await client.get("/v1/similar?\(query)"), 400, containing: "at most 1000 ids")
            // The cap itself is fine.
            let atCap = try await client.post(
                "/v1/recommend",
                #"{"history": \#(jsonArray(Array(known.prefix(1000))))}"#
            )
            #expect(atCap.status == 200, "\(atCap.text)")
        }
    }

    @Test func theIDCapIsConfigurable() async throws {
        var server = try TestServer()
        server.configuration.maxIDs = 3
        try await server.test { client in
            let refused = try await client.post("/v1/similar", #"{"items": ["g0_0", "g0_1", "g0_2", "g0_3"]}"#)
            expectError(refused, 400, containing: "at most 3 ids")
            #expect(refused.errorMessage.contains("got 4"))
            #expect(try await client.post("/v1/similar", #"{"items": ["g0_0", "g0_1", "g0_2"]}"#).status == 200)
            expectError(
                try await client.post("/v1/recommend", #"{"history": ["a", "b", "c", "d"], "ignore_unknown": true}"#),
                400,
                containing: "at most 3 ids"
            )
        }
    }

    /// A model of `count` items named `item000000`, `item000001`... with random vectors.
    static func wideModel(items count: Int) -> EmbeddingModel {
        var rng = FastRandom(seed: 5)
        let dim = 8
        let input = EmbeddingMatrix(rows: count, dim: dim)
        for r in 0..<count { input.setVector(r, (0..<dim).map { _ in Float(rng.next(below: 1000)) / 1000 - 0.5 }) }
        let tokens = (0..<count).map { "item" + String(String($0 + 1_000_000).dropFirst()) }
        return EmbeddingModel(
            vocabulary: Vocabulary(tokens: tokens, counts: (0..<count).map { Int64(count - $0) }),
            input: input,
            output: nil,
            config: TrainingConfig()
        )
    }

    @Test func manyUnknownIDsGetSuggestionsForTheFirstFewOnly() async throws {
        var server = try TestServer(model: Self.wideModel(items: 50_000), metadata: false)
        server.configuration.maxBodyBytes = 1 << 20
        // 1000 unknown ids, each one edit from known ids, so every one would find suggestions.
        let unknown = (0..<1000).map { "itex" + String(String($0 * 37 + 1_000_000).dropFirst(2)) }
        try await server.test { client in
            let reply = try await client.post("/v1/recommend", #"{"history": \#(jsonArray(unknown))}"#)
            expectError(reply, 404, containing: "unknown ids")
            let named = reply.error["unknown"] as? [String] ?? []
            #expect(named.count == unknown.count && named == unknown)
            let suggestions = try #require(reply.error["suggestions"] as? [[String: Any]])
            #expect(suggestions.map { $0["id"] as? String } == unknown.prefix(APIError.suggestedIDs).map { $0 })
            #expect(suggestions.allSatisfy { ($0["suggestions"] as? [String])?.isEmpty == false })
            // The message names the first few and counts the rest.
            #expect(reply.errorMessage.count < 400 && reply.errorMessage.contains("and 990 more"))
        }
        // The cost is bounded by work, not timed (a wall clock is no test on a shared machine):
        // the suggestions asked for — the first few ids — stay within the search's work limit each.
        let vocabulary = try ModelFile.read(from: server.modelPath).vocabulary
        var work = 0
        for id in unknown.prefix(APIError.suggestedIDs) { _ = vocabulary.suggestions(for: id, limit: 3, work: &work) }
        #expect(work <= APIError.suggestedIDs * (Vocabulary.suggestionWorkLimit + 1_000))
    }
}
