// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The options of bagged-prod2vec, global context, time-aware windows and event weights (train, evaluate, tune).
struct SequenceModelOptions: ParsableArguments {
    @Option(help: "Time-aware windows: context events must lie within this duration of the centre (e.g. 30m, 2h, 1d).")
    var maxGap: String?

    @Flag(help: "Ignore the event weights of --weight-column during training.")
    var noEventWeights = false

    @Flag(help: "Ignore the global-context items of --context-event during training.")
    var noGlobalContext = false

    /// The options as their typed configuration, validated.
    func config() throws -> SequenceOptionsConfig {
        var o = SequenceOptionsConfig()
        if let maxGap {
            guard let seconds = TimeParsing.duration(maxGap), seconds > 0 else {
                throw ConfigurationError(setting: "max_gap", "'\(maxGap)' is not a duration such as 30m, 2h or 90s")
            }
            o.maxGap = seconds
        }
        o.useWeights = !noEventWeights
        o.useContextItems = !noGlobalContext
        try o.validate()
        return o
    }

    func validate() throws { _ = try FlagNames.mapping { try config() } }
}
