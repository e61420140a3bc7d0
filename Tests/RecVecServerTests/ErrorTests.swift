// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import HummingbirdTesting
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// Bad input never crashes: every error is a JSON `{"error": {"status", "message"}}` with a 4xx.
struct ErrorTests {
    @Test func unknownItemsAre404WithSuggestions() async throws {
        let server = try TestServer()
        try await server.test { client in
            let one = try await client.get("/v1/similar?item=g2_1x")
            expectError(one, 404, containing: "g2_1x")
            #expect(one.error["unknown"] as? [String] == ["g2_1x"])
            let suggestions = try #require(one.error["suggestions"] as? [[String: Any]])
            #expect(suggestions.first?["id"] as? String == "g2_1x")
            #expect((suggestions.first?["suggestions"] as? [String])?.first == "g2_1")

            let some = try await client.post("/v1/similar", #"{"items": ["g0_0", "nope", "G1_1"]}"#)
            expectError(some, 404)
            #expect(some.error["unknown"] as? [String] == ["nope", "G1_1"])
            let close = (some.error["suggestions"] as? [[String: Any]])?.last?["suggestions"] as? [String]
            #expect(close?.first == "g1_1")

            // Text that is no id but part of labels: the most popular items so labelled.
            let byLabel = try await client.get("/v1/vector/film%204-")
            expectError(byLabel, 404)
            let labelled = (byLabel.error["suggestions"] as? [[String: Any]])?.first?["suggestions"] as? [String] ?? []
            #expect(labelled.count == 3 && labelled.allSatisfy { $0.hasPrefix("g4_") })

            expectError(try await client.post("/v1/recommend", #"{"history": ["g0_0", "zz"]}"#), 404, containing: "zz")
            expectError(
                try await client.post("/v1/analogy", #"{"a": "g0_0", "b": "x", "c": "g0_1"}"#),
                404,
                containing: "x"
            )
            expectError(try await client.get("/v1/vector/missing"), 404, containing: "missing")
        }
    }

    @Test func kOutOfRangeOrNotANumberIs400() async throws {
        let server = try TestServer()
        try await server.test { client in
            for k in ["0", "1001", "-3", "ten", ""] {
                expectError(try await client.get("/v1/similar?item=g0_0&k=\(k)"), 400, containing: "k must be")
            }
            expectError(
                try await client.post("/v1/similar", #"{"items": ["g0_0"], "k": 0}"#),
                400,
                containing: "k must be"
            )
            expectError(
                try await client.post("/v1/recommend", #"{"history": [], "k": 5000}"#),
                400,
                containing: "k must be"
            )
            expectError(
                try await client.post("/v1/analogy", #"{"a": "g0_0", "b": "g1_0", "c": "g0_1", "k": 1001}"#),
                400
            )
            expectError(try await client.get("/v1/search?q=g&limit=0"), 400, containing: "limit")
            expectError(try await client.get("/v1/map?limit=abc"), 400, containing: "limit")
            // The bounds themselves are fine.
            #expect(try await client.get("/v1/similar?item=g0_0&k=1000").ids.count == 35)
            #expect(try await client.get("/v1/similar?item=g0_0&k=1").ids.count == 1)
        }
    }

    @Test func missingParametersAre400() async throws {
        let server = try TestServer()
        try await server.test { client in
            expectError(try await client.get("/v1/similar"), 400, containing: "item")
            expectError(try await client.post("/v1/similar", #"{"k": 3}"#), 400, containing: "item")
            expectError(try await client.get("/v1/search"), 400, containing: "'q'")
            expectError(try await client.get("/v1/search?q="), 400, containing: "'q'")
            expectError(
                try await client.post("/v1/analogy", #"{"a": "g0_0", "b": "g1_0"}"#),
                400,
                containing: "a, b and c"
            )
            expectError(try await client.send("/v1/recommend", method: .post), 400, containing: "missing JSON body")
        }
    }

    @Test func malformedJSONAndWrongTypesAre400() async throws {
        let server = try TestServer()
        try await server.test { client in
            expectError(
                try await client.post("/v1/recommend", #"{"history": ["g0_0"#),
                400,
                containing: "malformed JSON"
            )
            expectError(try await client.post("/v1/recommend", "not json"), 400, containing: "malformed JSON")
            expectError(try await client.post("/v1/recommend", #"{"history": "g0_0"}"#), 400, containing: "'history'")
            expectError(try await client.post("/v1/similar", #"{"items": [1, 2]}"#), 400, containing: "items[0]")
            expectError(try await client.post("/v1/recommend", #"{"history": [], "k": "ten"}"#), 400, containing: "'k'")
            expectError(try await client.post("/v1/similar", "[]"), 400, containing: "JSON object")
        }
    }

    @Test func invalidRecommendOptionsAre400() async throws {
        let server = try TestServer()
        try await server.test { client in
            expectError(
                try await client.post("/v1/recommend", #"{"history": [], "scoring": "magic"}"#),
                400,
                containing: "cosine, dual"
            )
            expectError(
                try await client.post("/v1/recommend", #"{"history": [], "last_n": -1}"#),
                400,
                containing: "last_n"
            )
            expectError(
                try await client.post("/v1/recommend", #"{"history": [], "decay": 1}"#),
                400,
                containing: "decay"
            )
        }
        // Dual scoring needs output vectors: a model without them refuses it.
        let noOutput = TestModels.main
        let imported = EmbeddingModel(
            vocabulary: noOutput.vocabulary,
            input: noOutput.input,
            output: nil,
            config: noOutput.config,
            sections: noOutput.sections
        )
        let plain = try TestServer(model: imported)
        try await plain.test { client in
            expectError(
                try await client.post("/v1/recommend", #"{"history": ["g0_0"], "scoring": "dual"}"#),
                400,
                containing: "output vectors"
            )
            let info = try await client.get("/v1/info")
            #expect((info["model"] as? [String: Any])?["scorings"] as? [String] == ["cosine"])
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        let server = try TestServer()  // max 4096 bytes
        try await server.test { client in
            let items = (0..<1000).map { _ in "\"g0_0\"" }.joined(separator: ",")
            let body = "{\"items\": [\(items)]}"
            #expect(body.utf8.count > 4096)
            expectError(try await client.post("/v1/similar", body), 413, containing: "limit")
            expectError(try await client.post("/v1/recommend", "{\"history\": [\(items)]}"), 413)
            // Just under the limit is fine.
            #expect(try await client.post("/v1/similar", #"{"items": ["g0_0"]}"#).status == 200)
        }
    }

    @Test func unknownRoutesAre404AndWrongMethods405() async throws {
        let server = try TestServer()
        try await server.test { client in
            expectError(try await client.get("/v2/similar"), 404, containing: "no route")
            expectError(try await client.get("/nope"), 404, containing: "/nope")
            expectError(try await client.get("/v1/vector/a/b"), 404)
            // A known path with another method: 405, with the allowed methods.
            let get = try await client.send("/v1/recommend", method: .get)
            expectError(get, 405, containing: "allowed: POST")
            #expect(get.allow == "POST")
            let delete = try await client.send("/v1/similar", method: .delete)
            expectError(delete, 405)
            #expect(delete.allow == "GET, POST")
            expectError(try await client.send("/v1/vector/g0_0", method: .post), 405, containing: "allowed: GET")
        }
    }
}
