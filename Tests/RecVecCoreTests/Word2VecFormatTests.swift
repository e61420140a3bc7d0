// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

struct Word2VecFormatTests {
    func smallModel() -> EmbeddingModel {
        let m = EmbeddingMatrix(rows: 3, dim: 4)
        m.setVector(0, [0.1, -0.25, 3.5e-7, 1e10])
        m.setVector(1, [1, 2, 3, 4])
        m.setVector(2, [-1.5, 0, 0.333333343, -0.0001])
        return EmbeddingModel(
            vocabulary: Vocabulary(tokens: ["a", "ünï", "c_d"], counts: [5, 3, 1]),
            input: m,
            output: nil,
            config: TrainingConfig()
        )
    }

    @Test(arguments: Word2VecFormat.allCases)
    func roundTripsBitExactly(format: Word2VecFormat) throws {
        let dir = TemporaryFolder()
        let model = smallModel()
        try Word2VecFormat.write(model, to: dir.file("v"), format: format)
        for given in [format, nil] {
            let back = try Word2VecFormat.read(from: dir.file("v"), format: given)
            #expect(back.vocabulary.tokens == model.vocabulary.tokens)
            #expect(back.input.isIdentical(to: model.input))
        }
    }

    @Test func readsGensimTextAndBinary() throws {
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: fixture("gensim-expected.json")))
            ) as! [String: Any]
        let text = try Word2VecFormat.read(from: fixture("gensim-vectors.txt"))
        let binary = try Word2VecFormat.read(from: fixture("gensim-vectors.bin"))
        for model in [text, binary] {
            #expect(model.vocabulary.count == expected["vocab_size"] as! Int)
            #expect(model.dim == expected["dim"] as! Int)
            #expect(Array(model.vocabulary.tokens.prefix(5)) == expected["first_tokens"] as! [String])
            let v = try model.vector(for: "g0_0")
            for (a, b) in zip(v, expected["vector_g0_0"] as! [Double]) { #expect(abs(Double(a) - b) < 1e-6) }
            // Our cosine neighbours agree with gensim's most_similar.
            let ours = try NearestNeighbors(model: model).similar(to: ["g0_0"], top: 5)
            let theirs = expected["most_similar_g0_0"] as! [[Any]]
            #expect(ours.map(\.token) == theirs.map { $0[0] as! String })
            for (o, t) in zip(ours, theirs) { #expect(abs(Double(o.score) - (t[1] as! Double)) < 1e-5) }
        }
        // The text file is rounded, the binary one exact: the same vectors to 1e-6.
        for r in 0..<text.vocabulary.count {
            for (a, b) in zip(text.input.vector(r), binary.input.vector(r)) { #expect(abs(a - b) < 1e-6) }
        }
    }

    @Test func readsBinaryWithoutNewlinesBetweenVectors() throws {
        let dir = TemporaryFolder()
        var bytes = Array("2 2\n".utf8)
        for (token, values) in [("x", [Float(1), 2]), ("y", [Float(3), 4])] {
            bytes += Array("\(token) ".utf8)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        }
        let path = dir.write("nonl.bin", bytes: bytes)
        let m = try Word2VecFormat.read(from: path, format: .binary)
        #expect(m.vocabulary.tokens == ["x", "y"])
        #expect(m.input.vector(1) == [3, 4])
    }

    @Test func badFilesGetClearErrors() throws {
        let dir = TemporaryFolder()
        let noHeader = dir.write("a.txt", "a 1 2\n")
        #expect { try Word2VecFormat.read(from: noHeader, format: .text) } throws: {
            ($0 as? InputError)?.line == 1
        }
        let short = dir.write("b.txt", "2 3\na 1 2 3\nb 1 2\n")
        #expect(throws: InputError(file: short, line: 3, "expected 3 values, found 2")) {
            try Word2VecFormat.read(from: short, format: .text)
        }
        let nan = dir.write("c.txt", "1 2\na 1 zz\n")
        #expect(throws: InputError(file: nan, line: 2, "value 2 'zz' is not a number")) {
            try Word2VecFormat.read(from: nan, format: .text)
        }
        let missing = dir.write("d.txt", "3 2\na 1 2\n")
        #expect(throws: InputError(file: missing, line: 3, "file ends after 1 of 3 vectors")) {
            try Word2VecFormat.read(from: missing, format: .text)
        }
        let truncated = dir.write("e.bin", bytes: Array("1 4\nab ".utf8) + [0, 0, 128, 63])
        #expect { try Word2VecFormat.read(from: truncated, format: .binary) } throws: {
            ($0 as? InputError)?.message.hasPrefix("truncated binary file") == true
        }
        let duplicate = dir.write("f.txt", "2 1\na 1\na 2\n")
        #expect { try Word2VecFormat.read(from: duplicate) } throws: {
            ($0 as? InputError)?.message.contains("appears twice") == true
        }
        let model = EmbeddingModel(
            vocabulary: Vocabulary(tokens: ["has space"], counts: [1]),
            input: EmbeddingMatrix(rows: 1, dim: 2),
            output: nil,
            config: TrainingConfig()
        )
        #expect { try Word2VecFormat.write(model, to: dir.file("g.txt"), format: .text) } throws: {
            ($0 as? ModelFileError)?.message.contains("whitespace") == true
        }
        #expect(!dir.exists("g.txt"))
    }
}

/// Our vocabulary order is gensim's, tie-breaks included.
struct GensimVocabularyOrderTests {
    @Test func vocabularyOrderMatchesGensim() throws {
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: fixture("gensim-expected.json")))
            ) as! [String: Any]
        let c = try SequenceFileReader.read(path: fixture("gensim-corpus.txt"), options: ReadOptions(minCount: 1))
        #expect(c.vocabulary.tokens == expected["index_to_key"] as! [String])
        #expect(c.vocabulary.counts == (expected["counts"] as! [Int]).map(Int64.init))
    }
}
