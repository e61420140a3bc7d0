// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// What a recommender learns from: training sequences over an item index, with item counts.
public struct TrainingData: Sendable {
    /// The training sequences, flat (see ``FlatRows``).
    public var sequences: FlatRows<Int32>
    /// Item strings by id (the index of the whole data set, test-only items included).
    public var items: [String]
    /// Occurrences of each item in `sequences`.
    public var counts: [Int]
    /// The time of every event, parallel to `sequences`, when the data has times (events that
    /// share a time form a basket for bagged-prod2vec).
    public var times: FlatRows<Double>?

    /// Training data over flat rows (shared, not copied); `times` that are not parallel to
    /// `sequences` are dropped.
    public init(sequences: FlatRows<Int32>, items: [String], times: FlatRows<Double>? = nil) {
        self.sequences = sequences
        self.items = items
        self.times = times.flatMap { $0.isParallel(to: sequences) ? $0 : nil }
        var counts = [Int](repeating: 0, count: items.count)
        // In chunks: the pages of mapped rows go back once counted.
        sequences.values.forEachChunk { chunk, _ in for i in chunk { counts[Int(i)] += 1 } }
        self.counts = counts
    }

    /// Training data from nested arrays (copied into flat rows); `times` that are not parallel to
    /// `sequences` are dropped.
    public init(sequences: [[Int32]], items: [String], times: [[Double]]? = nil) {
        let rows = FlatRows(sequences)
        let parallel = times.flatMap { t in
            t.count == sequences.count && zip(t, sequences).allSatisfy { $0.count == $1.count } ? FlatRows(t) : nil
        }
        self.init(sequences: rows, items: items, times: parallel)
    }

    /// Items that occur in training.
    public var catalogSize: Int { counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
}

/// A model `evaluate` and `tune` can fit and query.
///
/// `score` writes one score per item; items it has no opinion on get `-Float.infinity` and are
/// ranked after the others by popularity (the evaluator's fallback).
public protocol RecommenderModel: Sendable {
    /// Its name in tables.
    var name: String { get }
    /// Its hyperparameters, for the record.
    var config: [String: String] { get }
    /// Whether ``fit(_:)`` reads ``TrainingData/times``. Evaluation drops the times (8 bytes an
    /// event, twice: the data's and the split's) when no model of the run reads them and the
    /// protocol does not need them. Default `true`.
    var usesTimes: Bool { get }
    /// Learns from `data`.
    mutating func fit(_ data: TrainingData) throws
    /// Scores every item for `history` (oldest first) into `scores` (`items.count` long, preset to
    /// −∞); returns `false` when the history gives nothing to go on.
    func score(history: [Int32], into scores: inout [Float]) -> Bool
    /// The `k` best items for `history`, best first, leaving out `excluded`, when the model finds
    /// them without scoring every item (through an HNSW index); `nil`: the evaluator scores every
    /// item with ``score(history:into:)``. An empty answer means the history gives nothing to go on.
    func approximateTop(history: [Int32], k: Int, excluding excluded: Set<Int32>) -> [Int32]?
}

extension RecommenderModel {
    /// A model reads the times unless it says otherwise.
    public var usesTimes: Bool { true }

    /// Models score every item (the evaluator's exact path) unless they say otherwise.
    public func approximateTop(history: [Int32], k: Int, excluding excluded: Set<Int32>) -> [Int32]? { nil }
}

/// Sparse rows of item-to-item weights.
struct SparseRows: Sendable {
    var ids: [[Int32]]
    var values: [[Float]]

    init(count: Int) {
        ids = Array(repeating: [], count: count)
        values = Array(repeating: [], count: count)
    }

    /// Builds rows from dictionaries, sorted by id.
    init(_ rows: [[Int32: Float]]) {
        ids = []
        values = []
        ids.reserveCapacity(rows.count)
        for row in rows {
            let sorted = row.sorted { $0.key < $1.key }
            ids.append(sorted.map(\.key))
            values.append(sorted.map(\.value))
        }
    }

    /// scores[j] += weight · row[i][j], turning −∞ into 0 first.
    @inline(__always)
    func accumulate(row i: Int32, weight: Float, into scores: inout [Float]) -> Bool {
        let r = Int(i)
        if ids[r].isEmpty { return false }
        for (j, v) in zip(ids[r], values[r]) {
            let old = scores[Int(j)]
            scores[Int(j)] = (old == -.infinity ? 0 : old) + weight * v
        }
        return true
    }
}
