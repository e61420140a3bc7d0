// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

extension ConfidenceScaling: ExpressibleByArgument {}
extension ALSSolver: ExpressibleByArgument {}

/// The options of ALS and BPR (train, evaluate, tune). Each is optional: unset, the model's
/// default applies (see ``FactorizationConfig``); the factors default to --dim.
struct FactorizationOptions: ParsableArguments {
    @Option(help: "ALS, BPR: latent factors k (default: --dim).")
    var factors: Int?

    @Option(help: "ALS: sweeps over users then items (default 15); BPR: epochs of sampled triples (default 50).")
    var iterations: Int?

    @Option(help: "ALS, BPR: L2 regularization λ of the user and item factors (default 0.01; ALS needs > 0).")
    var regularization: Double?

    @Option(help: "ALS: confidence per interaction, α in c = 1 + α·r (default 40).")
    var alsAlpha: Double?

    @Option(help: "ALS: linear (c = 1 + α·r) or log (c = 1 + α·log(1 + r/ε)) confidence (default linear).")
    var alsConfidence: ConfidenceScaling?

    @Option(help: "ALS: ε of the log confidence (default 1).")
    var alsLogEpsilon: Double?

    @Option(help: "ALS: cholesky (exact solves, default) or cg (conjugate gradient, faster for large k).")
    var alsSolver: ALSSolver?

    @Option(help: "ALS with --als-solver cg: conjugate-gradient steps per row (default 3).")
    var alsCgSteps: Int?

    @Option(help: "BPR: starting SGD learning rate (default 0.05).")
    var bprLearningRate: Double?

    @Option(help: "BPR: learning rate at the end of the last epoch, reached linearly (default: constant rate).")
    var bprFinalLearningRate: Double?

    @Option(help: "BPR: negatives drawn ∝ count^x; 0 = uniform (default 0).")
    var bprNegativeExponent: Double?

    @Option(help: "BPR: triples per epoch, as a multiple of the number of (user, item) pairs (default 1).")
    var bprSamples: Double?

    @Option(help: "BPR in evaluate/tune: SGD steps that fold a test history into a user vector (default 500).")
    var bprFoldInSteps: Int?

    @Option(help: "ALS, BPR: standard deviation of the random initial factors (default 0.1).")
    var factorInitScale: Double?

    /// The options as their typed configuration (defaults where unset), validated.
    func config() throws -> FactorizationConfig {
        var f = FactorizationConfig()
        if let factors { f.factors = factors }
        if let iterations { f.iterations = iterations }
        if let regularization { f.regularization = regularization }
        if let alsAlpha { f.alsAlpha = alsAlpha }
        if let alsConfidence { f.confidence = alsConfidence }
        if let alsLogEpsilon { f.logEpsilon = alsLogEpsilon }
        if let alsSolver { f.solver = alsSolver }
        if let alsCgSteps { f.cgSteps = alsCgSteps }
        if let bprLearningRate { f.bprLearningRate = bprLearningRate }
        if let bprFinalLearningRate { f.bprFinalLearningRate = bprFinalLearningRate }
        if let bprNegativeExponent { f.bprNegativeExponent = bprNegativeExponent }
        if let bprSamples { f.bprSamples = bprSamples }
        if let bprFoldInSteps { f.bprFoldInSteps = bprFoldInSteps }
        if let factorInitScale { f.initScale = factorInitScale }
        try f.validate()
        return f
    }

    func validate() throws { _ = try FlagNames.mapping { try config() } }
}
