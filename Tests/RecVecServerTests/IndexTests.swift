// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import HummingbirdTesting
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// A model with an HNSW index beside it is served through the index; a stale index is ignored.
struct ServerIndexTests {
    /// Builds `MODEL.hnsw` for the served model file.
    func buildIndex(_ server: TestServer, model: EmbeddingModel = TestModels.main) throws {
        let unit = model.input.normalizedRows()
        let index = HNSWIndex.build(vectors: unit, count: model.itemCount, threads: 1)
        try IndexFile.write(
            index,
            fingerprint: try ModelFingerprint(modelPath: server.modelPath, model: model),
            to: IndexFile.path(forModel: server.modelPath)
        )
    }

    @Test func anIndexBesideTheModelServesSimilarAndRecommend() async throws {
        let exact = try TestServer()
        let server = try TestServer()
        try buildIndex(server)
        _ = try await server.store.reload()
        try await exact.test { client in
            let a = try await client.get("/v1/similar?item=g2_1&k=5")
            let b = try await client.post("/v1/recommend", #"{"history": ["g1_0", "g1_2"], "k": 5}"#)
            try await server.test { indexed in
                let info = try await indexed.get("/v1/info")
                #expect((info["model"] as? [String: Any])?["index"] as? String == "hnsw")
                // 36 items: the graph search finds the exact answers.
                #expect(try await indexed.get("/v1/similar?item=g2_1&k=5").ids == a.ids)
                #expect(try await indexed.post("/v1/recommend", #"{"history": ["g1_0", "g1_2"], "k": 5}"#).ids == b.ids)
            }
        }
    }

    @Test func aStaleIndexIsIgnored() async throws {
        let server = try TestServer()
        try buildIndex(server)
        // Retrain another model into the same file: the index no longer matches it.
        try ModelFile.write(TestModels.other, to: server.modelPath)
        _ = try await server.store.reload()
        try await server.test { client in
            let info = try await client.get("/v1/info")
            #expect((info["model"] as? [String: Any])?["index"] as? String == "exact")
            #expect(try await client.get("/v1/similar?item=g1_1&k=3").status == 200)
        }
    }
}
