// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// A trained GRU4Rec in a model file: trained → written → read scores a history identically, and
/// sequence scoring follows the planted rule of ``GRU4RecTests/ringSessions(count:items:seed:)``.
@Suite struct GRU4RecModelFileTests {
    static let items = 12

    static func corpus() throws -> Corpus {
        let names = (0..<items).map { "i\($0)" }
        let data = TrainingData(sequences: GRU4RecTests.ringSessions(count: 240, items: items, seed: 1), items: names)
        return try DataCorpus(data, minCount: 1).corpus
    }

    static func train(_ s: ModelSettings) throws -> EmbeddingModel {
        let config = GRU4RecDefinition.configuration(s)
        return try Trainer(config: config).train(try corpus(), inputs: ModelInputs())
    }

    @Test func roundTripGivesIdenticalScores() throws {
        let model = try Self.train(GRU4RecTests.plantedSettings)
        let network = try #require(model.network)
        #expect(model.config.model == "gru4rec" && model.config.gru4rec?.layers == [24] && model.dim == 24)
        #expect(model.summary?.epochLosses.count == 12)
        let folder = TemporaryFolder()
        let path = folder.file("gru.rvmodel")
        try ModelFile.write(model, to: path)
        let loaded = try ModelFile.read(from: path)
        #expect(loaded.isIdentical(to: model))
        #expect(loaded.network == network)
        #expect(loaded.config == model.config)
        #expect(!GRU4RecDefinition.describe(loaded.config).isEmpty)

        let history = ["i3", "i5"].map { model.vocabulary.id(of: $0)! }
        var before: [Float] = []
        var after: [Float] = []
        #expect(try EmbeddingRecommender(model: model, scoring: .sequence).score(history: history, into: &before))
        #expect(try EmbeddingRecommender(model: loaded, scoring: .sequence).score(history: history, into: &after))
        #expect(before.count == Self.items && before == after)
        // The planted rule: i3, i5 → i7.
        let top = try EmbeddingRecommender(model: loaded, scoring: .preferred(for: loaded))
            .recommend(history: ["i3", "i5"], top: 1)
        #expect(top.map(\.token) == ["i7"] && top.first?.source == "network")
    }

    /// Every input mode with two layers of different sizes survives the file, and the stored
    /// network scores as the trained one.
    @Test func inputModesRoundTrip() throws {
        for (constrained, embedding) in [(true, 0), (false, 8), (false, 0)] {
            var s = GRU4RecTests.plantedSettings
            s.gru4rec.layers = [12, 10]
            s.training.epochs = 1
            s.gru4rec.constrainedEmbedding = constrained
            s.gru4rec.embedding = embedding
            let model = try Self.train(s)
            let folder = TemporaryFolder()
            let path = folder.file("gru.rvmodel")
            try ModelFile.write(model, to: path)
            let loaded = try ModelFile.read(from: path)
            #expect(loaded.network != nil && loaded.network == model.network)
            // The last item of the catalog reads its own input row (a wrong stride runs past it).
            let history: [Int32] = [0, Int32(Self.items - 1)]
            var scores = [Float](repeating: 0, count: Self.items)
            scores.withUnsafeMutableBufferPointer { loaded.network!.scores(after: history, into: $0.baseAddress!) }
            let state = model.network!.state(after: history)
            var expected = [Float](repeating: 0, count: Self.items)
            expected.withUnsafeMutableBufferPointer { model.network!.scores(state: state, into: $0.baseAddress!) }
            #expect(scores == expected && scores.allSatisfy { $0.isFinite })
        }
    }

    /// A file without a network reads as before; a flipped network byte fails the checksum; a
    /// network whose sizes contradict the configuration is refused.
    @Test func filesWithoutANetworkAndCorruptNetworks() throws {
        var s = GRU4RecTests.plantedSettings
        s.training.epochs = 1
        let model = try Self.train(s)
        let folder = TemporaryFolder()
        var plain = model
        plain.network = nil
        try ModelFile.write(plain, to: folder.file("plain.rvmodel"))
        let read = try ModelFile.read(from: folder.file("plain.rvmodel"))
        #expect(read.network == nil)
        #expect(RecommendationScoring.preferred(for: read) == .cosine)
        #expect(throws: ConfigurationError.self) { try EmbeddingRecommender(model: read, scoring: .sequence) }

        let path = folder.file("gru.rvmodel")
        try ModelFile.write(model, to: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 10] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("flipped.rvmodel")))
        #expect(throws: ModelFileError.self) { try ModelFile.read(from: folder.file("flipped.rvmodel")) }

        var wrong = model
        wrong.config.gru4rec?.layers = [99]
        try ModelFile.write(wrong, to: folder.file("wrong.rvmodel"))
        #expect(throws: ModelFileError.self) { try ModelFile.read(from: folder.file("wrong.rvmodel")) }
    }
}
