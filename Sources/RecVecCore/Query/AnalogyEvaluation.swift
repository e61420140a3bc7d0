// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Accuracy on word-analogy questions (`questions-words.txt`, Mikolov et al. 2013a).
public struct AnalogyResult: Sendable, Codable, Equatable {
    public struct Section: Sendable, Codable, Equatable {
        public var name: String
        public var correct: Int
        public var total: Int
        public var accuracy: Double { total > 0 ? Double(correct) / Double(total) : 0 }
    }

    /// Sections in file order.
    public var sections: [Section]
    /// Questions answered correctly, over all sections.
    public var correct: Int
    /// Questions scored (all four words in the restricted vocabulary).
    public var total: Int
    /// Questions skipped because a word is outside the restricted vocabulary.
    public var skipped: Int
    /// correct / total.
    public var accuracy: Double { total > 0 ? Double(correct) / Double(total) : 0 }
}

/// Scores analogies the way gensim's `evaluate_word_analogies` does, so figures compare:
/// only the `restrict` most frequent tokens are considered; matching is case-insensitive (when two
/// tokens differ only in case, the more frequent one stands for both); a question with a word
/// outside that vocabulary is skipped and counted; the answer is the best 3CosAdd candidate among
/// the top 5 that is none of the three question words.
public enum AnalogyEvaluation {
    /// Evaluates `model` on the questions file at `path`.
    public static func evaluate(
        _ neighbors: NearestNeighbors,
        questionsFile path: String,
        restrict: Int = 30_000,
        threads: Int? = nil
    ) throws -> AnalogyResult {
        guard restrict >= 1 else { throw ConfigurationError(setting: "restrict", "must be at least 1") }
        let vocabulary = neighbors.vocabulary
        let rows = min(restrict, vocabulary.count)
        var upper: [String: Int32] = [:]
        for id in stride(from: rows - 1, through: 0, by: -1) {
            upper[vocabulary.tokens[id].uppercased()] = Int32(id)
        }
        var sectionNames: [String] = []
        var questions: [(section: Int, ids: [Int32], words: [String])] = []
        var skipped = 0
        return try ChunkedFile.reading(path) { file in
            if try file.isEmpty() { throw InputError(file: path, "file is empty") }
            try file.forEachLine { line, number in
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix(":") {
                    sectionNames.append(String(text.dropFirst()).trimmingSpaces())
                    return
                }
                let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.uppercased() }
                if words.isEmpty { return }
                guard words.count == 4 else {
                    throw InputError(file: path, line: number, "expected 4 words, found \(words.count)")
                }
                if sectionNames.isEmpty { sectionNames.append("(no section)") }
                let ids = words.compactMap { upper[$0] }
                if ids.count < 4 {
                    skipped += 1
                    return
                }
                questions.append((sectionNames.count - 1, ids, words))
            }
            // b − a + c for every question, as unit vectors, then one blocked search for all.
            let queries = EmbeddingMatrix(rows: questions.count, dim: neighbors.unitVectors.dim)
            let d = queries.stride
            for (i, q) in questions.enumerated() {
                let p = queries.row(i)
                Kernels.axpy(1, neighbors.unitVectors.row(Int(q.ids[1])), p, count: d)
                Kernels.axpy(1, neighbors.unitVectors.row(Int(q.ids[2])), p, count: d)
                Kernels.axpy(-1, neighbors.unitVectors.row(Int(q.ids[0])), p, count: d)
            }
            let found = BlockedSearch.topK(
                matrix: neighbors.unitVectors,
                rows: rows,
                queries: queries,
                k: min(rows, 8),
                threads: threads
            )
            var sections = sectionNames.map { AnalogyResult.Section(name: $0, correct: 0, total: 0) }
            var correct = 0
            for (i, q) in questions.enumerated() {
                let inputs = Set(q.ids[0..<3])
                let ignore = Set(q.words[0..<3])
                let candidates = found[i].filter { !inputs.contains($0.id) }.prefix(5)
                var predicted: String? = nil
                for c in candidates {
                    predicted = vocabulary.tokens[Int(c.id)].uppercased()
                    if !ignore.contains(predicted!) { break }
                }
                sections[q.section].total += 1
                if predicted == q.words[3] {
                    sections[q.section].correct += 1
                    correct += 1
                }
            }
            return AnalogyResult(sections: sections, correct: correct, total: questions.count, skipped: skipped)
        }
    }
}
