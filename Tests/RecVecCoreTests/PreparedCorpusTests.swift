// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Prepared corpora (`.rvcorpus`): a round trip keeps every field, the file is read mapped,
/// stricter filters give what the text reader gives, and corrupt, crafted or stale files are
/// refused with a message naming the file.
struct PreparedCorpusTests {
    /// An event log with every kind of side data, a token below the minimum count and a user whose
    /// only events are rare.
    static let events = """
        user_id\titem_id\ttimestamp\torder\tweight\ttype
        u1\ta\t10\to1\t1\tview
        u1\tb\t10\to1\t2\tview
        u1\tc\t20\to2\t0.5\tbuy
        u1\trare\t25\to2\t1\tview
        u1\ta\t30\to3\t1\tview
        u2\tb\t5\to4\t3\tview
        u2\tc\t6\to5\t1\tbuy
        u3\tonce\t7\to6\t1\tview
        u4\tb\t1\to7\t1\tview
        u4\ta\t2\to8\t1\tview

        """

    static var eventOptions: EventOptions {
        var e = EventOptions()
        e.basketColumn = "order"
        e.weightColumn = "weight"
        e.contextEventColumn = "type"
        e.contextEventValue = "buy"
        return e
    }

    func description(_ input: String, minCount: Int = 1, maxVocab: Int? = nil) throws -> PreparedCorpusDescription {
        PreparedCorpusDescription(
            input: input,
            sources: try PreparedCorpusDescription.sources(of: input),
            format: "events",
            minCount: minCount,
            maxVocab: maxVocab,
            maxSequenceLength: 10_000
        )
    }

    /// Every field of two corpora, compared.
    func expectSame(_ a: Corpus, _ b: Corpus, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.vocabulary == b.vocabulary, sourceLocation: sourceLocation)
        #expect(a.sequences == b.sequences, sourceLocation: sourceLocation)
        #expect(a.rawTokenCount == b.rawTokenCount, sourceLocation: sourceLocation)
        #expect(a.rawVocabularySize == b.rawVocabularySize, sourceLocation: sourceLocation)
        #expect(a.documents == b.documents, sourceLocation: sourceLocation)
        #expect(a.sequenceDocuments == b.sequenceDocuments, sourceLocation: sourceLocation)
        #expect(a.times == b.times, sourceLocation: sourceLocation)
        #expect(a.baskets == b.baskets, sourceLocation: sourceLocation)
        #expect(a.weights == b.weights, sourceLocation: sourceLocation)
        #expect(a.contextItems == b.contextItems, sourceLocation: sourceLocation)
    }

    @Test func roundTripKeepsEveryFieldAndMapsTheArrays() throws {
        let dir = TemporaryFolder()
        let input = dir.write("e.tsv", Self.events)
        let text = try EventFileReader.read(path: input, events: Self.eventOptions, options: ReadOptions(minCount: 1))
        #expect(text.baskets != nil && text.weights != nil && text.contextItems != nil && !text.documents.isEmpty)
        let path = dir.file("e.rvcorpus")
        try PreparedCorpus.write(text, description: try description(input), to: path)
        #expect(PreparedCorpus.isPreparedCorpus(path))
        #expect(!PreparedCorpus.isPreparedCorpus(input))
        let (read, stored) = try PreparedCorpus.read(from: path)
        expectSame(read, text)
        #expect(stored == (try description(input)))
        #expect(read.sequences.isMapped && !text.sequences.isMapped)
        #expect(read.times?.isMapped == true)
        // Pages given back are read again from the file, unchanged.
        read.sequences.releasePages(tokens: 0..<read.sequences.tokenCount, sequences: 0..<read.sequences.count)
        read.releaseSideDataPages(tokens: 0..<read.sequences.tokenCount, sequences: 0..<read.sequences.count)
        #expect(read.sequences == text.sequences)
        expectSame(read, text)
        // Without sequence ids (models that do not need them): everything else the same.
        let noIDs = try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 1, keepSequenceIDs: false))
        #expect(noIDs.documents.isEmpty && noIDs.sequenceDocuments.isEmpty)
        #expect(noIDs.sequences == text.sequences && noIDs.times == text.times)
        // Nothing but the file in the folder: no temporary left behind.
        #expect(dir.contents() == ["e.rvcorpus", "e.tsv"])
    }

    @Test func sequencesFileWithoutSideData() throws {
        let dir = TemporaryFolder()
        let input = dir.write("s.txt", "a b c\nb c\nc a a\nz\n")
        let text = try SequenceFileReader.read(path: input, options: ReadOptions(minCount: 1, keepSequenceIDs: false))
        let path = dir.file("s.rvcorpus")
        try PreparedCorpus.write(text, description: try description(input), to: path)
        let read = try PreparedCorpus.read(from: path).corpus
        expectSame(read, text)
        #expect(read.times == nil && read.documents.isEmpty)
    }

    /// Loading with a higher minimum count or a smaller vocabulary gives exactly what reading the
    /// text with those filters gives.
    @Test(arguments: [(2, nil), (3, nil), (1, 2), (2, 1)] as [(Int, Int?)])
    func stricterFiltersMatchTheTextReader(minCount: Int, maxVocab: Int?) throws {
        let dir = TemporaryFolder()
        let input = dir.write("e.tsv", Self.events)
        let all = try EventFileReader.read(path: input, events: Self.eventOptions, options: ReadOptions(minCount: 1))
        let path = dir.file("e.rvcorpus")
        try PreparedCorpus.write(all, description: try description(input), to: path)
        let options = ReadOptions(minCount: minCount, maxVocab: maxVocab)
        let expected = try EventFileReader.read(path: input, events: Self.eventOptions, options: options)
        let loaded = try PreparedCorpus.load(path: path, options: options)
        expectSame(loaded, expected)
        // Through the one entry point of the readers, whatever format it is told.
        let viaReader = try InteractionReader.read(path: path, format: .sequences, options: options)
        expectSame(viaReader, expected)
    }

    @Test func filtersThatNeedDroppedTokensAreRefused() throws {
        let dir = TemporaryFolder()
        let input = dir.write("e.tsv", Self.events)
        let options = ReadOptions(minCount: 2, maxVocab: 2)
        let prepared = try EventFileReader.read(path: input, events: Self.eventOptions, options: options)
        let path = dir.file("e.rvcorpus")
        try PreparedCorpus.write(prepared, description: try description(input, minCount: 2, maxVocab: 2), to: path)
        #expect(throws: ModelFileError.self) { try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 1)) }
        do {
            _ = try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 2))
            Issue.record("an unlimited vocabulary needs tokens --max-vocab 2 dropped")
        } catch let error as ModelFileError {
            #expect(error.file == path && error.message.contains("--max-vocab 2"))
        }
        // The same filters, or stricter ones, are fine.
        #expect(try PreparedCorpus.load(path: path, options: options).vocabulary.count == 2)
        #expect(
            try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 3, maxVocab: 1)).vocabulary.count == 1
        )
        // Evaluation reads every event: it asks for --min-count 1 and is refused with the reason.
        #expect(throws: ModelFileError.self) { try Interactions.read(path: path, format: .auto) }
    }

    /// The file's bytes, changed by `edit`, written to `name`; with `fixChecksum` the trailing
    /// CRC is recomputed, as a crafted (not merely corrupt) file would have it.
    func tampered(
        _ path: String,
        in dir: TemporaryFolder,
        _ name: String,
        fixChecksum: Bool = false,
        _ edit: (inout [UInt8]) -> Void
    ) -> String {
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        edit(&bytes)
        if fixChecksum {
            var crc = CRC32()
            bytes.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }
            withUnsafeBytes(of: crc.value.littleEndian) { bytes.replaceSubrange((bytes.count - 4)..., with: $0) }
        }
        return dir.write(name, bytes: bytes)
    }

    @Test func corruptAndCraftedFilesAreRefused() throws {
        let dir = TemporaryFolder()
        let input = dir.write("e.tsv", Self.events)
        let corpus = try EventFileReader.read(path: input, events: Self.eventOptions, options: ReadOptions(minCount: 1))
        let path = dir.file("e.rvcorpus")
        try PreparedCorpus.write(corpus, description: try description(input), to: path)
        let size = Int(try FileManager.default.attributesOfItem(atPath: path)[.size] as! UInt64)
        let (read, _) = try PreparedCorpus.read(from: path)

        func message(_ p: String) -> String {
            do {
                _ = try PreparedCorpus.read(from: p)
                return ""
            } catch let e as ModelFileError {
                #expect(e.file == p)
                return e.message
            } catch {
                return "\(error)"
            }
        }
        let flipped = tampered(path, in: dir, "flip.rvcorpus") { $0[size - 40] ^= 0x5A }
        #expect(message(flipped).contains("checksum"))
        let truncated = tampered(path, in: dir, "short.rvcorpus") { $0.removeLast(100) }
        #expect(message(truncated).contains("truncated"))
        let longer = tampered(path, in: dir, "long.rvcorpus") { $0 += [0, 0, 0, 0] }
        #expect(message(longer).contains("trailing"))
        let magic = tampered(path, in: dir, "magic.rvcorpus") { $0[0] = UInt8(ascii: "X") }
        #expect(message(magic).contains("not a prepared corpus"))
        #expect(!PreparedCorpus.isPreparedCorpus(magic))
        let version = tampered(path, in: dir, "version.rvcorpus", fixChecksum: true) { $0[8] = 9 }
        #expect(message(version).contains("version 9"))
        let flags = tampered(path, in: dir, "flags.rvcorpus", fixChecksum: true) { $0[12] |= 0x80 }
        #expect(message(flags).contains("flags"))
        let huge = tampered(path, in: dir, "huge.rvcorpus", fixChecksum: true) { $0[16 + 7] = 0x7F }
        #expect(message(huge).contains("impossible"))
        #expect(message(dir.write("empty.rvcorpus", "")).contains("not a prepared corpus"))

        // A crafted file with a valid checksum but a token id past the vocabulary: found before any
        // training indexes a row with it. The last token is the 4 bytes before the offsets' section.
        let offsetsBytes = (read.sequences.count + 1) * 8
        let craftedID = tampered(path, in: dir, "id.rvcorpus", fixChecksum: true) { bytes in
            // Find the offsets section by its content: 0, then the sequence ends, as Int64.
            let pattern = read.sequences.offsets.array.flatMap { o in
                withUnsafeBytes(of: Int64(o).littleEndian, Array.init)
            }
            let at = (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }!
            #expect(at % 64 == 0 && offsetsBytes == pattern.count)
            // The token section ends right before the padding that precedes the offsets.
            let lastToken = (read.sequences.tokenCount * 4 + 63) / 64 * 64
            let tokensStart = at - lastToken
            bytes[tokensStart] = 0xFF
            bytes[tokensStart + 1] = 0x7F
        }
        #expect(message(craftedID).contains("token id"))
    }

    @Test func staleFileIsRefusedAndMissingSourceIsNot() throws {
        let dir = TemporaryFolder()
        let input = dir.write("e.tsv", Self.events)
        let corpus = try EventFileReader.read(path: input, events: Self.eventOptions, options: ReadOptions(minCount: 1))
        let path = dir.file("e.rvcorpus")
        try PreparedCorpus.write(corpus, description: try description(input), to: path)
        #expect(try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 1)).vocabulary.count == 5)
        _ = dir.write("e.tsv", Self.events + "u9\ta\t99\to9\t1\tview\n")
        do {
            _ = try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 1))
            Issue.record("a stale corpus was read")
        } catch let error as ModelFileError {
            #expect(error.message.contains("stale") && error.message.contains("e.tsv"))
        }
        // Staleness is decided from the header and description, before the pass over every byte:
        // a stale file with a damaged body is reported stale; read alone still verifies it.
        var bytes = Array(FileManager.default.contents(atPath: path)!)
        bytes[bytes.count - 8] ^= 0x40
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 1))
            Issue.record("a stale, damaged corpus was read")
        } catch let error as ModelFileError {
            #expect(error.message.contains("stale"), "\(error.message)")
        }
        do {
            _ = try PreparedCorpus.read(from: path)
            Issue.record("a damaged corpus was read")
        } catch let error as ModelFileError {
            #expect(error.message.contains("checksum"), "\(error.message)")
        }
        bytes[bytes.count - 8] ^= 0x40
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        try FileManager.default.removeItem(atPath: input)
        #expect(try PreparedCorpus.load(path: path, options: ReadOptions(minCount: 1)).vocabulary.count == 5)
    }

    /// What changed is said: the size, or — same size — the modification time, in UTC.
    @Test func stalenessSaysWhatChanged() throws {
        let dir = TemporaryFolder()
        let input = dir.write("e.tsv", Self.events)
        var d = try description(input)
        #expect(d.staleness() == nil)
        d.sources[0].size += 1
        #expect(d.staleness()?.contains("(\(d.sources[0].size) → \(d.sources[0].size - 1) bytes)") == true)
        d.sources[0].size -= 1
        let now = d.sources[0].modified
        d.sources[0].modified = 1_764_622_623.5  // 2025-12-01 20:57:03.5 UTC
        let message = try #require(d.staleness())
        #expect(message.contains("same size, modification time 2025-12-01 20:57:03 UTC → "), "\(message)")
        #expect(message.contains(PreparedCorpusDescription.utc(now)))
    }

    /// Same seed, one thread: the model trained from the prepared corpus is the model trained from
    /// the text.
    @Test func trainingFromThePreparedCorpusIsIdentical() throws {
        let dir = TemporaryFolder()
        let planted = plantedCorpus(groups: 4, size: 8, sequences: 200, length: 12, seed: 3)
        let lines = (0..<planted.sequences.count).map { s in
            planted.sequences[s].map { planted.vocabulary.tokens[Int($0)] }.joined(separator: " ")
        }
        let input = dir.write("s.txt", lines.joined(separator: "\n") + "\n")
        let options = ReadOptions(minCount: 1)
        let text = try SequenceFileReader.read(path: input, options: options)
        let path = dir.file("s.rvcorpus")
        try PreparedCorpus.write(text, description: try description(input), to: path)
        let mapped = try PreparedCorpus.load(path: path, options: options)
        var config = TrainingConfig()
        config.dim = 16
        config.epochs = 2
        config.threads = 1
        config.sample = 1e-2
        let a = try Trainer(config: config).train(text)
        let b = try Trainer(config: config).train(mapped)
        #expect(a.isIdentical(to: b))
    }

    /// The chunked walk every check of an opened file uses: consecutive chunks of at most 16 MB
    /// that cover the range exactly, in order.
    @Test func chunksCoverTheRangeInOrder() {
        let values = FlatArray((0..<Int32(5_000_000)).map { $0 })  // 20 MB: two chunks
        var seen: [(start: Int, count: Int)] = []
        var sum = 0
        values.forEachChunk { chunk, start in
            seen.append((start, chunk.count))
            #expect(chunk.first == Int32(start))
            sum += chunk.count
        }
        #expect(seen.map(\.start) == [0, 1 << 22])
        #expect(sum == values.count)
        var inner: [Int] = []
        values.forEachChunk(of: 10..<20) { chunk, start in inner += chunk.map { Int($0) } + [start] }
        #expect(inner == Array(10..<20) + [10])
    }

    @Test func writingIntoAMissingFolderLeavesNothing() throws {
        let dir = TemporaryFolder()
        let corpus = try Corpus.from([["a", "b"], ["b", "a"]])
        let d = PreparedCorpusDescription(
            input: "-",
            sources: [],
            format: "sequences",
            minCount: 1,
            maxVocab: nil,
            maxSequenceLength: 10_000
        )
        #expect(throws: ModelFileError.self) {
            try PreparedCorpus.write(corpus, description: d, to: dir.file("missing/c.rvcorpus"))
        }
        #expect(dir.contents().isEmpty)
    }
}
