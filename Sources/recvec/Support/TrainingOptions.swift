// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

extension Architecture: ExpressibleByArgument {}
extension WindowMode: ExpressibleByArgument {}
extension Optimizer: ExpressibleByArgument {}
extension TrainingLoss: ExpressibleByArgument {}

/// The hyperparameters of `train` (and of every command that trains).
struct TrainingOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "train: the model, one of \(ModelHelp.trainableNames) (`recvec models` describes them); default: the plain engine (--architecture).",
            valueName: "name"
        )
    )
    var model: String?

    @Option(help: "skipgram (each context token predicts the centre) or cbow (the context mean predicts it).")
    var architecture: Architecture = .skipGram

    @Flag(help: "CBOW: sum the context vectors instead of averaging them.")
    var cbowSum = false

    @Option(help: "Vector dimension.")
    var dim: Int = 100

    @Option(help: "Context tokens on each side.")
    var window: Int = 5

    @Option(
        help:
            "shrink (random size in 1...window, word2vec), fixed, or full (the whole sequence: sets). Default: shrink; full for item2vec, as Barkan & Koenigstein define it."
    )
    var windowMode: WindowMode?

    @Option(
        help:
            "Output layer: negative (negative sampling), softmax (the exact softmax over every item, O(items) per example) or hierarchical (hierarchical softmax over a Huffman tree, O(log items))."
    )
    var loss: TrainingLoss = .negative

    @Option(help: "--loss softmax refuses vocabularies larger than this.")
    var softmaxMaxItems: Int = TrainingLoss.defaultSoftmaxMaxItems

    @Option(help: "Negative samples per positive example (--loss negative).")
    var negative: Int = 5

    @Flag(
        help:
            "Skip-gram: fresh negatives for every (context, centre) pair, as word2vec does (slower), instead of one set per window."
    )
    var perPairNegatives = false

    @Option(
        help: ArgumentHelp(
            "Skip-gram: how many contexts of a window share one draw of negatives (0 = the whole window, fastest; 1 = per pair). Default: the whole window for skipgram, 4 for item2vec, prod2vec and bagged-prod2vec.",
            valueName: "n"
        )
    )
    var negativeShare: Int?

    @Option(help: "Negatives are drawn from unigram^x; any real x (0 = uniform; negative favours rare items).")
    var nsExponent: Double = 0.75

    @Option(help: "Sub-sampling threshold for frequent tokens; 0 turns it off.")
    var sample: Double = 1e-3

    @Option(help: "Starting learning rate (default: 0.025 for skipgram, 0.05 for cbow).")
    var alpha: Double?

    @Option(help: "Learning rate at the end of the last epoch (linear decay).")
    var minAlpha: Double = 0.0001

    @Option(help: "Passes over the data.")
    var epochs: Int = 5

    @Option(help: "Worker threads (default: all cores). With 1 thread the same seed gives the same model.")
    var threads: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(
        help:
            "sgd or adagrad: bpr (per-factor accumulators) and the negative-sampling models of the shared kernel (row-wise: 2 floats per token)."
    )
    var optimizer: Optimizer = .sgd

    @OptionGroup(title: "Side information") var metadata: MetadataOptions
    @OptionGroup(title: "Paragraph vectors, user-prod2vec") var paragraph: ParagraphVectorOptions
    @OptionGroup(title: "bagged-prod2vec, global context, time windows, weights") var sequenceModel:
        SequenceModelOptions
    @OptionGroup(title: "Meta-Prod2Vec") var meta: MetaProd2VecOptions
    @OptionGroup(title: "Content2vec") var content: Content2vecOptions
    @OptionGroup(title: "ALS, BPR") var factorization: FactorizationOptions
    @OptionGroup(title: "GRU4Rec") var gru4rec: GRU4RecOptions

    /// The engine's hyperparameters as given (the model's definition sets the rest).
    var engine: TrainingConfig {
        var c = TrainingConfig()
        c.architecture = architecture
        c.cbowMean = !cbowSum
        c.dim = dim
        c.window = window
        c.negative = negative
        c.loss = loss == .negative ? nil : loss
        c.softmaxMaxItems = softmaxMaxItems == TrainingLoss.defaultSoftmaxMaxItems ? nil : softmaxMaxItems
        c.perPairNegatives = perPairNegatives ? true : nil
        c.negativeShare = negativeShare
        c.nsExponent = nsExponent
        c.sample = sample
        c.alpha = alpha
        c.minAlpha = minAlpha
        c.epochs = epochs
        c.threads = threads
        c.seed = seed
        c.optimizer = optimizer == .sgd ? nil : optimizer
        return c
    }

    /// Every option of the group as the library's settings, validated: a pure function of the
    /// options (the metadata file is read later, by ``modelInputs()``).
    func settings() throws -> ModelSettings {
        var s = ModelSettings()
        s.training = engine
        s.windowMode = windowMode
        s.paragraph = try paragraph.config()
        s.sequenceOptions = try sequenceModel.config()
        s.meta = try meta.config()
        s.content = try content.config()
        s.factorization = try factorization.config()
        s.gru4rec = try gru4rec.config(learningRate: alpha)
        s.metadataFields = metadata.fields
        try s.validate()
        return s
    }

    /// The model `--model` names (or the plain engine by `--architecture`).
    func definition() throws -> any TrainableModelDefinition.Type {
        guard let model else { return try ModelRegistry.definition(for: engine) }
        return try ModelRegistry.requireTrainable(model)
    }

    func validate() throws {
        try FlagNames.mapping {
            let settings = try settings()
            let definition = try definition()
            try definition.validate(definition.configuration(settings))
        }
    }
}

extension TrainingOptions {
    /// What the chosen model needs beyond the corpus, read from the files the options name.
    func modelInputs() throws -> ModelInputs {
        var inputs = ModelInputs()
        inputs.metadata = try metadata.read()
        inputs.metadataFields = metadata.fields
        inputs.content.report = { printError($0) }
        return inputs
    }
}

/// Model names for help texts, from the registry.
enum ModelHelp {
    static var trainableNames: String { ModelRegistry.trainable.map { $0.name.rawValue }.joined(separator: ", ") }
    static var allNames: String { ModelRegistry.helpList }
}
