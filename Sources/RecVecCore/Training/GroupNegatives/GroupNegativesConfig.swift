// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Extra negatives from the positive target's own group (Grbovic & Cheng, "Real-time Personalization
/// using Embeddings for Search Ranking at Airbnb", KDD 2018: "market negatives"): global negatives
/// mostly come from other groups, so the model learns to separate groups but not items within one;
/// `k` more negatives per positive, drawn among the items that share the target's group, fix that.
///
/// A target's group is the first value of metadata ``field`` of the item; targets without one
/// (and metadata tokens) get no group negatives.
public struct GroupNegativesConfig: Sendable, Codable, Equatable {
    /// The metadata field that defines the groups (e.g. `level2`, `genre`).
    public var field: String
    /// Group negatives per positive example.
    public var k: Int

    public init(field: String, k: Int) {
        self.field = field
        self.k = k
    }

    /// Parses `FIELD:K` (the command line's form).
    public init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let k = Int(text[text.index(after: colon)...]),
            colon != text.startIndex
        else {
            throw ConfigurationError(setting: "group_negatives", "'\(text)' is not FIELD:K, e.g. genre:3")
        }
        self.init(field: String(text[..<colon]), k: k)
        try validate()
    }

    /// Throws a ``ConfigurationError`` when `k` is out of range or the field is empty.
    public func validate() throws {
        if field.isEmpty { throw ConfigurationError(setting: "group_negatives", "the field name is empty") }
        if !(1...100).contains(k) {
            throw ConfigurationError(setting: "group_negatives", "K must be between 1 and 100 (got \(k))")
        }
    }
}
