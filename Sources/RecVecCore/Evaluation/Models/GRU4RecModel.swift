// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// GRU4Rec (Hidasi et al., "Session-based Recommendations with Recurrent Neural Networks", ICLR
/// 2016; Hidasi & Karatzoglou, "Recurrent Neural Networks with Top-k Gains for Session-based
/// Recommendations", CIKM 2018): a GRU reads the session's items one by one, and its state scores
/// every item as the next one.
///
/// It trains on the training sequences in time order of their first event (when the data has
/// times), with the items seen at least `minCount` times; a history runs through the network from
/// a zero state, and its unknown items are skipped.
public struct GRU4RecModel: RecommenderModel {
    public let name = GRU4RecDefinition.name.rawValue
    /// Its hyperparameters, with the layers given (not empty).
    public var gru: GRU4RecConfig
    public var epochs: Int
    public var minCount: Int
    public var seed: UInt64
    public var threads: Int
    /// The trained network, and the model id of each data item (−1: not in the model).
    public private(set) var network: GRU4RecWeights?
    var toModel: [Int32] = []
    var toData: [Int32] = []
    /// The mean training loss of each epoch, and its seconds.
    public private(set) var epochLosses: [Double] = []
    public private(set) var epochSeconds: [Double] = []

    /// The model with `gru`'s hyperparameters (its layers, when empty, one of `dim` units).
    public init(
        gru: GRU4RecConfig = .init(),
        dim: Int = 100,
        epochs: Int = 10,
        minCount: Int = 1,
        seed: UInt64 = 1,
        threads: Int = 1
    ) {
        var g = gru
        if g.layers.isEmpty { g.layers = [dim] }
        self.gru = g
        self.epochs = epochs
        self.minCount = minCount
        self.seed = seed
        self.threads = threads
    }

    public var config: [String: String] {
        [
            "layers": gru.layers.map(String.init).joined(separator: "/"), "loss": gru.loss.rawValue,
            "batch_size": String(gru.batchSize), "n_sample": String(gru.nSample),
            "sample_alpha": String(gru.sampleAlpha), "dropout_p_embed": String(gru.dropoutEmbedding),
            "dropout_p_hidden": String(gru.dropoutHidden), "learning_rate": String(gru.learningRate),
            "momentum": String(gru.momentum), "bpreg": String(gru.bpreg), "elu_param": String(gru.eluParam),
            "logq": String(gru.logq), "embedding": String(gru.embedding),
            "constrained_embedding": String(gru.constrainedEmbedding), "epochs": String(epochs),
            "min_count": String(minCount),
        ]
    }

    public mutating func fit(_ data: TrainingData) throws {
        try gru.validate()
        if gru.layers.isEmpty { throw ConfigurationError(setting: "gru_layers", "needs at least one layer") }
        if epochs < 1 { throw ConfigurationError(setting: "epochs", "must be at least 1 (got \(epochs))") }
        toModel = [Int32](repeating: -1, count: data.items.count)
        toData = []
        for (i, c) in data.counts.enumerated() where c >= max(1, minCount) {
            toModel[i] = Int32(toData.count)
            toData.append(Int32(i))
        }
        var counts = [Int](repeating: 0, count: toData.count)
        var sessions: [(first: Double, index: Int, items: [Int32])] = []
        for (s, sequence) in data.sequences.enumerated() {
            let items = sequence.compactMap { d -> Int32? in
                let m = toModel[Int(d)]
                return m >= 0 ? m : nil
            }
            for i in items { counts[Int(i)] += 1 }
            if items.count >= 2 {
                sessions.append((data.times?[s].first ?? 0, s, items))
            }
        }
        network = nil
        epochLosses = []
        epochSeconds = []
        let ordered = Self.trainingOrder(sessions)
        if toData.isEmpty || ordered.isEmpty { return }
        var losses: [Double] = []
        var seconds: [Double] = []
        network = try Self.trainNetwork(
            ordered,
            items: toData.count,
            counts: counts,
            gru: gru,
            epochs: epochs,
            seed: seed,
            threads: threads
        ) { _, loss, s in
            losses.append(loss)
            seconds.append(s)
        }
        epochLosses = losses
        epochSeconds = seconds
    }

    /// The sessions in time order of their first events (stable: file order among equal times).
    static func trainingOrder(_ sessions: [(first: Double, index: Int, items: [Int32])]) -> [[Int32]] {
        sessions.sorted { ($0.first, $0.index) < ($1.first, $1.index) }.map(\.items)
    }

    /// Trains a network over `items` items on `sessions` (model ids, each at least two long, in
    /// training order); `onEpoch` gets each epoch's number (1-based), mean loss and seconds.
    /// Throws when training diverges.
    static func trainNetwork(
        _ sessions: [[Int32]],
        items: Int,
        counts: [Int],
        gru: GRU4RecConfig,
        epochs: Int,
        seed: UInt64,
        threads: Int,
        onEpoch: (Int, Double, Double) -> Void
    ) throws -> GRU4RecWeights {
        let trainer = GRU4RecTrainer(config: gru, items: items, counts: counts, seed: seed, threads: threads)
        for epoch in 0..<epochs {
            let start = Date()
            let loss = trainer.epoch(sessions)
            onEpoch(epoch + 1, loss, Date().timeIntervalSince(start))
            if !loss.isFinite {
                throw ConfigurationError(
                    setting: "alpha",
                    "GRU4Rec's training diverged (loss \(loss)); lower the learning rate"
                )
            }
        }
        return trainer.weights
    }

    public func score(history: [Int32], into scores: inout [Float]) -> Bool {
        guard let network else { return false }
        let items = history.compactMap { d -> Int32? in
            d >= 0 && Int(d) < toModel.count && toModel[Int(d)] >= 0 ? toModel[Int(d)] : nil
        }
        if items.isEmpty { return false }
        var modelScores = [Float](repeating: 0, count: network.itemCount)
        modelScores.withUnsafeMutableBufferPointer { network.scores(after: items, into: $0.baseAddress!) }
        for m in 0..<toData.count { scores[Int(toData[m])] = modelScores[m] }
        return true
    }
}
