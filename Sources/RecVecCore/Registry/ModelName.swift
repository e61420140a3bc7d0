// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The name of a registered model: what `--model` and `--models` take, and what a model file
/// records of the model that trained it.
///
/// A plain string underneath (model files store it as such), so adding a model never touches
/// this type: its ``ModelDefinition`` declares the name, and ``ModelRegistry`` knows it.
public struct ModelName: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }
}
