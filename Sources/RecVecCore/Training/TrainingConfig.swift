// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Which word2vec architecture learns the vectors (Mikolov et al. 2013a).
public enum Architecture: String, Sendable, Codable, CaseIterable {
    /// Each context token predicts the centre token (item2vec / prod2vec).
    case skipGram = "skipgram"
    /// The mean (or sum) of the context predicts the centre token.
    case cbow
}

/// Which tokens around a centre token are its context.
public enum WindowMode: String, Sendable, Codable, CaseIterable {
    /// word2vec's default: each centre draws a window size uniformly in 1...window.
    case shrink
    /// Always `window` tokens on each side.
    case fixed
    /// Every other token of the sequence (sets, as in item2vec; Barkan & Koenigstein 2016).
    case full
}

/// Hyperparameters of training, with the word2vec tool's defaults.
public struct TrainingConfig: Sendable, Codable, Equatable {
    /// The model this config trained (a name in ``ModelRegistry``); `nil` for the plain engine
    /// (skip-gram or CBOW by ``architecture``).
    public var model: ModelName? = nil
    public var architecture: Architecture = .skipGram
    /// CBOW only: average the context vectors (`true`, default) or sum them.
    public var cbowMean = true
    /// Vector dimension. Default 100.
    public var dim = 100
    /// Context size on each side. Default 5.
    public var window = 5
    public var windowMode: WindowMode = .shrink
    /// The output layer: negative sampling, the full softmax or hierarchical softmax. `nil` (and
    /// every file written before the option existed) = negative sampling.
    public var loss: TrainingLoss? = nil
    /// The full softmax refuses vocabularies above this many tokens (its cost is O(V) per example);
    /// `nil` = ``TrainingLoss/defaultSoftmaxMaxItems``.
    public var softmaxMaxItems: Int? = nil
    /// Negative samples per positive example (negative sampling only). Default 5.
    public var negative = 5
    /// Skip-gram: draw fresh negatives for every (context, centre) pair, as the word2vec tool does,
    /// instead of one set shared by ``negativeShare`` contexts of a window. `nil` = shared.
    public var perPairNegatives: Bool? = nil
    /// Skip-gram with negative sampling: how many contexts of a window share one draw of negatives
    /// (Ji et al. 2016 share them across the whole window: one set of scores and updates for many
    /// contexts, fastest); `0` or `nil` = the whole window, `1` = every pair its own (as
    /// ``perPairNegatives``). The item models (item2vec, prod2vec, bagged-prod2vec) set
    /// ``itemNegativeShare`` when none is given.
    public var negativeShare: Int? = nil

    /// Contexts that share one draw of negatives in the item models unless ``negativeShare`` says
    /// otherwise: 4. A whole window's contexts (up to 24 with a window of 12, a whole session in
    /// `full` mode) sharing one set trailed gensim's per-pair sampling on a next-item task; 4 met it
    /// (docs/results.md, "Negatives shared by four contexts"). Text skip-gram keeps the whole window
    /// (as fast as before, analogy accuracy the same).
    public static let itemNegativeShare = 4

    /// Contexts per draw of negatives, as the skip-gram sources use it: 1 for per-pair negatives
    /// (one context at a time, whatever the loss, as before the share existed), `Int.max` for the
    /// whole window (and for the softmax losses, which draw no negatives to share).
    public var resolvedNegativeShare: Int {
        if perPairNegatives == true { return 1 }
        if resolvedLoss != .negative { return Int.max }
        let share = negativeShare ?? 0
        return share == 0 ? Int.max : share
    }
    /// Negatives are drawn from unigram^nsExponent; any real value. Default 0.75.
    public var nsExponent = 0.75
    /// Sub-sampling threshold; 0 disables it. Default 1e-3.
    public var sample = 1e-3
    /// Starting learning rate; `nil` means 0.025 for skip-gram and 0.05 for CBOW.
    public var alpha: Double? = nil
    /// Final learning rate, reached linearly at the end of the last epoch. Default 0.0001.
    public var minAlpha = 0.0001
    /// Passes over the data. Default 5.
    public var epochs = 5
    /// Hogwild worker threads; `nil` means one per core.
    public var threads: Int? = nil
    /// Seed of every random choice; with one thread the same seed gives the same model.
    public var seed: UInt64 = 1
    /// How gradients become updates; `nil` means ``Optimizer/sgd``. Adagrad is available for the
    /// models in ``Optimizer/adagradModels``.
    public var optimizer: Optimizer? = nil

    // Model-specific hyperparameters (`nil` when the model is another one; defaults apply).
    /// Paragraph vectors and user-prod2vec.
    public var paragraph: ParagraphVectorConfig? = nil
    /// bagged-prod2vec and the practitioners' options (global context, time-aware windows).
    public var sequenceOptions: SequenceOptionsConfig? = nil
    /// Meta-Prod2Vec.
    public var meta: MetaProd2VecConfig? = nil
    /// Content2vec.
    public var content: Content2vecConfig? = nil
    /// ALS and BPR.
    public var factorization: FactorizationConfig? = nil
    /// GRU4Rec (its layers given: not empty once trained).
    public var gru4rec: GRU4RecConfig? = nil

    public init() {}

    /// The learning rate training starts from.
    public var startAlpha: Double { alpha ?? (architecture == .cbow ? 0.05 : 0.025) }

    /// The output layer training uses.
    public var resolvedLoss: TrainingLoss { loss ?? .negative }

    /// Throws unless the output layer can train over `classes` tokens: the full softmax refuses
    /// more than ``softmaxMaxItems``.
    /// Group negatives are negative sampling's; they refuse the other two.
    public func validateLoss(classes: Int) throws {
        if resolvedLoss != .negative && meta?.groupNegatives != nil {
            throw ConfigurationError(
                setting: "loss",
                "group negatives add sampled negatives; they need --loss negative (got \(resolvedLoss.rawValue))"
            )
        }
        if optimizer == .adagrad && (resolvedLoss != .negative || meta?.groupNegatives != nil) {
            throw ConfigurationError(
                setting: "optimizer",
                "adagrad trains the negative-sampling loss without group negatives so far (got --loss \(resolvedLoss.rawValue)\(meta?.groupNegatives != nil ? " with group negatives" : ""))"
            )
        }
        let limit = softmaxMaxItems ?? TrainingLoss.defaultSoftmaxMaxItems
        if resolvedLoss == .softmax && classes > limit {
            throw ConfigurationError(
                setting: "loss",
                "softmax over \(classes) tokens costs O(\(classes)) per example; it is refused above \(limit) tokens (raise --softmax-max-items, or use --loss hierarchical or negative)"
            )
        }
    }

    /// The number of threads training uses.
    public var resolvedThreads: Int { threads ?? ProcessInfoShim.activeProcessorCount }

    /// Throws a ``ConfigurationError`` naming the first nonsensical option.
    public func validate() throws {
        func require(_ ok: Bool, _ setting: String, _ message: String) throws {
            if !ok { throw ConfigurationError(setting: setting, message) }
        }
        try require(dim >= 1 && dim <= 10_000, "dim", "must be between 1 and 10000 (got \(dim))")
        try require(window >= 1, "window", "must be at least 1 (got \(window))")
        try require(negative >= 1 && negative <= 1000, "negative", "must be between 1 and 1000 (got \(negative))")
        if let share = negativeShare {
            try require(share >= 0, "negative_share", "must be 0 (the whole window) or more (got \(share))")
        }
        try require(nsExponent.isFinite, "ns_exponent", "must be a finite number")
        try require(sample >= 0 && sample.isFinite, "sample", "must be 0 (off) or positive (got \(sample))")
        try require(
            startAlpha > 0 && startAlpha.isFinite && startAlpha <= 10,
            "alpha",
            "must be positive and at most 10 (got \(startAlpha))"
        )
        try require(
            minAlpha >= 0 && minAlpha <= startAlpha,
            "min_alpha",
            "must be between 0 and the starting learning rate (got \(minAlpha))"
        )
        try require(epochs >= 1 && epochs <= 100_000, "epochs", "must be at least 1 (got \(epochs))")
        if let softmaxMaxItems {
            try require(softmaxMaxItems >= 1, "softmax_max_items", "must be at least 1 (got \(softmaxMaxItems))")
        }
        if let threads {
            try require(threads >= 1 && threads <= 1024, "threads", "must be between 1 and 1024 (got \(threads))")
        }
        if optimizer == .adagrad {
            let models = Optimizer.adagradModels
            try require(
                model.map { models.contains($0) } ?? true,
                "optimizer",
                "adagrad is available for \(models.map(\.rawValue).joined(separator: ", ")) so far; \(model?.rawValue ?? architecture.rawValue) trains with sgd"
            )
            try require(
                resolvedLoss == .negative || model == "bpr",
                "optimizer",
                "adagrad trains the negative-sampling loss so far (got --loss \(resolvedLoss.rawValue))"
            )
        }
    }
}

/// Core count without Foundation.
enum ProcessInfoShim {
    static var activeProcessorCount: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }
}
