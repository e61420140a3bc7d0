// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// An error found while reading input data: names the file, the line (1-based, when known) and the problem.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file that was being read.
    public var file: String
    /// The 1-based line number, or `nil` when the problem concerns the whole file.
    public var line: Int?
    /// What is wrong, in words a user can act on.
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// An invalid setting or combination of settings; names the setting by its concept, not by how a
/// front end spells it.
///
/// ``setting`` is a snake_case concept name (`dim`, `min_count`, `metadata`, `models`); the CLI
/// maps it to its flag (`--dim`, `--min-count`), a server or another front end to its own field.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The setting concerned, e.g. `dim`, `window_mode`, `metadata`.
    public var setting: String
    public var message: String

    public init(setting: String, _ message: String) {
        self.setting = setting
        self.message = message
    }

    public var description: String { "\(setting): \(message)" }
}

/// A model file that cannot be read or written.
public struct ModelFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

/// A query that cannot be answered, such as an unknown token.
public struct QueryError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    /// Tokens of the vocabulary close to an unknown token, when any.
    public var suggestions: [String]

    public init(_ message: String, suggestions: [String] = []) {
        self.message = message
        self.suggestions = suggestions
    }

    public var description: String {
        suggestions.isEmpty ? message : "\(message) (did you mean: \(suggestions.joined(separator: ", "))?)"
    }
}
