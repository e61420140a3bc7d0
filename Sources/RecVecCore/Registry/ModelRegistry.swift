// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The models RecVec knows: the one list of them, and look-ups by name.
///
/// Registering a model is one line in ``all``; its ``ModelDefinition`` says everything else.
public enum ModelRegistry {
    /// Every model, in the order help texts and tables list them.
    public static let all: [any ModelDefinition.Type] = [
        PopularityDefinition.self,
        CooccurrenceDefinition.self,
        SessionKNNDefinition.self,
        VSKNNDefinition.self,
        STANDefinition.self,
        MarkovDefinition.self,
        ContentKNNDefinition.self,
        Item2VecDefinition.self,
        Prod2VecDefinition.self,
        SkipGramDefinition.self,
        CBOWDefinition.self,
        MixDefinition.self,
        BaggedProd2VecDefinition.self,
        PVDBOWDefinition.self,
        PVDMDefinition.self,
        UserProd2VecDefinition.self,
        MetaProd2VecDefinition.self,
        Content2vecDefinition.self,
        ALSDefinition.self,
        BPRDefinition.self,
        EASEDefinition.self,
        GRU4RecDefinition.self,
        PretrainedVectorsDefinition.self,
    ]

    /// The model called `name` (or one of its aliases), if any.
    public static func definition(named name: String) -> (any ModelDefinition.Type)? {
        all.first { $0.names.contains(name) }
    }

    /// The model called `name`, or a ``ConfigurationError`` listing the known names.
    public static func require(_ name: String, setting: String = "model") throws -> any ModelDefinition.Type {
        guard let d = definition(named: name) else {
            throw ConfigurationError(setting: setting, "unknown model '\(name)'; known: \(helpList)")
        }
        return d
    }

    /// The trainable model called `name`, or an error saying why it cannot be trained.
    public static func requireTrainable(
        _ name: String,
        setting: String = "model"
    ) throws
        -> any TrainableModelDefinition.Type
    {
        let d = try require(name, setting: setting)
        guard let t = d as? any TrainableModelDefinition.Type else {
            throw ConfigurationError(
                setting: setting,
                "\(d.name) does not train into a model file (it is computed where it is evaluated); trainable: "
                    + trainable.map { $0.name.rawValue }.joined(separator: ", ")
            )
        }
        return t
    }

    /// The model that trained `config`: ``TrainingConfig/model``, or the plain engine (skip-gram or
    /// CBOW by ``TrainingConfig/architecture``) when it is `nil`.
    public static func definition(for config: TrainingConfig) throws -> any TrainableModelDefinition.Type {
        guard let name = config.model else {
            return config.architecture == .cbow ? CBOWDefinition.self : SkipGramDefinition.self
        }
        return try requireTrainable(name.rawValue)
    }

    /// The models `evaluate` compares when none are named: the baselines that need nothing beyond
    /// the events (not contentknn, which needs metadata), and item2vec.
    public static var defaultComparison: [String] {
        all.filter { $0.family == .baseline && $0.needs.isEmpty }.map { $0.name.rawValue }
            + [Item2VecDefinition.name.rawValue]
    }

    /// The models that train into a model file.
    public static var trainable: [any TrainableModelDefinition.Type] {
        all.compactMap { $0 as? any TrainableModelDefinition.Type }
    }

    /// The models `tune` can search.
    public static var tunable: [any ModelDefinition.Type] { all.filter { tuning(of: $0) != nil } }

    /// The tuning space of the model called `name` (`nil`: unknown, or nothing to tune).
    public static func tuningSpace(of name: String) -> TuningSpace? {
        definition(named: name).flatMap { tuning(of: $0) }
    }

    private static func tuning<D: ModelDefinition>(of definition: D.Type) -> TuningSpace? { D.tuning }

    /// The models as a comma-separated list for help texts and errors (arguments shown as NAME:ARG).
    public static var helpList: String {
        all.map { $0.name.rawValue + ($0 is any ArgumentTakingDefinition.Type ? ":FILE[:OUTPUT_FILE]" : "") }
            .joined(separator: ", ")
    }

    /// Builds the model a `--models` entry names: `NAME` or `NAME:ARGUMENT` (e.g. `vectors:in.txt`).
    public static func recommender(_ spec: String, settings: ModelSettings) throws -> any RecommenderModel {
        let (definition, argument) = try parse(spec)
        var s = settings
        s.argument = argument
        try definition.checkNeeds(s)
        return try definition.recommender(s)
    }

    /// The definition and the argument of a `--models` entry.
    public static func parse(_ spec: String) throws -> (any ModelDefinition.Type, String?) {
        if let d = definition(named: spec) {
            if d is any ArgumentTakingDefinition.Type {
                throw ConfigurationError(setting: "models", "\(d.name) needs an argument: \(d.name):FILE[:OUTPUT_FILE]")
            }
            return (d, nil)
        }
        if let colon = spec.firstIndex(of: ":"), let d = definition(named: String(spec[..<colon])),
            d is any ArgumentTakingDefinition.Type
        {
            return (d, String(spec[spec.index(after: colon)...]))
        }
        throw ConfigurationError(setting: "models", "unknown model '\(spec)'; known: \(helpList)")
    }
}

/// A model named with an argument in `--models` (`NAME:ARGUMENT`), such as `vectors:FILE`.
public protocol ArgumentTakingDefinition: ModelDefinition {}
