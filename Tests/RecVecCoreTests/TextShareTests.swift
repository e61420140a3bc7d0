// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// A sequences file split across processes by byte ranges (`mpirun -np N recvec train --input
/// text.txt`): each process reads the lines that start in its range, and all of them end with the
/// vocabulary one reader of the whole file builds.
struct TextShareTests {
    /// The sequences of `corpus` as token strings, and their ids.
    func lines(_ corpus: Corpus) -> [[String]] {
        (0..<corpus.sequences.count).map { s in corpus.sequences[s].map { corpus.vocabulary.tokens[Int($0)] } }
    }

    /// Lines of very different lengths (one longer than a share), a blank line, a CRLF line, a
    /// byte-order mark, ties in the counts, tokens that only some processes see and tokens the
    /// minimum count drops.
    func awkwardFile(_ dir: TemporaryFolder) -> String {
        var text = "\u{FEFF}"
        var rng = FastRandom(seed: 3)
        for n in 0..<120 {
            let length = n == 40 ? 900 : 1 + rng.next(below: 12)
            text += (0..<length).map { _ in "t\(rng.next(below: 60))" }.joined(separator: n % 7 == 0 ? "\t" : " ")
            text += n == 10 ? "\r\n" : n == 20 ? "\n\n" : "\n"
        }
        text += "last line without a break t1 t2"
        return dir.write("awkward.txt", text)
    }

    /// Every process's share together is the whole file: the same vocabulary (tokens, order,
    /// counts), the same raw counts, the sequences in order, the line ids; the byte ranges tile it.
    @Test(arguments: [2, 3, 5, 16])
    func sharesReadAsOneFile(processes: Int) throws {
        let dir = TemporaryFolder()
        let path = awkwardFile(dir)
        let options = ReadOptions(minCount: 2, maxSequenceLength: 50)
        let whole = try SequenceFileReader.read(path: path, options: options)
        let shares = try onRanks(processes) { rank in
            try SequenceFileReader.readShare(path: path, options: options, group: rank)
        }
        for share in shares {
            #expect(share.vocabulary == whole.vocabulary)
            #expect(share.rawTokenCount == whole.rawTokenCount)
            #expect(share.rawVocabularySize == whole.rawVocabularySize)
        }
        #expect(shares.flatMap(lines) == lines(whole))
        #expect(shares.flatMap(\.documents) == whole.documents)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(shares.map { $0.processShare!.rank } == Array(0..<processes))
        #expect(shares.first!.processShare!.bytes.lowerBound == 0)
        #expect(shares.last!.processShare!.bytes.upperBound == size)
        for (a, b) in zip(shares, shares.dropFirst()) {
            #expect(a.processShare!.bytes.upperBound == b.processShare!.bytes.lowerBound)
        }
    }

    /// Two processes train from their own shares of a text file: one model on both, the
    /// vocabulary of one reader, the planted groups recovered; the learning rate reaches its end
    /// (the progress counts both shares).
    @Test func twoProcessesTrainFromTheirShares() throws {
        let dir = TemporaryFolder()
        let path = dir.write("planted.txt", plantedLines().map { $0.joined(separator: " ") }.joined(separator: "\n"))
        let c = TrainingTests().config(.skipGram)
        let events = EventCollector()
        let models = try onRanks(2) { rank in
            let share = try SequenceFileReader.readShare(path: path, options: ReadOptions(minCount: 1), group: rank)
            return try DistributedTests.train(c, rank: rank, events: events, corpus: share)
        }
        #expect(models[0].isIdentical(to: models[1]))
        let alone = try Trainer(config: c).train(
            try SequenceFileReader.read(path: path, options: ReadOptions(minCount: 1))
        )
        #expect(models[0].vocabulary == alone.vocabulary)
        let precision = try groupPrecision(models[0])
        #expect(precision >= 0.95, "planted groups: \(precision)")
        let epochs = events.epochs()
        #expect(epochs.last!.learningRate < 0.01 * c.startAlpha)
        #expect(epochs.last!.synchronizations == 4 * 4)  // 7,500 tokens a share: 4 rounds an epoch
        #expect(models[0].summary!.corpusTokens == 15_000)
    }

    /// A share is trained whole by its process: a process given another's share is refused.
    @Test func aShareBelongsToItsProcess() throws {
        let dir = TemporaryFolder()
        let path = dir.write(
            "planted.txt",
            plantedLines(sequences: 20).map { $0.joined(separator: " ") }.joined(separator: "\n")
        )
        let results = try onRanks(2) { rank -> String in
            var share = try SequenceFileReader.readShare(path: path, options: ReadOptions(minCount: 1), group: rank)
            share.processShare!.rank = 1 - rank.rank
            do {
                _ = try Trainer(config: TrainingTests().config(.skipGram), distribution: DataParallel(group: rank))
                    .train(share)
                return "trained"
            } catch let e as ConfigurationError {
                return e.description
            }
        }
        #expect(results.allSatisfy { $0.contains("is part") }, "\(results)")
    }

    /// An error in one process's share names the line counted from the file's start.
    @Test func errorsNameTheFilesLine() throws {
        let dir = TemporaryFolder()
        var bytes = Array((0..<200).map { "line \($0) a b c\n" }.joined().utf8)
        let line150 = bytes.indices.filter { bytes[$0] == 10 }[148] + 1  // the first byte of line 150
        bytes[line150] = 0xFF
        let path = dir.write("bad.txt", bytes: bytes)
        for keepIDs in [false, true] {
            do {
                _ = try SequenceFileReader.readShare(
                    path: path,
                    options: ReadOptions(minCount: 1, keepSequenceIDs: keepIDs),
                    group: SecondOfTwo()
                )
                Issue.record("invalid UTF-8 accepted")
            } catch let e as InputError {
                #expect(e.file == path && e.line == 150, "\(e)")
            }
        }
    }

    /// Plain files split; standard input, directories, gzip and missing files do not.
    @Test func onlyPlainFilesAreSplit() throws {
        let dir = TemporaryFolder()
        #expect(SequenceFileReader.canShare(dir.write("plain.txt", "a b\n")))
        #expect(!SequenceFileReader.canShare(dir.write("packed.txt", bytes: [0x1F, 0x8B, 8, 0])))
        #expect(!SequenceFileReader.canShare(dir.path))
        #expect(!SequenceFileReader.canShare("-"))
        #expect(!SequenceFileReader.canShare(dir.file("missing.txt")))
    }
}

/// Rank 1 of 2, for a read that fails before it needs the other process (any collective traps).
private struct SecondOfTwo: ProcessGroup {
    var rank: Int { 1 }
    var size: Int { 2 }
    func allReduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) throws { fatalError("no peer") }
    func allReduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) throws { fatalError("no peer") }
    func allReduceSum(_ values: UnsafeMutablePointer<Int64>, count: Int) throws { fatalError("no peer") }
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { fatalError("no peer") }
    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] { fatalError("no peer") }
}
