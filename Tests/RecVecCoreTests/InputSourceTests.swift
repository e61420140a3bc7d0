// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Inputs as production jobs leave them: gzip files (one or several members), directories of part
/// files with `_SUCCESS` and hidden files, byte-order marks at the start of a part; and their errors.
struct InputSourceTests {
    func sequences(_ c: Corpus) -> [[String]] {
        (0..<c.sequences.count).map { i in c.sequences[i].map { c.vocabulary.tokens[Int($0)] } }
    }

    func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }

    let options = ReadOptions(minCount: 1)

    /// Makes the folder `name` in `dir`.
    func folder(_ dir: TemporaryFolder, _ name: String) throws {
        try FileManager.default.createDirectory(atPath: dir.file(name), withIntermediateDirectories: true)
    }

    @Test func gzipReadsAsThePlainFile() throws {
        let plain = try EventFileReader.read(path: fixture("events.tsv"), options: options)
        let gz = try EventFileReader.read(path: fixture("events.tsv.gz"), options: options)
        let members = try EventFileReader.read(path: fixture("events-two-members.tsv.gz"), options: options)
        #expect(plain.sequences.count == 8)
        #expect(sequences(gz) == sequences(plain))
        #expect(sequences(members) == sequences(plain))
        #expect(gz.vocabulary.tokens == plain.vocabulary.tokens)
    }

    @Test func gzipIsToldByItsBytesNotItsName() throws {
        let dir = TemporaryFolder()
        let renamed = dir.write("log.tsv", bytes: bytes(fixture("events.tsv.gz")))
        let plain = try EventFileReader.read(path: fixture("events.tsv"), options: options)
        #expect(sequences(try EventFileReader.read(path: renamed, options: options)) == sequences(plain))
    }

    @Test func truncatedAndCorruptGzipAreRefusedNamingTheFile() throws {
        let dir = TemporaryFolder()
        let full = bytes(fixture("events.tsv.gz"))
        let truncated = dir.write("cut.tsv.gz", bytes: Array(full[0..<(full.count / 2)]))
        #expect(throws: InputError(file: truncated, "truncated gzip data (the compressed stream ends early)")) {
            try EventFileReader.read(path: truncated, options: options)
        }
        var damaged = full
        damaged[2] = 0x55  // not deflate
        let corrupt = dir.write("bad.tsv.gz", bytes: damaged)
        let error = #expect(throws: InputError.self) { try EventFileReader.read(path: corrupt, options: options) }
        #expect(error?.file == corrupt)
        #expect(error?.message.hasPrefix("corrupt gzip data") == true)
        let garbage = dir.write("tail.gz", bytes: full + [0x41, 0x42, 0x43])
        #expect(throws: InputError.self) { try EventFileReader.read(path: garbage, options: options) }
    }

    @Test func anEmptyGzipFileIsEmpty() throws {
        let dir = TemporaryFolder()
        // gzip of zero bytes.
        let empty = dir.write(
            "e.gz",
            bytes: [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        )
        #expect(throws: InputError(file: empty, "file is empty")) { try SequenceFileReader.read(path: empty) }
    }

    /// The fixture's log cut into three parts as a job writes them: each with the header, one gzip,
    /// one without a final line break, beside `_SUCCESS`, a hidden checksum and a `_temporary` folder.
    func partDirectory(_ dir: TemporaryFolder) throws -> String {
        let lines = String(decoding: bytes(fixture("events.tsv")), as: UTF8.self).split(separator: "\n")
        let header = String(lines[0])
        let body = lines.dropFirst().map(String.init)
        let root = dir.file("log")
        try FileManager.default.createDirectory(atPath: root + "/_temporary", withIntermediateDirectories: true)
        dir.write("log/part-00000.tsv", ([header] + body[0..<20]).joined(separator: "\n") + "\n")
        let second = ([header] + body[20..<30]).joined(separator: "\n")  // no final line break
        dir.write("log/part-00001.tsv", "\u{FEFF}" + second)
        let gz = TemporaryFolder()
        let p = gz.write("p.tsv", ([header] + body[30...]).joined(separator: "\n") + "\n")
        try gzip(p, to: root + "/part-00002.tsv.gz")
        dir.write("log/_SUCCESS", "")
        dir.write("log/.part-00000.tsv.crc", "not data")
        return root
    }

    /// gzip-compresses `path` with the system's gzip (present wherever zlib is).
    func gzip(_ path: String, to output: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c \"$0\" > \"$1\"", path, output]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func aDirectoryOfPartsReadsAsOneLog() throws {
        let dir = TemporaryFolder()
        let root = try partDirectory(dir)
        #expect(
            try PartFiles.resolve(root).map { $0.split(separator: "/").last! } == [
                "part-00000.tsv", "part-00001.tsv", "part-00002.tsv.gz",
            ]
        )
        let plain = try EventFileReader.read(path: fixture("events.tsv"), options: options)
        let parts = try EventFileReader.read(path: root, options: options)
        #expect(sequences(parts) == sequences(plain))
        #expect(InteractionFormat.auto.resolved(path: root) == .events)
    }

    @Test func partErrorsNameThePartAndItsOwnLine() throws {
        let dir = TemporaryFolder()
        let root = try partDirectory(dir)
        dir.write("log/part-00003.tsv", "user_id\titem_id\ttimestamp\nu9\ti1\t5\nu9\ti2\tsoon\n")
        #expect(
            throws: InputError(
                file: root + "/part-00003.tsv",
                line: 3,
                "time 'soon' in column 'timestamp' is not a number or an ISO 8601 date-time"
            )
        ) { try EventFileReader.read(path: root, options: options) }
        dir.write("log/part-00003.tsv", "user\titem_id\ttimestamp\nu9\ti1\t5\n")
        let error = #expect(throws: InputError.self) { try EventFileReader.read(path: root, options: options) }
        #expect(error?.file == root + "/part-00003.tsv")
        #expect(error?.line == 1)
        #expect(error?.message.contains("header differs") == true)
    }

    @Test func sequencesPartsWithoutFinalLineBreaksStaySeparate() throws {
        let dir = TemporaryFolder()
        try folder(dir, "s")
        dir.write("s/part-0", "a b c\nd e")
        dir.write("s/part-1", bytes: Array("\u{FEFF}f g\nh ".utf8) + [0xFF] + [10])
        let error = #expect(throws: InputError.self) {
            try SequenceFileReader.read(path: dir.file("s"), options: options)
        }
        #expect(error == InputError(file: dir.file("s/part-1"), line: 2, "invalid UTF-8 in token"))
        dir.write("s/part-1", "\u{FEFF}f g\nh i\n")
        let c = try SequenceFileReader.read(path: dir.file("s"), options: options)
        #expect(sequences(c) == [["a", "b", "c"], ["d", "e"], ["f", "g"], ["h", "i"]])
    }

    @Test func directoriesWithoutPartsOrWithSubfoldersAreRefused() throws {
        let dir = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: dir.file("d/_temporary"), withIntermediateDirectories: true)
        dir.write("d/_SUCCESS", "")
        #expect(
            throws: InputError(
                file: dir.file("d"),
                "is a directory without part files (names starting with '_' or '.' are skipped)"
            )
        ) { try SequenceFileReader.read(path: dir.file("d")) }
        try FileManager.default.createDirectory(atPath: dir.file("d/year=2024"), withIntermediateDirectories: true)
        let error = #expect(throws: InputError.self) { try SequenceFileReader.read(path: dir.file("d")) }
        #expect(error?.file == dir.file("d/year=2024"))
    }

    @Test func metadataPartsShareTheirHeader() throws {
        let dir = TemporaryFolder()
        try folder(dir, "m")
        dir.write("m/part-0", "item_id\tfield\tvalue\n1\tgenre\tcomedy\n")
        dir.write("m/part-1", "item_id\tfield\tvalue\n2\tgenre\tdrama\n")
        let m = try ItemMetadata.read(path: dir.file("m"))
        #expect(m.values("genre", of: "1") == ["comedy"])
        #expect(m.values("genre", of: "2") == ["drama"])
        #expect(m.values("field", of: "item_id").isEmpty)
    }

    @Test func theDelimiterFollowsThePartsName() throws {
        let dir = TemporaryFolder()
        try folder(dir, "c")
        dir.write("c/part-0.csv", "user_id,item_id\nu,a\nu,b\n")
        #expect(EventOptions().delimiter(for: dir.file("c")) == UInt8(ascii: ","))
        #expect(EventOptions().delimiter(for: "log.csv.gz") == UInt8(ascii: ","))
        #expect(EventOptions().delimiter(for: "log.tsv.gz") == 9)
    }
}

/// Progress reports while a large input is read (serialized: the observer is process-wide).
@Suite(.serialized)
struct ReadProgressTests {
    @Test func aLargeReadReportsGrowingFractionsThenItsEnd() throws {
        let dir = TemporaryFolder()
        // 12 MB: three of the readers' 4 MiB chunks.
        let line = String(repeating: "a b c d e f g h ", count: 8) + "\n"
        let text = String(repeating: line, count: 12_000_000 / line.utf8.count)
        let path = dir.write("big.txt", text)
        let reports = Locked<[ReadProgress]>([])
        ReadProgress.interval = .zero
        ReadProgress.observer = { p in if p.path == path { reports.withLock { $0.append(p) } } }
        defer {
            ReadProgress.observer = nil
            ReadProgress.interval = .milliseconds(250)
        }
        _ = try SequenceFileReader.read(path: path, options: ReadOptions(minCount: 1))
        let seen = reports.withLock { $0 }
        #expect(seen.count >= 3)
        #expect(seen.last?.finished == true)
        #expect(seen.last?.bytesRead == text.utf8.count)
        #expect(seen.dropLast().allSatisfy { !$0.finished })
        let fractions = seen.compactMap(\.fraction)
        #expect(fractions == fractions.sorted())
        #expect(fractions.last == 1)
        #expect(seen.allSatisfy { $0.totalBytes == text.utf8.count })
    }
}

/// A value shared by the threads of a test.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
