// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Everything RecVec knows about one model, in one place: its name, what it is, what it needs and
/// offers, how `evaluate` and `tune` build it, and its tuning space.
///
/// A model is one type conforming to this protocol (in its own file, under `Registry/Models`) and
/// one line in ``ModelRegistry/all``. Commands ask the registry; nothing else lists or switches over
/// model names. Every requirement is mandatory, so the compiler tells a contributor what a new model
/// still lacks. Models that train into a model file conform to ``TrainableModelDefinition`` as well.
///
/// See the article "Adding a model" in the documentation catalog.
public protocol ModelDefinition: Sendable {
    /// The model as `evaluate` and `tune` fit it; its stored properties are its typed configuration.
    associatedtype Recommender: RecommenderModel

    /// The name `--model` and `--models` take (and model files record).
    static var name: ModelName { get }
    /// Other names that select the same model.
    static var aliases: [String] { get }
    /// One line for help texts and `recvec models`.
    static var summary: String { get }
    /// The paper (authors, year) the model follows, or "" for RecVec's own baselines.
    static var reference: String { get }
    static var family: ModelFamily { get }
    /// What it needs beyond sequences of items (checked before any work starts).
    static var needs: ModelNeeds { get }
    /// What it offers beyond scoring a history (``ModelOffers/modelFile`` comes from conforming to
    /// ``TrainableModelDefinition`` and need not be listed).
    static var offers: ModelOffers { get }

    /// The model, configured from the shared settings with its own defaults, ready to fit.
    /// Throws a ``ConfigurationError`` when something it needs is missing.
    static func recommender(_ settings: ModelSettings) throws -> Recommender

    /// Its tuning space for `tune`; `nil` when it has nothing to tune.
    static var tuning: TuningSpace? { get }
}

/// A model that trains into a model file (`train --model`, `tune --output`), which `similar`,
/// `recommend`, `infer` and `serve` then read.
public protocol TrainableModelDefinition: ModelDefinition {
    /// The training configuration the model trains with, from the shared settings: its defaults
    /// applied, ``TrainingConfig/model`` set, and only the model-specific parts it uses kept.
    /// This is what the model file records.
    static func configuration(_ settings: ModelSettings) -> TrainingConfig

    /// Trains on `corpus` with `trainer`'s configuration (one from ``configuration(_:)``, or one a
    /// library user built by hand: missing model-specific parts take their defaults).
    static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel

    /// One line describing a trained configuration (`recvec info`).
    static func describe(_ config: TrainingConfig) -> String

    /// Throws a ``ConfigurationError`` for a configuration the model cannot train with; checked
    /// before any data is read. The engine's checks by default.
    static func validate(_ config: TrainingConfig) throws
}

extension TrainableModelDefinition {
    public static func validate(_ config: TrainingConfig) throws { try config.validate() }

    /// The engine's settings in one line (window, negatives, learning rate, epochs, seed).
    public static func describe(_ config: TrainingConfig) -> String { EngineModels.describe(config) }
}

/// A model trained by the shared engine's own pair sources — skip-gram or CBOW, with the corpus's
/// side data when its configuration asks for it — and recommended through
/// ``EmbeddingRecommenderModel``. It only says how it configures the engine.
public protocol EngineModelDefinition: TrainableModelDefinition where Recommender == EmbeddingRecommenderModel {}

extension EngineModelDefinition {
    public static func recommender(_ s: ModelSettings) throws -> EmbeddingRecommenderModel {
        EngineModels.recommender(name: name, training: configuration(s), s)
    }

    /// Trains with the engine; baskets when the model needs them.
    public static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        try trainer.trainEngine(corpus, inputs: inputs, baskets: needs.contains(.baskets), onEvent: onEvent)
    }
}

/// A model whose files hold document or user vectors that `recvec infer` can extend to unseen
/// documents (paragraph vectors, user-prod2vec).
public protocol ParagraphVectorDefinition: TrainableModelDefinition {
    /// PV-DM (the document vector joins the context window) rather than PV-DBOW.
    static var distributedMemory: Bool { get }
    /// The section of the model file the document vectors form.
    static var documentSection: TokenKind { get }
}

/// A model's search space: draws a random configuration around a base one.
public struct TuningSpace: Sendable {
    /// A random point around `base`.
    public var sample: @Sendable (_ base: ModelSettings, _ rng: inout FastRandom) -> ModelSettings

    public init(sample: @escaping @Sendable (_ base: ModelSettings, _ rng: inout FastRandom) -> ModelSettings) {
        self.sample = sample
    }
}

extension ModelDefinition {
    /// Whether the model trains into a model file.
    public static var isTrainable: Bool { self is any TrainableModelDefinition.Type }

    /// ``offers``, with ``ModelOffers/modelFile`` when the model is trainable.
    public static var allOffers: ModelOffers { isTrainable ? offers.union(.modelFile) : offers }

    /// Every name that selects the model.
    public static var names: [String] { [name.rawValue] + aliases }

    /// Throws when `settings` lack something the model needs (metadata, content).
    public static func checkNeeds(_ settings: ModelSettings) throws {
        if needs.contains(.metadata) && settings.metadata == nil {
            throw ConfigurationError(setting: "metadata", "\(name) needs item side information (a metadata file)")
        }
        if needs.contains(.content) && settings.metadata == nil && settings.content.contentVectors == nil {
            throw ConfigurationError(setting: "models", "\(name) needs content: a metadata file and/or content vectors")
        }
    }
}
