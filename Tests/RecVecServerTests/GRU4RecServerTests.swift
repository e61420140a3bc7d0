// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import HummingbirdTesting
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// /v1/recommend on a GRU4Rec model file runs the history through the network.
@Suite struct GRU4RecServerTests {
    /// A GRU4Rec trained on sessions around a ring of 12 items with a constant step d ∈ {±1, ±2,
    /// ±3}: the next item is 2·last − previous (mod 12).
    static let model: EmbeddingModel = {
        var rng = FastRandom(seed: 5)
        let steps = [-3, -2, -1, 1, 2, 3]
        let sessions: [[Int32]] = (0..<240).map { _ in
            let d = steps[rng.next(below: steps.count)]
            var x = rng.next(below: 12)
            return (0..<(4 + rng.next(below: 3))).map { _ in
                defer { x = ((x + d) % 12 + 12) % 12 }
                return Int32(x)
            }
        }
        let data = TrainingData(sequences: sessions, items: (0..<12).map { "i\($0)" })
        var s = ModelSettings()
        s.training.threads = 1
        s.training.seed = 7
        s.training.epochs = 12
        s.gru4rec.layers = [24]
        s.gru4rec.batchSize = 16
        s.gru4rec.nSample = 8
        s.gru4rec.learningRate = 0.1
        let corpus = try! DataCorpus(data, minCount: 1).corpus
        return try! Trainer(config: GRU4RecDefinition.configuration(s)).train(corpus, inputs: ModelInputs())
    }()

    /// (history, the rule's next item).
    static let cases = [(["i3", "i5"], "i7"), (["i10", "i9"], "i8"), (["i1", "i10"], "i7"), (["i6", "i8"], "i10")]

    @Test func recommendRunsTheNetwork() async throws {
        let server = try TestServer(model: Self.model, metadata: false)
        try await server.test { client in
            let info = try await client.get("/v1/info")
            let scorings = (info["model"] as? [String: Any])?["scorings"] as? [String]
            #expect(scorings == ["cosine", "sequence"], "\(info.text)")
            for (history, next) in Self.cases {
                let body = #"{"history": ["\#(history[0])", "\#(history[1])"], "k": 3}"#
                let reply = try await client.post("/v1/recommend", body)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.ids.first == next, "\(history): \(reply.text)")
                #expect(reply["scoring"] as? String == "sequence" && reply["source"] as? String == "network")
            }
            // Concurrent requests each get their own state.
            try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for round in 0..<8 {
                    let (history, next) = Self.cases[round % Self.cases.count]
                    group.addTask {
                        let body = #"{"history": ["\#(history[0])", "\#(history[1])"], "k": 1}"#
                        return (next, try await client.post("/v1/recommend", body).ids.first)
                    }
                }
                for try await (next, got) in group { #expect(got == next) }
            }
            let cosine = try await client.post("/v1/recommend", #"{"history": ["i3", "i5"], "scoring": "cosine"}"#)
            #expect(cosine.status == 200 && cosine["source"] as? String == "embedding", "\(cosine.text)")
        }
    }

    @Test func sequenceScoringOfAModelWithoutANetworkIsABadRequest() async throws {
        var plain = Self.model
        plain.network = nil
        let server = try TestServer(model: plain, metadata: false)
        try await server.test { client in
            let reply = try await client.post("/v1/recommend", #"{"history": ["i3"], "scoring": "sequence"}"#)
            #expect(reply.status == 400 && reply.errorMessage.contains("network"), "\(reply.text)")
            let plainReply = try await client.post("/v1/recommend", #"{"history": ["i3", "i5"]}"#)
            #expect(plainReply.status == 200 && plainReply["scoring"] as? String == "cosine")
        }
    }
}
