// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// Hyperparameters of STAN (Garg et al. 2019), defaults as in the session-rec framework.
public struct STANConfig: Sendable, Codable, Equatable {
    /// k, the neighbour sessions whose items are scored. Default 100.
    public var neighbors = 100
    /// The most recent training sessions sharing an item with the history among which the
    /// neighbours are searched. Default 5000.
    public var sample = 5000
    /// λ₁, the decay of a history click with its distance from the last click. Default 1.02.
    public var lambdaPosition = 1.02
    /// λ₂ in days, the decay of a neighbour session with its age (off when the data has no
    /// times). Default 5.
    public var lambdaRecency = 5.0
    /// λ₃, the decay of a neighbour's item with its distance from the shared item in the
    /// neighbour. Default 2.05.
    public var lambdaNeighbor = 2.05

    public init() {}

    /// Throws a ``ConfigurationError`` naming the first setting out of range.
    public func validate() throws {
        if neighbors < 1 { throw ConfigurationError(setting: "stan_neighbors", "must be at least 1") }
        if sample < 1 { throw ConfigurationError(setting: "stan_sample", "must be at least 1") }
        for (name, value) in [
            ("stan_lambda_position", lambdaPosition), ("stan_lambda_recency", lambdaRecency),
            ("stan_lambda_neighbor", lambdaNeighbor),
        ] where !(value > 0 && value.isFinite) {
            throw ConfigurationError(setting: name, "must be positive (got \(value))")
        }
    }
}

/// STAN, sequence- and time-aware neighbourhood (Garg et al., SIGIR 2019), as session-rec
/// computes it:
///
/// - candidates: the ``STANConfig/sample`` most recent training sessions that share an item with
///   the history (l clicks long);
/// - w₁(i) = exp((p(i) − l) / λ₁), p(i) the 1-based position of i's last click in the history;
///   sim(n) = Σ_{i in both} w₁(i) / (√(Σ_{i in history} w₁(i)²) · √|n|), |n| its distinct items;
/// - w₂(n) = exp(−(t − t_n) / λ₂), t_n the time of n's last event: the similarity is multiplied
///   by it and the ``STANConfig/neighbors`` best are kept;
/// - score of item j: Σ over the neighbours n containing j of sim(n) · w₂(n) · w₃(j | n),
///   w₃ = exp(−|p_n(j) − p_n*| / λ₃), p_n(j) the position of j's last occurrence in n and p_n* the
///   last position in n of an item the history shares.
///
/// The reference time t: ``RecommenderModel/score(history:into:)`` gets no time (session-rec uses
/// the time of the event being predicted). But t only multiplies every neighbour's w₂ by the same
/// factor, exp(−(t − t₀)/λ₂) for any t₀, which changes neither the neighbours kept nor the ranking.
/// So the model works in logarithms, log sim + (t_n − t_latest)/λ₂, and divides every score by the
/// best neighbour's sim · w₂: the ranking of STAN at any reference time, without the underflow of
/// e^(−Δt/λ₂) on data that spans years. Without times w₂ = 1 (recency off).
public struct STANModel: RecommenderModel {
    public let name = STANDefinition.name.rawValue
    public var stan: STANConfig
    var index = SessionNeighborhood()

    public init(stan: STANConfig = STANConfig()) { self.stan = stan }

    public var config: [String: String] {
        [
            "neighbors": String(stan.neighbors), "sample": String(stan.sample),
            "lambda_position": String(stan.lambdaPosition), "lambda_recency": String(stan.lambdaRecency),
            "lambda_neighbor": String(stan.lambdaNeighbor), "recency": index.times == nil ? "off" : "on",
        ]
    }

    public mutating func fit(_ data: TrainingData) throws {
        try stan.validate()
        index = SessionNeighborhood(data)
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        let length = history.count
        let distinct = index.markHistory(history, scratch: &scores)
        if distinct.isEmpty { return false }
        let weights = (0...length).map { p in Foundation.exp(Double(p - length) / stan.lambdaPosition) }
        let norm = distinct.reduce(0.0) { sum, item in
            let w = weights[Int(scores[Int(item)])]
            return sum + w * w
        }.squareRoot()
        let recencyScale = 1 / (stan.lambdaRecency * 86_400)
        var best = TopK(k: stan.neighbors)
        for s in index.candidates(sharing: distinct, sample: stan.sample) {
            let lo = index.offsets[Int(s)]
            let hi = index.offsets[Int(s) + 1]
            var sum = 0.0
            for m in lo..<hi {
                let p = scores[Int(index.members[m])]
                if p > 0 { sum += weights[Int(p)] }
            }
            if !(sum > 0) { continue }
            var key = Foundation.log(sum / (norm * Double(hi - lo).squareRoot()))
            if let times = index.times { key -= (index.latestTime - times[Int(s)]) * recencyScale }
            best.offer(Float(key), s)
        }
        let neighbours = best.sorted()
        // p_n*, read before the marks are cleared.
        let shared = neighbours.map { n in
            var latest: Int32 = 0
            for m in index.offsets[Int(n.id)]..<index.offsets[Int(n.id) + 1] where scores[Int(index.members[m])] > 0 {
                latest = max(latest, index.lastPositions[m])
            }
            return latest
        }
        index.unmark(distinct, scratch: &scores)
        guard let top = neighbours.first?.score else { return false }
        for (n, star) in zip(neighbours, shared) {
            let weight = Foundation.exp(Double(n.score - top))
            for m in index.offsets[Int(n.id)]..<index.offsets[Int(n.id) + 1] {
                let j = Int(index.members[m])
                let w3 = Foundation.exp(-Double(abs(index.lastPositions[m] - star)) / stan.lambdaNeighbor)
                let old = scores[j]
                scores[j] = (old == -.infinity ? 0 : old) + Float(weight * w3)
            }
        }
        return true
    }
}
