// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// What the models on the shared word2vec engine have in common: their configuration, their
/// training on the kernel, the tuning space of the engine's hyperparameters and the `info` line.
/// Each model's definition composes these; none of them names a model.
public enum EngineModels {
    /// The engine's configuration for a skip-gram-family model: the window mode's default, the
    /// contexts per draw of negatives when none is given (``TrainingConfig/negativeShare``), the
    /// sequence options when they matter (or `baskets`), group negatives when asked for.
    public static func configuration(
        _ s: ModelSettings,
        model: ModelName?,
        architecture: Architecture,
        windowMode: WindowMode = .shrink,
        negativeShare: Int? = nil,
        baskets: Bool = false
    ) -> TrainingConfig {
        var t = s.engine(model: model, architecture: architecture, windowMode: windowMode)
        if t.negativeShare == nil { t.negativeShare = negativeShare }
        if baskets || s.sequenceOptions != SequenceOptionsConfig() { t.sequenceOptions = s.sequenceOptions }
        if s.meta.groupNegatives != nil { t.meta = s.meta }
        return t
    }

    /// The recommender of a skip-gram-family model in evaluations.
    public static func recommender(
        name: ModelName,
        training: TrainingConfig,
        _ s: ModelSettings
    )
        -> EmbeddingRecommenderModel
    {
        var model = EmbeddingRecommenderModel(
            name: name.rawValue,
            training: training,
            minCount: s.minCount,
            scoring: s.scoring,
            weighting: s.weighting
        )
        model.metadata = s.metadata
        model.approximateSearch = s.approximateSearch
        return model
    }

    /// The `info` line of an engine configuration.
    public static func describe(_ c: TrainingConfig) -> String {
        let output: String
        switch c.resolvedLoss {
        case .negative:
            let share = c.resolvedNegativeShare
            let shared = share == Int.max ? "" : share == 1 ? " per pair" : " shared by \(share) contexts"
            output = "negative \(c.negative)\(shared), ns-exponent \(c.nsExponent)"
        case .hierarchical: output = "loss hierarchical"
        case .softmax: output = "loss softmax"
        }
        return
            "\(c.model.map { "model \($0), " } ?? "")\(c.architecture.rawValue), window \(c.window) (\(c.windowMode.rawValue)), "
            + "\(output), sample \(c.sample), "
            + "alpha \(c.startAlpha)→\(c.minAlpha), epochs \(c.epochs), seed \(c.seed)"
    }

    /// The engine's search space (Caselles-Dupré et al. 2018: the negative-sampling exponent,
    /// negative values too, window and its mode, sub-sampling, epochs, dimension, negatives,
    /// learning rate; with `negativeSharing`, how many contexts of a window share one draw of
    /// negatives: 1 (per pair), 2, 4 or the whole window) and the recommender's (min count,
    /// scoring, history weighting); `then` adds
    /// the model's own hyperparameters. With `losses`, the output layer too: negative sampling or
    /// hierarchical softmax (drawn last, so the other draws match a space without it; never with
    /// group negatives, which need negative sampling). The full softmax is left out: at O(V) per
    /// example a sampled configuration could cost a thousand times the others on a large catalog.
    public static func tuning(
        negativeSharing: Bool = true,
        losses: Bool = true,
        then extra: @escaping @Sendable (inout ModelSettings, inout FastRandom) -> Void = { _, _ in }
    ) -> TuningSpace {
        TuningSpace { base, rng in
            var o = base
            func pick<T>(_ xs: [T]) -> T { xs[rng.next(below: xs.count)] }
            var t = o.training
            t.nsExponent = Double(rng.nextUnitFloat()) * 2 - 1  // uniform in [-1, 1)
            t.window = pick([1, 2, 3, 5, 8, 12, 20])
            o.windowMode = pick(WindowMode.allCases)
            t.sample = pick([0, 1e-5, 1e-4, 1e-3, 1e-2])
            t.epochs = pick([5, 10, 20, 40])
            t.dim = pick([32, 64, 100, 128])
            t.negative = pick([3, 5, 10, 15])
            if negativeSharing {
                t.perPairNegatives = nil
                t.negativeShare = pick([1, 2, 4, 0])
            }
            t.alpha = pick([0.01, 0.025, 0.05, 0.1])
            t.minAlpha = min(t.minAlpha, t.alpha! / 10)
            o.training = t
            o.minCount = pick([1, 2, 3, 5])
            o.scoring = pick(RecommendationScoring.vectorScorings)
            o.weighting = HistoryWeighting(lastN: pick([0, 1, 2, 3, 5, 10, 20]), decay: pick([0, 0.1, 0.3, 0.5]))
            extra(&o, &rng)
            if losses && o.meta.groupNegatives == nil {
                o.training.loss = pick([TrainingLoss.negative, .hierarchical])
            }
            return o
        }
    }
}

extension Trainer {
    /// Skip-gram or CBOW on the shared kernel, with the corpus's side data when the configuration
    /// asks for it (baskets, time windows, event weights, global context) and group negatives.
    public func trainEngine(
        _ corpus: Corpus,
        inputs: ModelInputs,
        baskets: Bool = false,
        onEvent: (@Sendable (TrainingEvent) -> Void)? = nil
    ) throws -> EmbeddingModel {
        if config.meta?.groupNegatives != nil {
            if baskets {
                throw ConfigurationError(
                    setting: "group_negatives",
                    "group negatives train plain skip-gram windows, not baskets (\(config.model ?? "this model"))"
                )
            }
            return try trainWithGroupNegatives(corpus, inputs: inputs, onEvent: onEvent)
        }
        if let source = try eventSource(for: corpus, baskets: baskets) {
            return try train(corpus, source: source, onEvent: onEvent)
        }
        return try train(corpus, onEvent: onEvent)
    }
}
