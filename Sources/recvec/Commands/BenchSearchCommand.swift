// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-search",
        abstract: "Measure exact and HNSW search (queries/s, latency, recall@k) in one process, as JSON.",
        discussion: """
            Loads MODEL and its index (MODEL.hnsw, or --index), takes queries from --queries (raw little-endian \
            float32, one row of DIM floats per query, normalized here) or samples --sample items (each leaving \
            itself out), computes the exact answers on all cores, then times exact search on the first \
            --exact-queries queries and HNSW search at each --ef, one query at a time on one thread and as a \
            batch on all cores. Used by Benchmarks/compare_ann.py.
            """
    )

    @Argument(help: "A RecVec model, or word2vec vectors.")
    var model: String

    @Option(help: "The index file (default: MODEL.hnsw).")
    var index: String?

    @Option(help: "Query vectors: raw little-endian float32, DIM floats per query.")
    var queries: String?

    @Option(help: "Without --queries: how many items to sample as queries.")
    var sample: Int = 1000

    @Option(help: "Answers per query (recall@k).")
    var k: Int = 10

    @Option(parsing: .upToNextOption, help: "Candidate list sizes to measure.")
    var ef: [Int] = [10, 20, 40, 80, 160]

    @Option(help: "How many of the queries exact search is timed on (0: skip).")
    var exactQueries: Int = 200

    @Option(help: "Threads of the batch measurements (default: all cores).")
    var threads: Int?

    struct Output: Encodable {
        var items: Int
        var dim: Int
        var queries: Int
        var k: Int
        var loadSeconds: Double
        var truthSeconds: Double
        var indexFileBytes: Int
        var indexParameters: HNSWParameters
        var exact: SearchMeasurement?
        var hnsw: [SearchMeasurement]
    }

    func run() throws {
        guard k >= 1 else { throw ConfigurationError(setting: "k", "must be at least 1") }
        guard sample >= 1 else { throw ConfigurationError(setting: "sample", "must be at least 1") }
        guard ef.allSatisfy({ $0 >= 1 }) else { throw ConfigurationError(setting: "ef", "must be at least 1") }
        if let threads, threads < 1 { throw ConfigurationError(setting: "threads", "must be at least 1") }
        let start = Date()
        let m = try loadModel(model)
        let unit = m.input.normalizedRows()
        let indexPath = index ?? IndexFile.path(forModel: model)
        let graph = try IndexFile.read(
            from: indexPath,
            vectors: unit,
            fingerprint: ModelFingerprint(modelPath: model, model: m)
        )
        let loadSeconds = Date().timeIntervalSince(start)
        let exact = ItemSearch(unitVectors: unit, itemCount: m.itemCount)
        let queryMatrix: EmbeddingMatrix
        let excluded: [Int32?]
        if let queries {
            queryMatrix = try readQueries(queries, dim: m.dim)
            excluded = Array(repeating: nil, count: queryMatrix.rows)
        } else {
            let (q, ids) = SearchBenchmark.itemQueries(exact, count: sample, seed: 7)
            queryMatrix = q
            excluded = ids
        }
        let truthStart = Date()
        let truth = SearchBenchmark.exactAnswers(exact, queries: queryMatrix, k: k, excluded: excluded)
        let truthSeconds = Date().timeIntervalSince(truthStart)
        var exactResult: SearchMeasurement?
        let n = min(exactQueries, queryMatrix.rows)
        if n > 0 {
            let subset = EmbeddingMatrix(rows: n, dim: m.dim)
            subset.base.update(from: queryMatrix.base, count: n * subset.stride)
            exactResult = SearchBenchmark.measure(
                exact,
                queries: subset,
                excluded: Array(excluded[0..<n]),
                truth: Array(truth[0..<n]),
                k: k,
                batchThreads: threads
            )
        }
        var results: [SearchMeasurement] = []
        for width in ef {
            let search = ItemSearch(unitVectors: unit, itemCount: m.itemCount, index: graph, efSearch: width)
            results.append(
                SearchBenchmark.measure(
                    search,
                    queries: queryMatrix,
                    excluded: excluded,
                    truth: truth,
                    k: k,
                    batchThreads: threads
                )
            )
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: indexPath)[.size] as? Int) ?? 0
        try printJSON(
            Output(
                items: m.itemCount,
                dim: m.dim,
                queries: queryMatrix.rows,
                k: k,
                loadSeconds: loadSeconds,
                truthSeconds: truthSeconds,
                indexFileBytes: bytes,
                indexParameters: graph.parameters,
                exact: exactResult,
                hnsw: results
            )
        )
    }

    /// Raw float32 rows of `dim`, each normalized to unit length.
    private func readQueries(_ path: String, dim: Int) throws -> EmbeddingMatrix {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the query file")
        }
        guard data.count > 0, data.count % (4 * dim) == 0 else {
            throw InputError(file: path, "size \(data.count) is not a whole number of rows of \(dim) float32 values")
        }
        let rows = data.count / (4 * dim)
        let matrix = EmbeddingMatrix(rows: rows, dim: dim)
        data.withUnsafeBytes { raw in
            for r in 0..<rows {
                for c in 0..<dim {
                    let bits = UInt32(
                        littleEndian: raw.loadUnaligned(fromByteOffset: (r * dim + c) * 4, as: UInt32.self)
                    )
                    matrix.row(r)[c] = Float(bitPattern: bits)
                }
            }
        }
        return matrix.normalizedRows()
    }
}
