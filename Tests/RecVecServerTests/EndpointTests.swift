// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import HummingbirdTesting
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// Every endpoint answers what the library answers, as JSON items with id, label and score.
struct EndpointTests {
    func group(_ id: String) -> Substring { id.split(separator: "_")[0] }

    @Test func healthAndInfo() async throws {
        let server = try TestServer()
        try await server.test { client in
            let health = try await client.get("/health")
            #expect(health.status == 200 && health["status"] as? String == "ok" && health["items"] as? Int == 36)
            let info = try await client.get("/v1/info")
            let model = try #require(info["model"] as? [String: Any])
            // File names, not paths.
            #expect(model["file"] as? String == "model.rvmodel")
            #expect(model["metadata"] as? String == "metadata.tsv")
            #expect(!info.text.contains(server.folder.path))
            #expect(model["vocabulary"] as? Int == 38 && model["items"] as? Int == 36 && model["dim"] as? Int == 16)
            #expect(model["scorings"] as? [String] == ["cosine", "dual"])
            #expect(model["index"] as? String == "exact")
            #expect(model["loaded_at"] is String && model["label_field"] as? String == "title")
            let sections = try #require(model["sections"] as? [[String: Any]])
            #expect(sections.compactMap { $0["kind"] as? String } == ["item", "user"])
            #expect((model["config"] as? [String: Any])?["dim"] as? Int == 16)
        }
    }

    @Test func similarByGetAndPostMatchesTheLibrary() async throws {
        let server = try TestServer()
        let expected = try NearestNeighbors(model: TestModels.main).similar(to: ["g2_1"], top: 5)
        try await server.test { client in
            let get = try await client.get("/v1/similar?item=g2_1&k=5")
            #expect(get.status == 200)
            #expect(get.ids == expected.map(\.token))
            #expect(get.items.allSatisfy { group($0["id"] as! String) == "g2" })
            let first = try #require(get.items.first)
            #expect(abs((first["score"] as! Double) - Double(expected[0].score)) < 1e-5)
            #expect(first["label"] as? String == "Film 2-" + (first["id"] as! String).dropFirst(3))
            // Several items: the mean of their vectors, none of them answered.
            let post = try await client.post("/v1/similar", #"{"items": ["g3_0", "g3_1"], "k": 3}"#)
            #expect(post.status == 200 && post.ids.count == 3)
            #expect(!post.ids.contains("g3_0") && !post.ids.contains("g3_1"))
            #expect(post["query"] as? [String] == ["g3_0", "g3_1"])
            let repeated = try await client.get("/v1/similar?item=g3_0&item=g3_1&k=3")
            #expect(repeated.ids == post.ids)
            // Default k is 10; any token may be the query (a user vector), answers are items.
            let user = try await client.get("/v1/similar?item=user%3Aa")
            #expect(user.ids.count == 10 && user.ids.prefix(6).allSatisfy { group($0) == "g0" })
        }
    }

    @Test func recommendEveryMode() async throws {
        let server = try TestServer()
        let model = TestModels.main
        try await server.test { client in
            let cosine = try await client.post("/v1/recommend", #"{"history": ["g1_0", "g1_2"], "k": 4}"#)
            #expect(
                cosine.status == 200 && cosine["source"] as? String == "embedding"
                    && cosine["scoring"] as? String == "cosine"
            )
            // exclude_history defaults to true.
            #expect(
                cosine.ids.count == 4 && !cosine.ids.contains("g1_0") && cosine.ids.allSatisfy { group($0) == "g1" }
            )
            let library = try EmbeddingRecommender(model: model).recommend(
                history: ["g1_0", "g1_2"],
                top: 4,
                excludeHistory: true
            )
            #expect(cosine.ids == library.map(\.token))

            let kept = try await client.post(
                "/v1/recommend",
                #"{"history": ["g1_0"], "k": 1, "exclude_history": false}"#
            )
            #expect(kept.ids == ["g1_0"])

            let dual = try await client.post("/v1/recommend", #"{"history": ["g4_3"], "k": 5, "scoring": "dual"}"#)
            let dualLibrary = try EmbeddingRecommender(model: model, scoring: .dual).recommend(
                history: ["g4_3"],
                top: 5,
                excludeHistory: true
            )
            #expect(dual.status == 200 && dual["scoring"] as? String == "dual" && dual.ids == dualLibrary.map(\.token))

            // last_n and decay: only the last item counts with last_n 1.
            let body = #"{"history": ["g0_0", "g0_1", "g5_2"], "k": 3, "last_n": 1, "decay": 0.5}"#
            let recent = try await client.post("/v1/recommend", body)
            let weighted = try EmbeddingRecommender(model: model, weighting: HistoryWeighting(lastN: 1, decay: 0.5))
                .recommend(history: ["g0_0", "g0_1", "g5_2"], top: 3, excludeHistory: true)
            #expect(recent.ids == weighted.map(\.token) && recent.ids.allSatisfy { group($0) == "g5" })

            // A user vector as the history.
            let user = try await client.post("/v1/recommend", #"{"history": ["user:b"], "k": 3}"#)
            #expect(user.ids.count == 3 && user.ids.allSatisfy { group($0) == "g1" })

            // Empty history: the most popular items, reported as such.
            let popular = try await client.post("/v1/recommend", #"{"history": [], "k": 3}"#)
            #expect(
                popular["source"] as? String == "popularity" && popular.ids == Array(model.vocabulary.tokens.prefix(3))
            )
            // Unknown tokens may be ignored on request; wholly unknown falls back to popularity.
            let ignored = try await client.post(
                "/v1/recommend",
                #"{"history": ["nope"], "k": 2, "ignore_unknown": true}"#
            )
            #expect(
                ignored.status == 200 && ignored["source"] as? String == "popularity"
                    && ignored["unknown"] as? [String] == ["nope"]
            )
        }
    }

    @Test func analogyIsThreeCosAdd() async throws {
        let server = try TestServer()
        let expected = try NearestNeighbors(model: TestModels.main).analogy("g0_0", "g1_0", "g0_1", top: 3)
        try await server.test { client in
            let reply = try await client.post("/v1/analogy", #"{"a": "g0_0", "b": "g1_0", "c": "g0_1", "k": 3}"#)
            #expect(reply.status == 200 && reply.ids == expected.map(\.token))
            #expect(!reply.ids.contains { ["g0_0", "g1_0", "g0_1"].contains($0) })
        }
    }

    @Test func vectorOfAnyToken() async throws {
        let server = try TestServer()
        let model = TestModels.main
        try await server.test { client in
            let item = try await client.get("/v1/vector/g3_4")
            #expect(item.status == 200 && item["kind"] as? String == "item" && item["dim"] as? Int == 16)
            #expect(item["label"] as? String == "Film 3-4")
            let values = try #require(item["vector"] as? [Double])
            #expect(values.map(Float.init) == (try model.vector(for: "g3_4")))
            let user = try await client.get("/v1/vector/user%3Ab")
            #expect(user.status == 200 && user["kind"] as? String == "user" && user["id"] as? String == "user:b")
        }
    }

    @Test func searchRanksExactThenPrefixThenPopularity() async throws {
        let server = try TestServer()
        let vocabulary = TestModels.main.vocabulary
        try await server.test { client in
            let exact = try await client.get("/v1/search?q=G2_3")
            #expect(exact.ids.first == "g2_3")
            let byLabel = try await client.get("/v1/search?q=film%202-&limit=4")
            #expect(byLabel.ids.count == 4 && byLabel.ids.allSatisfy { group($0) == "g2" })
            let ranks = byLabel.ids.map { vocabulary.id(of: $0)! }
            #expect(ranks == ranks.sorted(), "most popular first")
            #expect(byLabel.items.first?["score"] as? Double == Double(vocabulary.counts[Int(ranks[0])]))
            // "Film 1-1" is an exact label: it comes before the prefix matches ("Film 1-10"... none here).
            let mixed = try await client.get("/v1/search?q=film%201-1&limit=3")
            #expect(mixed.ids.first == "g1_1")
            let none = try await client.get("/v1/search?q=zzz")
            #expect(none.status == 200 && none.ids.isEmpty)
        }
    }

    @Test func mapProjectsThePopularItemsWithGroups() async throws {
        let server = try TestServer()
        try await server.test { client in
            let reply = try await client.get("/v1/map?field=genre&limit=30")
            #expect(reply.status == 200 && reply["field"] as? String == "genre")
            let points = try #require(reply["points"] as? [[String: Any]])
            #expect(points.count == 30)
            #expect(points.map { $0["id"] as! String } == Array(TestModels.main.vocabulary.tokens.prefix(30)))
            for p in points {
                let id = p["id"] as! String
                #expect(p["x"] is Double && p["y"] is Double)
                if group(id) == "g5" {
                    #expect(p["group"] is NSNull)
                } else {
                    #expect(p["group"] as? String == "genre" + group(id).dropFirst())
                }
            }
            let groups = try #require(reply["groups"] as? [String])
            #expect(Set(groups) == Set(points.compactMap { $0["group"] as? String }))
            // Without a field every group is null; limit defaults to 2000 (all 36 items here).
            let plain = try await client.get("/v1/map")
            let all = try #require(plain["points"] as? [[String: Any]])
            #expect(all.count == 36 && all.allSatisfy { $0["group"] is NSNull } && plain["groups"] as? [String] == [])
        }
    }

    @Test func labelsFallBackToIdsWithoutMetadata() async throws {
        let server = try TestServer(metadata: false)
        try await server.test { client in
            let reply = try await client.get("/v1/similar?item=g0_0&k=2")
            #expect(reply.items.allSatisfy { $0["label"] as? String == $0["id"] as? String })
        }
    }

    @Test func explorerPageAndOpenAPIDocument() async throws {
        let server = try TestServer()
        try await server.test { client in
            let page = try await client.get("/")
            #expect(page.status == 200 && page.contentType.hasPrefix("text/html") && page.text.contains("<html"))
            let spec = try await client.get("/openapi.yaml")
            #expect(spec.status == 200 && spec.text.hasPrefix("openapi: 3"))
        }
    }
}
