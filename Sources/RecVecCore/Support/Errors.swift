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

/// An invalid option or combination of options; names the option.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The option as the user spells it on the command line, e.g. `--dim`.
    public var option: String
    public var message: String

    public init(option: String, _ message: String) {
        self.option = option
        self.message = message
    }

    public var description: String { "\(option): \(message)" }
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
