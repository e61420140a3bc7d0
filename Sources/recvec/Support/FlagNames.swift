// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

/// The library names settings by concept (`min_count`); the command line by flag (`--min-count`).
/// This is the one place that maps the first to the second.
enum FlagNames {
    /// The flag for a library setting: `min_count` → `--min-count`; anything that is not a
    /// snake_case concept (`MODEL`, `--json/--report`) is shown as it is.
    static func flag(for setting: String) -> String {
        let isConcept =
            !setting.isEmpty
            && setting.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        return isConcept ? "--" + setting.replacingOccurrences(of: "_", with: "-") : setting
    }

    /// `error` with a ``ConfigurationError``'s setting spelled as the command line's flag.
    static func mapped(_ error: any Error) -> any Error {
        guard let e = error as? ConfigurationError else { return error }
        return OptionError(flag: flag(for: e.setting), message: e.message)
    }

    /// Runs `body`, rethrowing configuration errors with flag names (for `validate()`).
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw mapped(error) }
    }
}

/// An invalid option, as the command line reports it: `--dim: must be between 1 and 10000`.
struct OptionError: Error, CustomStringConvertible {
    var flag: String
    var message: String
    var description: String { "\(flag): \(message)" }
}
