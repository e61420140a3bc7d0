// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// What every neighbour query takes: how many answers, from which tokens, in which format.
struct QueryOptions: ParsableArguments {
    @Option(help: "How many answers.")
    var top: Int = 10

    @Option(help: "Consider only the N most frequent tokens as answers.")
    var restrict: Int?

    @Flag(help: "Print JSON.")
    var json = false

    /// Throws a one-line ``ConfigurationError`` for a nonsensical value.
    func check() throws {
        guard top >= 1 else { throw ConfigurationError(setting: "top", "must be at least 1") }
        if let restrict, restrict < 1 { throw ConfigurationError(setting: "restrict", "must be at least 1") }
    }
}
