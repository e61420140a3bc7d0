// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The measured quality of one model under one protocol: metric name → value, e.g. `hr@10`,
/// `mrr@20`, `ndcg@5`, `coverage@10`, `popularity@10`.
public struct ModelResult: Sendable, Codable, Equatable {
    /// The model's name in tables (`popularity`, `item2vec`, `mix`, …).
    public var model: String
    /// Its hyperparameters, as strings, for the record (`{"window": "5", "ns_exponent": "0.75"}`).
    public var config: [String: String]
    /// Metric name → value.
    public var metrics: [String: Double]
    /// Seconds spent fitting (training) the model.
    public var trainSeconds: Double
    /// CPU seconds of the whole process (every thread) while it fitted the model; `nil` in reports
    /// written before it was recorded.
    public var trainCPUSeconds: Double? = nil
    /// Wall seconds spent ranking the test cases (all threads of the evaluator; the mean over the
    /// repeats); `nil` in reports written before it was recorded.
    public var scoreSeconds: Double? = nil
    /// 95% confidence half-widths per metric, when the protocol repeats (next-event).
    public var confidence: [String: Double]?
    /// 95% bootstrap intervals over the test cases per metric (``Bootstrap``; every metric but
    /// coverage), when the evaluation bootstrapped.
    public var intervals: [String: MetricInterval]? = nil

    public init(
        model: String,
        config: [String: String],
        metrics: [String: Double],
        trainSeconds: Double,
        confidence: [String: Double]? = nil
    ) {
        self.model = model
        self.config = config
        self.metrics = metrics
        self.trainSeconds = trainSeconds
        self.confidence = confidence
    }

    enum CodingKeys: String, CodingKey {
        case model, config, metrics, confidence, intervals
        case trainSeconds = "train_seconds"
        case trainCPUSeconds = "train_cpu_seconds"
        case scoreSeconds = "score_seconds"
    }
}

/// One evaluation: a protocol on a data set, several models, one table.
public struct EvaluationReport: Sendable, Codable, Equatable {
    public var protocolName: String
    public var dataset: String
    /// The cut-offs, ascending (e.g. [1, 5, 10, 20]).
    public var cutoffs: [Int]
    /// Test cases scored, and cases skipped by reason (e.g. "target unseen in training": 12).
    public var testCases: Int
    public var skipped: [String: Int]
    public var results: [ModelResult]
    /// The same models over the cold-start cases only (`--cold-start N`), when asked for.
    public var coldStart: ColdStartResults? = nil
    /// Items hidden from training (`--hide-items`), when any.
    public var hiddenItems: Int? = nil
    /// Bootstrap replicates behind the models' ``ModelResult/intervals`` (`nil`: no bootstrap).
    public var bootstrapReplicates: Int? = nil
    /// When the test cases come in groups (the positions of a test session, `session` protocol),
    /// the number of groups: the units the bootstrap draws and the sign test counts.
    public var bootstrapGroups: Int? = nil
    /// Every model against the best by hr at the largest cut-off, on the same test cases (two or
    /// more models).
    public var comparisons: [PairedComparison]? = nil

    public init(
        protocolName: String,
        dataset: String,
        cutoffs: [Int],
        testCases: Int,
        skipped: [String: Int],
        results: [ModelResult]
    ) {
        self.protocolName = protocolName
        self.dataset = dataset
        self.cutoffs = cutoffs
        self.testCases = testCases
        self.skipped = skipped
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case protocolName = "protocol"
        case dataset, cutoffs, results, skipped
        case testCases = "test_cases"
        case coldStart = "cold_start"
        case hiddenItems = "hidden_items"
        case bootstrapReplicates = "bootstrap_replicates"
        case bootstrapGroups = "bootstrap_groups"
        case comparisons
    }
}

/// Metrics restricted to test cases whose target occurs at most `maxTrainingCount` times in the
/// training split (Vasile et al. 2016's cold-start view; with `--hide-items`, 0 selects the hidden items).
public struct ColdStartResults: Sendable, Codable, Equatable {
    public var maxTrainingCount: Int
    public var testCases: Int
    public var results: [ModelResult]
    /// Every model against the best on the cold-start cases (see ``EvaluationReport/comparisons``).
    public var comparisons: [PairedComparison]? = nil
    /// The test sessions of those cases, when cases come in groups (see ``EvaluationReport/bootstrapGroups``).
    public var bootstrapGroups: Int? = nil

    public init(maxTrainingCount: Int, testCases: Int, results: [ModelResult]) {
        self.maxTrainingCount = maxTrainingCount
        self.testCases = testCases
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case results, comparisons
        case bootstrapGroups = "bootstrap_groups"
        case maxTrainingCount = "max_training_count"
        case testCases = "test_cases"
    }
}

/// One trial of a hyperparameter search.
public struct TuningTrial: Sendable, Codable, Equatable {
    /// 0-based trial number, in the order trials were started.
    public var trial: Int
    public var model: String
    public var config: [String: String]
    /// The budget the trial got, as a fraction of the full one (successive halving; 1 = full).
    public var budget: Double
    /// Validation metrics.
    public var validation: [String: Double]
    /// Seconds since the search started, when the trial finished.
    public var elapsedSeconds: Double

    public init(
        trial: Int,
        model: String,
        config: [String: String],
        budget: Double,
        validation: [String: Double],
        elapsedSeconds: Double
    ) {
        self.trial = trial
        self.model = model
        self.config = config
        self.budget = budget
        self.validation = validation
        self.elapsedSeconds = elapsedSeconds
    }

    enum CodingKeys: String, CodingKey {
        case trial, model, config, budget, validation
        case elapsedSeconds = "elapsed_seconds"
    }
}
