// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

struct QueryTests {
    /// A model whose vectors make "king - man + woman = queen" hold exactly.
    func royalModel() -> EmbeddingModel {
        let rows: [(String, [Float])] = [
            ("man", [1, 0, 0, 0.1]), ("woman", [0, 1, 0, 0.1]), ("king", [1, 0, 1, 0.1]),
            ("queen", [0, 1, 1, 0.1]), ("apple", [0, 0, 0, 1]), ("Queen", [0, 1, 1, 0.12]),
        ]
        let m = EmbeddingMatrix(rows: rows.count, dim: 4)
        for (i, r) in rows.enumerated() { m.setVector(i, r.1) }
        return EmbeddingModel(
            vocabulary: Vocabulary(tokens: rows.map(\.0), counts: [60, 50, 40, 30, 20, 10]),
            input: m,
            output: nil,
            config: TrainingConfig()
        )
    }

    @Test func similarIsExactCosineTopK() throws {
        let model = royalModel()
        let nn = NearestNeighbors(model: model)
        let result = try nn.similar(to: ["queen"], top: 3)
        #expect(result.map(\.token) == ["Queen", "woman", "king"])
        let q = model.input.vector(3)
        let k = model.input.vector(2)
        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map(*).reduce(0, +) }
        let cos = dot(q, k) / (dot(q, q).squareRoot() * dot(k, k).squareRoot())
        #expect(abs(result[2].score - cos) < 1e-6)
        // Several tokens: their mean; the inputs are excluded.
        let both = try nn.similar(to: ["man", "woman"], top: 10)
        #expect(!both.contains { $0.token == "man" || $0.token == "woman" })
        #expect(both.count == 4)
        // restrict: only the most frequent tokens may answer.
        #expect(try nn.similar(to: ["queen"], top: 3, restrict: 3).map(\.token) == ["woman", "king", "man"])
    }

    @Test func topKMatchesAFullSort() {
        var rng = FastRandom(seed: 4)
        let m = EmbeddingMatrix(rows: 500, dim: 20)
        let q = EmbeddingMatrix(rows: 70, dim: 20)
        for r in 0..<500 { for c in 0..<20 { m.row(r)[c] = rng.nextUnitFloat() - 0.5 } }
        for r in 0..<70 { for c in 0..<20 { q.row(r)[c] = rng.nextUnitFloat() - 0.5 } }
        let found = BlockedSearch.topK(matrix: m, rows: 400, queries: q, k: 7)
        for i in 0..<70 {
            let all = (0..<400).map {
                ScoredID(score: Kernels.dot(m.row($0), q.row(i), count: m.stride), id: Int32($0))
            }
            #expect(found[i] == Array(all.sorted(by: >).prefix(7)))
        }
    }

    @Test func analogyIsThreeCosAdd() throws {
        let nn = NearestNeighbors(model: royalModel())
        let answer = try nn.analogy("man", "king", "woman", top: 2)
        #expect(answer.first?.token == "queen" || answer.first?.token == "Queen")
        #expect(!answer.contains { ["man", "king", "woman"].contains($0.token) })
    }

    @Test func unknownTokensAreNamedWithSuggestions() throws {
        let nn = NearestNeighbors(model: royalModel())
        #expect(throws: QueryError("unknown token 'quen'", suggestions: ["queen", "Queen"])) {
            try nn.similar(to: ["quen"])
        }
        #expect(throws: QueryError("unknown token 'zzzzzz'")) { try nn.analogy("man", "zzzzzz", "woman") }
        #expect(
            QueryError("unknown token 'quen'", suggestions: ["queen"]).description
                == "unknown token 'quen' (did you mean: queen?)"
        )
    }

    @Test func analogyEvaluationFollowsGensimSemantics() throws {
        let dir = TemporaryFolder()
        let questions = dir.write(
            "q.txt",
            """
            : royals
            man king woman queen
            MAN KING WOMAN QUEEN
            man king woman apple
            : unknown
            man king unicorn queen
            """
        )
        let nn = NearestNeighbors(model: royalModel())
        let r = try AnalogyEvaluation.evaluate(nn, questionsFile: questions, restrict: 30_000)
        #expect(r.total == 3 && r.skipped == 1 && r.correct == 2)
        #expect(r.sections.map(\.name) == ["royals", "unknown"])
        #expect(r.sections[0].correct == 2 && r.sections[0].total == 3)
        // With the vocabulary restricted to 3 tokens, "queen" is out: every question is skipped.
        let small = try AnalogyEvaluation.evaluate(nn, questionsFile: questions, restrict: 3)
        #expect(small.total == 0 && small.skipped == 4)
        let bad = dir.write("bad.txt", "a b c\n")
        #expect(throws: InputError(file: bad, line: 1, "expected 4 words, found 3")) {
            try AnalogyEvaluation.evaluate(nn, questionsFile: bad)
        }
    }
}
