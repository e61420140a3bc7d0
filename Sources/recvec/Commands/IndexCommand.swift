// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build an HNSW index (approximate nearest neighbours) over a model's items, saved as MODEL.hnsw.",
        discussion: """
            `similar` and `recommend` (cosine scoring) then search through MODEL.hnsw instead of scoring every \
            item; `--exact` forces exact search, `--ef` trades speed for recall. An index made from another model \
            (or a changed model file) is ignored with a warning. Hierarchical Navigable Small World graphs: \
            Malkov & Yashunin 2018, doi:10.1109/TPAMI.2018.2889473.
            """
    )

    @Argument(help: "A RecVec model, or word2vec vectors.")
    var model: String

    @Option(name: .customLong("m"), help: "Links per node (the bottom layer keeps 2·M).")
    var m: Int = 16

    @Option(help: "Candidate list size while building.")
    var efConstruction: Int = 200

    @Option(help: "Default candidate list size of queries (stored in the index).")
    var efSearch: Int = 100

    @Option(help: "Seed of the nodes' layers; with --threads 1 the same seed gives the same index.")
    var seed: UInt64 = 1

    @Option(help: "Build threads (default: all cores).")
    var threads: Int?

    @Option(help: "The index file (default: MODEL.hnsw, where queries look for it).")
    var output: String?

    @Option(help: "Items sampled as queries to measure recall@10 against exact search (0: skip).")
    var recallQueries: Int = 1000

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var index: String
        var items: Int
        var dim: Int
        var parameters: HNSWParameters
        var threads: Int
        var buildSeconds: Double
        var fileBytes: Int
        var measurement: SearchMeasurement?
    }

    func run() throws {
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch, seed: seed)
        try parameters.validate()
        if let threads, threads < 1 { throw ConfigurationError(setting: "threads", "must be at least 1") }
        if recallQueries < 0 { throw ConfigurationError(setting: "recall_queries", "must be 0 or positive") }
        let path = output ?? IndexFile.path(forModel: model)
        try checkWritable(path, option: "--output")
        let loaded = try loadModel(model)
        let fingerprint = try ModelFingerprint(modelPath: model, model: loaded)
        let unit = loaded.input.normalizedRows()
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let live = isatty(2) != 0 && !json
        let total = loaded.itemCount
        var progress: (@Sendable (Int) -> Void)?
        if live { progress = { done in writeError("\rindexing: \(done)/\(total) items") } }
        let start = Date()
        let index = HNSWIndex.build(
            vectors: unit,
            count: total,
            parameters: parameters,
            threads: workers,
            progress: progress
        )
        let seconds = Date().timeIntervalSince(start)
        if live { writeError("\n") }
        try IndexFile.write(index, fingerprint: fingerprint, to: path)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var measurement: SearchMeasurement?
        if recallQueries > 0 && total > 1 {
            let search = ItemSearch(unitVectors: unit, itemCount: total, index: index)
            let (queries, ids) = SearchBenchmark.itemQueries(search, count: recallQueries, seed: 7)
            let truth = SearchBenchmark.exactAnswers(search, queries: queries, k: 10, excluded: ids)
            measurement = SearchBenchmark.measure(search, queries: queries, excluded: ids, truth: truth, k: 10)
        }
        if json {
            try printJSON(
                Output(
                    index: path,
                    items: total,
                    dim: loaded.dim,
                    parameters: parameters,
                    threads: workers,
                    buildSeconds: seconds,
                    fileBytes: bytes,
                    measurement: measurement
                )
            )
            return
        }
        print(
            "built an HNSW index of \(total) items × \(loaded.dim) (M \(m), efConstruction \(efConstruction), "
                + "\(workers) threads) in \(String(format: "%.2f", seconds)) s"
        )
        print("wrote \(path) (\(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB)")
        if let r = measurement {
            print(
                "recall@10 vs exact on \(r.queries) sampled items (efSearch \(r.ef ?? efSearch)): "
                    + "\(String(format: "%.4f", r.recall)); \(String(format: "%.0f", r.queriesPerSecond)) queries/s "
                    + "on one thread (p50 \(String(format: "%.3f", r.p50Milliseconds)) ms, "
                    + "p99 \(String(format: "%.3f", r.p99Milliseconds)) ms)"
            )
        }
    }
}
