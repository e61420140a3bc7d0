// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

struct SequenceFileReaderTests {
    func tokens(_ c: Corpus, _ i: Int) -> [String] { c.sequences[i].map { c.vocabulary.tokens[Int($0)] } }

    @Test func readsTokensSeparatedBySpacesAndTabs() throws {
        let dir = TemporaryFolder()
        let path = dir.write("a.txt", "b a\tc\r\n\n  a b   \nc a\n")
        let c = try SequenceFileReader.read(path: path, options: ReadOptions(minCount: 1))
        // a:3, then b and c (2 each): the later first appearance (c) first, as gensim orders ties.
        #expect(c.vocabulary.tokens == ["a", "c", "b"])
        #expect(c.vocabulary.counts == [3, 2, 2])
        #expect(c.sequences.count == 3)
        #expect(tokens(c, 0) == ["b", "a", "c"])
        #expect(tokens(c, 1) == ["a", "b"])
        #expect(tokens(c, 2) == ["c", "a"])
        #expect(c.rawTokenCount == 7)
    }

    @Test func minCountAndMaxVocabFilterTokensAndEmptySequences() throws {
        let dir = TemporaryFolder()
        let path = dir.write("a.txt", "x x x y y z\nz\nq x\n")
        let c = try SequenceFileReader.read(path: path, options: ReadOptions(minCount: 2))
        #expect(c.vocabulary.tokens == ["x", "z", "y"])
        #expect(c.sequences.count == 3)
        #expect(tokens(c, 2) == ["x"])
        let top = try SequenceFileReader.read(path: path, options: ReadOptions(minCount: 1, maxVocab: 1))
        #expect(top.vocabulary.tokens == ["x"])
        #expect(top.sequences.count == 2)  // "z" alone is dropped
        #expect(top.rawVocabularySize == 4)
    }

    @Test func longLinesAreCutIntoPiecesNotTruncated() throws {
        let dir = TemporaryFolder()
        let line = (0..<25).map { "t\($0 % 5)" }.joined(separator: " ")
        let path = dir.write("long.txt", line + "\n")
        let c = try SequenceFileReader.read(path: path, options: ReadOptions(minCount: 1, maxSequenceLength: 10))
        #expect(c.sequences.count == 3)
        #expect(c.sequences.tokenCount == 25)
        #expect((0..<3).map { c.sequences[$0].count } == [10, 10, 5])
    }

    @Test func tokensSpanningReadChunksAreKeptWhole() throws {
        // More than one 4 MiB read chunk, one line, with multi-byte UTF-8 tokens.
        let dir = TemporaryFolder()
        let words = ["ünïcödé", "alpha", "beta", "gamma-delta", "日本語"]
        var text = ""
        var n = 0
        while text.utf8.count < 9_000_000 {
            text += words[n % words.count] + " "
            n += 1
        }
        let path = dir.write("big.txt", text)
        let c = try SequenceFileReader.read(path: path, options: ReadOptions(minCount: 1))
        #expect(Set(c.vocabulary.tokens) == Set(words))
        #expect(c.rawTokenCount == n)
        #expect(c.sequences.count == (n + 9_999) / 10_000)
    }

    @Test func errorsNameTheFileAndLine() throws {
        let dir = TemporaryFolder()
        #expect(throws: InputError(file: dir.file("missing.txt"), "no such file")) {
            try SequenceFileReader.read(path: dir.file("missing.txt"))
        }
        let empty = dir.write("empty.txt", "")
        #expect(throws: InputError(file: empty, "file is empty")) { try SequenceFileReader.read(path: empty) }
        let blank = dir.write("blank.txt", "\n \n")
        #expect(throws: InputError(file: blank, "no tokens in the input")) { try SequenceFileReader.read(path: blank) }
        let rare = dir.write("rare.txt", "a b c\n")
        #expect { try SequenceFileReader.read(path: rare, options: ReadOptions(minCount: 2)) } throws: {
            ($0 as? InputError)?.message.contains("no token occurs at least 2 times") == true
        }
        let bad = dir.write(
            "bad.txt",
            bytes: Array("ok fine\nstill ok\nbad \u{1}".utf8) + [0xC3, 0x28] + Array(" x\n".utf8)
        )
        #expect(throws: InputError(file: bad, line: 3, "invalid UTF-8 in token")) {
            try SequenceFileReader.read(path: bad, options: ReadOptions(minCount: 1))
        }
        // A directory is read as part files (InputSourceTests); one without any is refused.
        let emptyFolder = TemporaryFolder()
        #expect(
            throws: InputError(
                file: emptyFolder.path,
                "is a directory without part files (names starting with '_' or '.' are skipped)"
            )
        ) { try SequenceFileReader.read(path: emptyFolder.path) }
        #expect { try SequenceFileReader.read(path: rare, options: ReadOptions(minCount: 0)) } throws: {
            ($0 as? ConfigurationError)?.setting == "min_count"
        }
    }
}
