// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Broken input files (issue 14, row 8): a UTF-8 byte-order mark is not part of the first token
/// or header, impossible dates and non-decimal numbers are not times, and a text word2vec file
/// with a bad first row is reported as such.
struct InputHardeningTests {
    let options = ReadOptions(minCount: 1)
    let bom = "\u{FEFF}"

    // MARK: - Byte-order mark

    @Test func aSequencesFileStartingWithABOM() throws {
        let dir = TemporaryFolder()
        let c = try SequenceFileReader.read(path: dir.write("s.txt", bom + "a b c\nb c a\n"), options: options)
        #expect(Set(c.vocabulary.tokens) == ["a", "b", "c"])
        var ids = options
        ids.firstTokenIsID = true
        let d = try SequenceFileReader.read(path: dir.write("d.txt", bom + "doc1 a b\ndoc2 b a\n"), options: ids)
        #expect(d.documents == ["doc1", "doc2"])
        // Only at the very start: elsewhere U+FEFF is a character like any other.
        let e = try SequenceFileReader.read(path: dir.write("e.txt", "a b\n" + bom + "a\n"), options: options)
        #expect(e.vocabulary.tokens.contains(bom + "a"))
    }

    @Test(arguments: [
        "user_id\titem_id\ttimestamp\nu\ta\t1\nu\tb\t2\n",
        "user_id,item_id,timestamp\nu,a,1\nu,b,2\n",
        "\"user_id\",\"item_id\",\"timestamp\"\nu,a,1\nu,b,2\n",
    ])
    func anEventLogStartingWithABOM(text: String) throws {
        let dir = TemporaryFolder()
        let path = dir.write(text.contains(",") ? "e.csv" : "e.tsv", bom + text)
        #expect(InteractionFormat.auto.resolved(path: path) == .events)
        let c = try EventFileReader.read(path: path, options: options)
        #expect(c.sequences.count == 1 && c.vocabulary.count == 2)
    }

    @Test func autoDetectsAQuotedItemColumnAfterABOM() throws {
        let dir = TemporaryFolder()
        let path = dir.write("e.csv", bom + "\"item_id\",\"user_id\"\na,u\nb,u\n")
        #expect(InteractionFormat.auto.resolved(path: path) == .events)
    }

    @Test func contentVectorsStartingWithABOM() throws {
        let dir = TemporaryFolder()
        let v = try ContentVectors.read(path: dir.write("c.txt", bom + "a 1 2\nb 3 4\n"))
        #expect(v.items == ["a", "b"])
    }

    // MARK: - Times

    @Test(arguments: [
        "2014-02-31", "2014-02-29", "1900-02-29", "2014-04-31", "2014-06-31", "2014-11-31", "2014-02-30T10:00:00Z",
        "0x10", "0X1A", "0x1p3", " 0x10 ", "1e", "--5", "1.5.2",
    ])
    func impossibleDatesAndNonDecimalNumbersAreNotTimes(text: String) {
        #expect(TimeParsing.seconds(text) == nil)
    }

    @Test func possibleDatesAndDecimalNumbersStillAre() {
        #expect(TimeParsing.seconds("2016-02-29") == 1_456_704_000)
        #expect(TimeParsing.seconds("2000-02-29") == 951_782_400)
        #expect(TimeParsing.seconds("2014-12-31T23:59:59Z") == 1_420_070_399)
        #expect(TimeParsing.seconds("2014-04-30") == 1_398_816_000)
        #expect(TimeParsing.seconds("1e3") == 1000)
        #expect(TimeParsing.seconds("-5.25") == -5.25)
        #expect(TimeParsing.seconds("+7") == 7)
        #expect(TimeParsing.seconds(" 42 ") == 42)
    }

    @Test func anEventLogWithAnImpossibleDateNamesTheLine() throws {
        let dir = TemporaryFolder()
        let path = dir.write("e.tsv", "user_id\titem_id\ttimestamp\nu\ta\t2014-02-28\nu\tb\t2014-02-31\n")
        #expect(
            throws: InputError(
                file: path,
                line: 3,
                "time '2014-02-31' in column 'timestamp' is not a number or an ISO 8601 date-time"
            )
        ) { try EventFileReader.read(path: path, options: options) }
    }

    // MARK: - word2vec format detection

    @Test func aTextWord2VecFileWithABadFirstRowIsReportedAsText() throws {
        let dir = TemporaryFolder()
        let cases: [(String, Int, String)] = [
            ("2 3\na 0.1 0.2\nb 0.1 0.2 0.3\n", 2, "expected 3 values, found 2"),
            ("2 2\na 0.1 x\nb 0.1 0.2\n", 2, "value 2 'x' is not a number"),
            ("2 2\na 0.1 nan\nb 0.1 0.2\n", 2, "value 2 'nan' is not a number"),
            ("1 2\na 0.1 0.2 0.3\n", 2, "more than 2 values"),
            ("1 2\n\n", 2, "empty line where a vector was expected"),
            ("1 2\n", 2, "file ends after 0 of 1 vectors"),
            ("1000000 100\n", 2, "file ends after 0 of 1000000 vectors"),
        ]
        for (text, line, message) in cases {
            let path = dir.write("v.txt", text)
            #expect(throws: InputError(file: path, line: line, message)) { try Word2VecFormat.read(from: path) }
        }
    }

    @Test func binaryFilesAreStillDetected() throws {
        let dir = TemporaryFolder()
        for values in [[Float(1)], [0, 0], [0.1, -0.2, 0.3], [Float](repeating: 0.5, count: 100)] {
            let m = EmbeddingMatrix(rows: 2, dim: values.count)
            m.setVector(0, values)
            m.setVector(1, values.map { -$0 })
            let model = EmbeddingModel(
                vocabulary: Vocabulary(tokens: ["x", "y"], counts: [2, 1]),
                input: m,
                output: nil,
                config: TrainingConfig()
            )
            try Word2VecFormat.write(model, to: dir.file("v.bin"), format: .binary)
            #expect(try Word2VecFormat.read(from: dir.file("v.bin")).input.isIdentical(to: m))
        }
    }
}
