// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// Hyperparameters of V-SKNN (Ludewig & Jannach 2018), defaults as in the session-rec framework.
public struct VSKNNConfig: Sendable, Codable, Equatable {
    /// k, the neighbour sessions whose items are scored. Default 100.
    public var neighbors = 100
    /// The most recent training sessions sharing an item with the history among which the
    /// neighbours are searched. Default 1000.
    public var sample = 1000
    /// How a click of the current session weighs by its position. Default div (p / l).
    public var weighting = SessionDecay.div
    /// How a neighbour's items weigh by how far back its most recent shared click lies. Default div (1 / s).
    public var scoreWeighting = SessionDecay.div
    /// w of the IDF weighting of the scored items, sim · (1 + w · idf(i)); 0 = off. Default 0.
    public var idfWeight = 0.0

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first setting out of range.
    public func validate() throws {
        if neighbors < 1 { throw ConfigurationError(setting: "vsknn_neighbors", "must be at least 1") }
        if sample < 1 { throw ConfigurationError(setting: "vsknn_sample", "must be at least 1") }
        if !(idfWeight >= 0 && idfWeight.isFinite) {
            throw ConfigurationError(setting: "vsknn_idf", "must be 0 (off) or positive (got \(idfWeight))")
        }
    }
}

/// V-SKNN, "vector multiplication" session-kNN (Ludewig & Jannach, "Evaluation of session-based
/// recommendation algorithms", 2018; as session-rec's `VMContextKNN`):
///
/// - candidates: the ``VSKNNConfig/sample`` most recent training sessions that share an item with
///   the history;
/// - similarity: the history as a vector whose item i weighs ``VSKNNConfig/weighting`` at the
///   position of i's last click, dotted with the neighbour's binary item vector and divided by the
///   history's distinct items; the ``VSKNNConfig/neighbors`` most similar (similarity > 0) are kept;
/// - score of item j: Σ over the neighbours n containing j of
///   sim(n) · (1 + w · idf(j)) · ``VSKNNConfig/scoreWeighting``(s_n), where s_n counts back from
///   the history's last click (1) to its most recent click on an item n contains, and
///   idf(j) = ln(training sessions / training events of j).
public struct VSKNNModel: RecommenderModel {
    public let name = VSKNNDefinition.name.rawValue
    public var vsknn: VSKNNConfig
    var index = SessionNeighborhood()
    var idf: [Float] = []

    public init(vsknn: VSKNNConfig = VSKNNConfig()) { self.vsknn = vsknn }

    public var config: [String: String] {
        [
            "neighbors": String(vsknn.neighbors), "sample": String(vsknn.sample),
            "weighting": vsknn.weighting.rawValue, "score_weighting": vsknn.scoreWeighting.rawValue,
            "idf": String(vsknn.idfWeight),
        ]
    }

    public mutating func fit(_ data: TrainingData) throws {
        try vsknn.validate()
        index = SessionNeighborhood(data)
        let sessions = Double(max(1, index.sessionCount))
        idf = data.counts.map { $0 > 0 ? Float(Foundation.log(sessions / Double($0))) : 0 }
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        let length = history.count
        let distinct = index.markHistory(history, scratch: &scores)
        if distinct.isEmpty { return false }
        let weights = (0...length).map { p in p == 0 ? 0 : vsknn.weighting.positionWeight(position: p, length: length) }
        var best = TopK(k: vsknn.neighbors)
        for s in index.candidates(sharing: distinct, sample: vsknn.sample) {
            var sum = 0.0
            for m in index.offsets[Int(s)]..<index.offsets[Int(s) + 1] {
                let p = scores[Int(index.members[m])]
                if p > 0 { sum += weights[Int(p)] }
            }
            let similarity = sum / Double(distinct.count)
            if similarity > 0 { best.offer(Float(similarity), s) }
        }
        let neighbours = best.sorted()
        // The most recent history click each neighbour shares, read before the marks are cleared.
        let steps = neighbours.map { n in
            var latest: Float = 0
            for m in index.offsets[Int(n.id)]..<index.offsets[Int(n.id) + 1] {
                latest = max(latest, scores[Int(index.members[m])])
            }
            return length - Int(latest) + 1
        }
        index.unmark(distinct, scratch: &scores)
        let w = Float(vsknn.idfWeight)
        for (n, step) in zip(neighbours, steps) {
            let factor = n.score * Float(vsknn.scoreWeighting.stepWeight(step: step))
            for m in index.offsets[Int(n.id)]..<index.offsets[Int(n.id) + 1] {
                let j = Int(index.members[m])
                let old = scores[j]
                scores[j] = (old == -.infinity ? 0 : old) + factor * (1 + w * idf[j])
            }
        }
        return !neighbours.isEmpty
    }
}
