// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// ``Vocabulary/suggestions(for:limit:)``: the closest tokens, with bounded work.
struct VocabularySuggestionTests {
    /// What the suggestions must be: every token within the distance, closest first, then by id.
    func reference(_ vocabulary: Vocabulary, _ token: String, limit: Int) -> [String] {
        let query = Array(token.lowercased().unicodeScalars)
        let maxDistance = min(Vocabulary.maxSuggestionDistance, max(1, query.count / 3))
        var found: [(distance: Int, id: Int)] = []
        for (id, candidate) in vocabulary.tokens.enumerated() {
            let d = naiveDistance(query, Array(candidate.lowercased().unicodeScalars))
            if d <= maxDistance { found.append((d, id)) }
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        return found.prefix(limit).map { vocabulary.tokens[$0.id] }
    }

    func naiveDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            }
        }
        return table[a.count][b.count]
    }

    @Test func theClosestTokensMostFrequentFirst() {
        var rng = FastRandom(seed: 11)
        let alphabet = Array("abcAB").map(String.init) + ["é", "É", "ß"]
        func word(_ length: Int) -> String {
            (0..<length).map { _ in alphabet[rng.next(below: alphabet.count)] }.joined()
        }
        let tokens = Set((0..<600).map { _ in word(1 + rng.next(below: 9)) }).sorted()
        let vocabulary = Vocabulary(tokens: tokens, counts: tokens.map { _ in 1 })
        for _ in 0..<200 {
            let query = word(rng.next(below: 11))
            let limit = 1 + rng.next(below: 5)
            #expect(
                vocabulary.suggestions(for: query, limit: limit) == reference(vocabulary, query, limit: limit),
                "\(query)"
            )
        }
        #expect(vocabulary.suggestions(for: "abc", limit: 0).isEmpty)
    }

    @Test func caseIsIgnoredAndTiesGoToTheMoreFrequent() {
        let vocabulary = Vocabulary(tokens: ["queen", "Queen", "quern", "QUEEN"], counts: [9, 5, 3, 1])
        #expect(vocabulary.suggestions(for: "quen") == ["queen", "Queen", "quern"])
        #expect(vocabulary.suggestions(for: "QUEEN", limit: 2) == ["queen", "Queen"])
    }

    @Test func theWorkIsBoundedWhateverTheVocabulary() {
        // 400 000 tokens of the query's length, each two edits from it: without a bound every one is compared.
        let tokens = (0..<400_000).map { "ab" + String(String($0 + 1_000_000).dropFirst()) }
        let vocabulary = Vocabulary(tokens: tokens, counts: tokens.map { _ in 1 })
        var work = 0
        let found = vocabulary.suggestions(for: "xy012345", limit: 3, work: &work)
        #expect(found == ["ab012345"])  // the only one at distance 2 within the scanned part
        #expect(work <= Vocabulary.suggestionWorkLimit + 100, "\(work)")
        // A long text compares nothing it cannot match.
        work = 0
        #expect(vocabulary.suggestions(for: String(repeating: "z", count: 100_000), limit: 3, work: &work).isEmpty)
        #expect(work <= tokens.count, "\(work)")
    }
}
