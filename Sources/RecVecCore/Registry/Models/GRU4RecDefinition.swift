// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// GRU4Rec (Hidasi et al. 2016; Hidasi & Karatzoglou 2018): a recurrent network over the session's
/// items, trained with session-parallel minibatches and sampled negatives.
public enum GRU4RecDefinition: ModelDefinition {
    public static let name: ModelName = "gru4rec"
    public static let aliases: [String] = []
    public static let summary =
        "GRU over the session's items, trained with cross-entropy or BPR-max on sampled negatives"
    public static let reference = "Hidasi et al. 2016; Hidasi & Karatzoglou 2018"
    public static let family = ModelFamily.sequence
    public static let needs: ModelNeeds = []
    public static let offers: ModelOffers = []

    public static func recommender(_ s: ModelSettings) throws -> GRU4RecModel {
        GRU4RecModel(
            gru: s.gru4rec,
            dim: s.training.dim,
            epochs: s.training.epochs,
            minCount: s.minCount,
            seed: s.training.seed,
            threads: s.training.resolvedThreads
        )
    }

    /// The official implementation's parameter spaces (`paramspaces/gru4rec_{xe,bprmax}_standard_parspace.json`):
    /// the loss, one layer of 64–512 units (step 32), batch 32–256 (step 16), learning rate
    /// 0.01–0.25 (step 0.005), embedding dropout 0–0.5 and hidden dropout 0–0.7 (steps 0.05),
    /// momentum 0–0.9 (step 0.05), sample alpha 0–1 (step 0.1); for BPR-max also bpreg 0–2
    /// (step 0.05) and ELU α in {0.5, 1, 0}. Constrained embedding, 2048 samples and the epochs
    /// stay as given.
    public static let tuning: TuningSpace? = TuningSpace { base, rng in
        var o = base
        func grid(_ lo: Double, _ hi: Double, _ step: Double) -> Double {
            let n = Int(((hi - lo) / step).rounded())
            return lo + Double(rng.next(below: n + 1)) * step
        }
        var g = base.gru4rec
        g.loss = rng.next(below: 2) == 0 ? .crossEntropy : .bprMax
        g.layers = [Int(grid(64, 512, 32))]
        g.batchSize = Int(grid(32, 256, 16))
        g.learningRate = grid(0.01, 0.25, 0.005)
        g.dropoutEmbedding = grid(0, 0.5, 0.05)
        g.dropoutHidden = grid(0, 0.7, 0.05)
        g.momentum = grid(0, 0.9, 0.05)
        g.sampleAlpha = grid(0, 1, 0.1)
        if g.loss == .bprMax {
            g.bpreg = grid(0, 2, 0.05)
            g.eluParam = [0.5, 1, 0][rng.next(below: 3)]
        }
        o.gru4rec = g
        return o
    }
}
