// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

struct HNSWTests {
    /// `count` unit-normalized vectors drawn from a mixture of `clusters` Gaussians (centres
    /// N(0, 1), spread 0.35 per dimension): planted neighbourhoods, like item embeddings.
    static func clusteredModel(
        count: Int = 2000,
        dim: Int = 16,
        clusters: Int = 40,
        seed: UInt64 = 3
    )
        -> EmbeddingModel
    {
        var rng = FastRandom(seed: seed)
        func gaussian() -> Float {  // Box–Muller
            let u = Double(rng.next() >> 11 + 1) * 0x1p-53
            let v = Double(rng.next() >> 11) * 0x1p-53
            return Float((-2 * Foundation.log(u)).squareRoot() * cos(2 * .pi * v))
        }
        let centres = (0..<clusters).map { _ in (0..<dim).map { _ in gaussian() } }
        let input = EmbeddingMatrix(rows: count, dim: dim)
        for r in 0..<count {
            let c = centres[rng.next(below: clusters)]
            input.setVector(r, c.map { $0 + 0.35 * gaussian() })
        }
        let vocabulary = Vocabulary(tokens: (0..<count).map { "v\($0)" }, counts: (0..<count).map { Int64(count - $0) })
        return EmbeddingModel(vocabulary: vocabulary, input: input, output: nil, config: TrainingConfig())
    }

    static let parameters = HNSWParameters(m: 8, efConstruction: 64, efSearch: 48, seed: 5)

    /// Mean recall@10 of `index` against exact search, over the first `queries` items as queries.
    func recall(_ index: HNSWIndex, queries: Int = 200) -> Double {
        let unit = index.vectors
        var hits = 0
        for q in 0..<queries {
            let exact = ItemSearch.exactNearest(unit, rows: index.count, to: unit.row(q), k: 10, excluding: [Int32(q)])
            let approximate = index.search(unit.row(q), k: 10, excluding: [Int32(q)])
            #expect(approximate.count == 10)
            hits += Set(exact.map(\.id)).intersection(approximate.map(\.id)).count
        }
        return Double(hits) / Double(queries * 10)
    }

    func graph(_ index: HNSWIndex) -> [[[Int32]]] {
        (0..<index.count).map { node in (0...index.level(of: node)).map { index.neighbors(of: node, level: $0) } }
    }

    @Test func recallAgainstExactSearch() {
        let model = Self.clusteredModel()
        let unit = model.input.normalizedRows()
        let index = HNSWIndex.build(vectors: unit, count: model.itemCount, parameters: Self.parameters, threads: 2)
        let r = recall(index)
        #expect(r >= 0.95, "recall@10 \(r)")
        // Answers come best first, with their true cosine.
        let answer = index.search(unit.row(0), k: 5)
        #expect(answer.first?.id == 0)
        #expect(zip(answer, answer.dropFirst()).allSatisfy { $0.score >= $1.score })
        for a in answer {
            #expect(abs(a.score - Kernels.dot(unit.row(0), unit.row(Int(a.id)), count: unit.stride)) < 1e-6)
        }
    }

    @Test func graphIsWellFormed() {
        let model = Self.clusteredModel(count: 800)
        let index = HNSWIndex.build(
            vectors: model.input.normalizedRows(),
            count: 800,
            parameters: Self.parameters,
            threads: 2
        )
        #expect(index.level(of: Int(index.entryPoint)) == index.maxLevel)
        var upper = 0
        for node in 0..<800 {
            upper += index.level(of: node) > 0 ? 1 : 0
            for level in 0...index.level(of: node) {
                let links = index.neighbors(of: node, level: level)
                #expect(links.count <= (level == 0 ? 16 : 8))
                #expect(!links.contains(Int32(node)) && Set(links).count == links.count)
                #expect(links.allSatisfy { index.level(of: Int($0)) >= level })
                if level == 0 { #expect(!links.isEmpty) }
            }
        }
        // Layers are geometric with ratio 1/M: about 800/8 = 100 nodes above layer 0.
        #expect((50...160).contains(upper), "\(upper) nodes above layer 0")
    }

    @Test func oneThreadAndASeedGiveTheSameGraph() {
        let model = Self.clusteredModel(count: 600)
        let unit = model.input.normalizedRows()
        let a = HNSWIndex.build(vectors: unit, count: 600, parameters: Self.parameters, threads: 1)
        let b = HNSWIndex.build(vectors: unit, count: 600, parameters: Self.parameters, threads: 1)
        #expect(graph(a) == graph(b))
        #expect(a.entryPoint == b.entryPoint && a.maxLevel == b.maxLevel)
        var other = Self.parameters
        other.seed = 6
        let c = HNSWIndex.build(vectors: unit, count: 600, parameters: other, threads: 1)
        #expect(graph(a) != graph(c))
    }

    @Test func fileRoundTripGivesIdenticalResults() throws {
        let dir = TemporaryFolder()
        let model = Self.clusteredModel(count: 1000)
        let modelPath = dir.file("m.rvmodel")
        try ModelFile.write(model, to: modelPath)
        let unit = model.input.normalizedRows()
        let index = HNSWIndex.build(vectors: unit, count: 1000, parameters: Self.parameters, threads: 2)
        let fingerprint = try ModelFingerprint(modelPath: modelPath, model: model)
        try IndexFile.write(index, fingerprint: fingerprint, to: IndexFile.path(forModel: modelPath))
        #expect(dir.contents() == ["m.rvmodel", "m.rvmodel.hnsw"])  // no temporary file left
        let back = try IndexFile.read(from: dir.file("m.rvmodel.hnsw"), vectors: unit, fingerprint: fingerprint)
        #expect(graph(back) == graph(index))
        #expect(back.parameters == index.parameters && back.entryPoint == index.entryPoint)
        for q in 0..<100 {
            #expect(back.search(unit.row(q), k: 10, ef: 20) == index.search(unit.row(q), k: 10, ef: 20))
        }
        // The one-line API finds it beside the model.
        var warnings: [String] = []
        let search = ItemSearch(model: model, modelPath: modelPath) { warnings.append($0) }
        #expect(search.isApproximate && warnings.isEmpty)
        #expect(search.index?.count == 1000)
    }

    @Test func staleAndCorruptIndexesAreRefusedAndIgnored() throws {
        let dir = TemporaryFolder()
        let model = Self.clusteredModel(count: 300)
        let modelPath = dir.file("m.rvmodel")
        try ModelFile.write(model, to: modelPath)
        let unit = model.input.normalizedRows()
        let index = HNSWIndex.build(vectors: unit, count: 300, parameters: Self.parameters, threads: 1)
        let indexPath = IndexFile.path(forModel: modelPath)
        try IndexFile.write(index, fingerprint: try ModelFingerprint(modelPath: modelPath, model: model), to: indexPath)
        let good = Array(FileManager.default.contents(atPath: indexPath)!)

        func load() -> (ItemSearch, [String]) {
            var warnings: [String] = []
            let s = ItemSearch(model: model, modelPath: modelPath) { warnings.append($0) }
            return (s, warnings)
        }
        func expectIgnored(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let (s, warnings) = load()
            #expect(!s.isApproximate, sourceLocation: sourceLocation)
            #expect(warnings.count == 1 && warnings[0].contains(message), "\(warnings)", sourceLocation: sourceLocation)
            #expect(!(warnings.first ?? "").contains("\n"), sourceLocation: sourceLocation)
            // Falls back to exact search, which still answers.
            #expect(s.nearest(to: s.unitVector(of: 0), k: 3, excluding: [0]).count == 3, sourceLocation: sourceLocation)
        }

        var flipped = good
        flipped[good.count / 2] ^= 0x40
        dir.write("m.rvmodel.hnsw", bytes: flipped)
        expectIgnored("checksum mismatch")
        dir.write("m.rvmodel.hnsw", bytes: Array(good.prefix(good.count - 9)))
        expectIgnored("checksum mismatch")
        dir.write("m.rvmodel.hnsw", bytes: Array(good.prefix(20)))
        expectIgnored("truncated")
        dir.write("m.rvmodel.hnsw", bytes: [])
        expectIgnored("empty")
        dir.write("m.rvmodel.hnsw", "not an index\n")
        expectIgnored("not a RecVec HNSW index")

        // The model changes (retrained or edited): the old index is stale.
        dir.write("m.rvmodel.hnsw", bytes: good)
        #expect(load().0.isApproximate)
        model.input.row(5)[0] += 1
        try ModelFile.write(model, to: modelPath)
        expectIgnored("stale index")
        #expect {
            try IndexFile.read(
                from: indexPath,
                vectors: unit,
                fingerprint: ModelFingerprint(itemCount: 300, dim: 16, fileSize: 1, fileCRC: 2)
            )
        } throws: { ($0 as? ModelFileError)?.message.contains("stale index") == true }

        // A well-formed file with a checksum that matches but a link out of range.
        var bad = good
        let linksStart = IndexFile.headerSize + 300
        bad[linksStart + 4] = 0xFF
        bad[linksStart + 5] = 0xFF
        let crc = bad.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bad.count - 4)])) }
        withUnsafeBytes(of: crc.littleEndian) { bad.replaceSubrange((bad.count - 4)..., with: $0) }
        try ModelFile.write(Self.clusteredModel(count: 300), to: modelPath)
        dir.write("m.rvmodel.hnsw", bytes: bad)
        expectIgnored("corrupt graph")
        // No index at all: exact, silently.
        try FileManager.default.removeItem(atPath: indexPath)
        let (s, warnings) = load()
        #expect(!s.isApproximate && warnings.isEmpty)
    }

    @Test func itemSearchMatchesNearestNeighborsAndExcludes() throws {
        let model = Self.clusteredModel(count: 500)
        let exact = ItemSearch(model: model)
        let nn = NearestNeighbors(model: model)
        let byTokens = try nn.similar(to: ["v7"], top: 5)
        let direct = exact.nearest(to: exact.unitVector(of: 7), k: 5, excluding: [7])
        #expect(byTokens.map(\.id) == direct.map(\.id))
        let index = HNSWIndex.build(vectors: exact.unitVectors, count: 500, parameters: Self.parameters, threads: 1)
        let approximate = ItemSearch(unitVectors: exact.unitVectors, itemCount: 500, index: index, efSearch: 100)
        let excluded = Set<Int32>([7]).union(direct.prefix(2).map(\.id))
        let answer = approximate.nearest(to: exact.unitVector(of: 7), k: 5, excluding: excluded)
        #expect(answer.count == 5 && answer.allSatisfy { !excluded.contains($0.id) })
        #expect(answer.map(\.id) == exact.nearest(to: exact.unitVector(of: 7), k: 5, excluding: excluded).map(\.id))
        // Through NearestNeighbors and the recommender.
        let viaIndex = NearestNeighbors(model: model, search: approximate)
        #expect(try viaIndex.similar(to: ["v7"], top: 5).map(\.id) == byTokens.map(\.id))
        let recommender = try EmbeddingRecommender(model: model, search: approximate)
        let exactRecommender = try EmbeddingRecommender(model: model)
        #expect(
            recommender.recommend(history: ["v1", "v2"], top: 5).map(\.token)
                == exactRecommender.recommend(history: ["v1", "v2"], top: 5).map(\.token)
        )
        #expect(recommender.recommend(history: ["unknown"], top: 3).allSatisfy { $0.source == "popularity" })
    }

    @Test func tinyAndEmptyIndexes() {
        let model = Self.clusteredModel(count: 3)
        let unit = model.input.normalizedRows()
        let empty = HNSWIndex.build(vectors: unit, count: 0, parameters: Self.parameters)
        #expect(empty.search(unit.row(0), k: 5).isEmpty && empty.entryPoint == -1)
        let three = HNSWIndex.build(vectors: unit, count: 3, parameters: Self.parameters, threads: 4)
        #expect(Set(three.search(unit.row(0), k: 10).map(\.id)) == [0, 1, 2])
        #expect(three.search(unit.row(0), k: 10, excluding: [0, 1]).map(\.id) == [2])
        #expect(three.search(model.input.vector(1), k: 1).map(\.id) == [1])
    }

    @Test func rejectsBadParameters() {
        #expect(throws: ConfigurationError.self) { try HNSWParameters(m: 1).validate() }
        #expect(throws: ConfigurationError.self) { try HNSWParameters(efConstruction: 0).validate() }
        #expect(throws: ConfigurationError.self) { try HNSWParameters(efSearch: 0).validate() }
        #expect(throws: Never.self) { try HNSWParameters().validate() }
    }
}
