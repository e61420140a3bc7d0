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

    /// Which tokens a vocabulary keeps, in its order. `counts[t]` is the count of the token that
    /// appeared `t`-th in the input (tokens numbered by first appearance); the result lists those
    /// seen at least `minCount` times by descending count, a tie going to the token that appeared
    /// later (gensim 4's order), at most `maxVocab` of them. Every reader builds its vocabulary so.
    static func keptInOrder(counts: [Int64], minCount: Int, maxVocab: Int? = nil) -> [Int] {
        var kept = counts.indices.filter { counts[$0] >= Int64(minCount) }
        kept.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 > $1 }
        if let maxVocab, kept.count > maxVocab { kept.removeLast(kept.count - maxVocab) }
        return kept
    }

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
    /// (at most a third of the length, and at most ``maxSuggestionDistance``), most frequent first.
    ///
    /// The work is bounded whatever the vocabulary and the text, so a server can call it for text a
    /// client sent: a token whose length differs from `token`'s by more than the distance still worth
    /// finding is skipped without being compared; a comparison stops once it exceeds that distance
    /// (after `limit` tokens at distance d are found, only closer ones can enter); the scan stops once
    /// `limit` tokens equal ignoring case are found, or after ``suggestionWorkLimit`` units of work
    /// (about one per character looked at). Tokens are scanned most frequent first, so a scan that
    /// was cut short still suggests among the most frequent tokens.
    ///
    /// - Complexity: O(min(`count`, ``suggestionWorkLimit``)) beyond lowercasing `token`.
    public func suggestions(for token: String, limit: Int = 3) -> [String] {
        var work = 0
        return suggestions(for: token, limit: limit, work: &work)
    }

    /// ``suggestions(for:limit:)``, adding the units of work done to `work`.
    func suggestions(for token: String, limit: Int, work: inout Int) -> [String] {
        guard limit > 0 else { return [] }
        let query = Array(token.lowercased().unicodeScalars)
        let maxDistance = min(Self.maxSuggestionDistance, max(1, query.count / 3))
        var best: [(distance: Int, id: Int)] = []  // sorted by distance, then id; at most `limit`
        var candidate: [Unicode.Scalar] = []
        var rows = EditDistanceRows()
        let budget = work + Self.suggestionWorkLimit
        for (id, text) in tokens.enumerated() {
            // Only a token closer than the `limit`-th found can still enter.
            let bound = best.count < limit ? maxDistance : best[best.count - 1].distance - 1
            if bound < 0 || work > budget { break }
            work += 1
            // A UTF-8 length outside these bounds means a scalar length outside query.count ± bound.
            let bytes = text.utf8.count
            if bytes < query.count - bound || bytes > 4 * (query.count + bound) { continue }
            work += bytes
            Self.appendLowercased(text, to: &candidate)
            if abs(candidate.count - query.count) > bound { continue }
            let d = rows.distance(query, candidate, limit: bound, work: &work)
            if d <= bound {
                let at = best.firstIndex { $0.distance > d } ?? best.count
                best.insert((d, id), at: at)
                if best.count > limit { best.removeLast() }
            }
        }
        return best.map { tokens[$0.id] }
    }

    /// The largest edit distance at which ``suggestions(for:limit:)`` suggests a token.
    public static let maxSuggestionDistance = 3

    /// The most work one call of ``suggestions(for:limit:)`` does (about 5 ms of one core).
    public static let suggestionWorkLimit = 2_000_000

    /// Replaces `scalars` by the scalars of `text.lowercased()` without allocating a `String`.
    static func appendLowercased(_ text: String, to scalars: inout [Unicode.Scalar]) {
        scalars.removeAll(keepingCapacity: true)
        for s in text.unicodeScalars {
            if s.isASCII {
                scalars.append(("A"..."Z").contains(s) ? Unicode.Scalar(s.value + 32)! : s)
            } else {
                scalars.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
    }

    /// The edit distance between `a` and `b`, or `limit + 1` when it is larger than `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        var rows = EditDistanceRows()
        var work = 0
        return rows.distance(a, b, limit: limit, work: &work)
    }
}

/// The two rows of the Levenshtein table, kept between comparisons so that a scan allocates once.
struct EditDistanceRows {
    private var previous: [Int] = []
    private var current: [Int] = []

    /// The edit distance between `a` and `b`, or `limit + 1` when it is larger than `limit`;
    /// adds the number of cells computed to `work`. Only the band |i - j| ≤ `limit` is computed,
    /// and it stops at the first row whose every cell is over `limit`.
    mutating func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int, work: inout Int) -> Int {
        let n = a.count
        let m = b.count
        let over = limit + 1
        if abs(n - m) > limit { return over }
        if n == 0 || m == 0 { return max(n, m) }
        previous.removeAll(keepingCapacity: true)
        current.removeAll(keepingCapacity: true)
        for j in 0...m { previous.append(min(j, over)) }
        current.append(contentsOf: repeatElement(over, count: m + 1))
        for i in 1...n {
            let lo = max(1, i - limit)
            let hi = min(m, i + limit)
            current[lo - 1] = lo == 1 ? min(i, over) : over
            var rowMin = current[lo - 1]
            for j in lo...hi {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, over)
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if hi < m { current[hi + 1] = over }
            work += hi - lo + 1
            if rowMin > limit { return over }
            swap(&previous, &current)
        }
        return min(previous[m], over)
    }
}
