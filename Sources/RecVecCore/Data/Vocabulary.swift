// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The tokens (words or items) a model knows, with their corpus counts.
///
/// Ids are dense `Int32`s ordered by descending count; among tokens of equal count, the one that
/// first appeared later in the input comes first. That is deterministic and exactly gensim 4's
/// order, so "the N most frequent tokens" are the same set in both tools.
public struct Vocabulary: Sendable, Equatable {
    /// Token strings by id.
    public private(set) var tokens: [String]
    /// Corpus counts by id (0 when unknown, e.g. for imported vectors).
    public private(set) var counts: [Int64]
    private var index: [String: Int32]

    /// Creates a vocabulary from tokens in id order. Duplicate tokens keep their first id.
    public init(tokens: [String], counts: [Int64]) {
        precondition(tokens.count == counts.count, "one count per token")
        self.tokens = tokens
        self.counts = counts
        var index = [String: Int32](minimumCapacity: tokens.count)
        for (i, token) in tokens.enumerated() where index[token] == nil {
            index[token] = Int32(i)
        }
        self.index = index
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The first token that appears twice, with its two ids, or `nil` when every token is distinct.
    var firstDuplicate: (token: String, first: Int, second: Int)? {
        guard index.count != tokens.count else { return nil }
        for (i, token) in tokens.enumerated() where Int(index[token]!) != i {
            return (token, Int(index[token]!), i)
        }
        return nil
    }

    /// Sum of all counts.
    public var totalCount: Int64 { counts.reduce(0, +) }

    /// The id of `token`, or `nil` if unknown.
    public func id(of token: String) -> Int32? { index[token] }

    /// The id of `token`, or a ``QueryError`` naming it and suggesting close tokens.
    public func requireID(of token: String) throws -> Int32 {
        if let id = index[token] { return id }
        throw QueryError("unknown token '\(token)'", suggestions: suggestions(for: token))
    }

    /// Up to `limit` known tokens close to `token`: same text ignoring case, then by edit distance
    /// (at most a third of the length), most frequent first.
    public func suggestions(for token: String, limit: Int = 3) -> [String] {
        let lowered = token.lowercased()
        var found: [(distance: Int, id: Int)] = []
        let query = Array(lowered.unicodeScalars)
        let maxDistance = max(1, query.count / 3)
        for (id, candidate) in tokens.enumerated() {
            let c = Array(candidate.lowercased().unicodeScalars)
            if abs(c.count - query.count) > maxDistance { continue }
            let d = Self.editDistance(query, c, limit: maxDistance)
            if d <= maxDistance { found.append((d, id)) }
            if found.count > 1000 { break }
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        return found.prefix(limit).map { tokens[$0.id] }
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
