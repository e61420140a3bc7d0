// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

@testable import RecVecCore

/// A fresh temporary folder, removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "recvec-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        try! text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// Writes raw bytes.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let p = path + "/" + name
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func file(_ name: String) -> String { path + "/" + name }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    /// Names of the files in the folder.
    func contents() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? [] }
}

/// The path of a committed fixture.
func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!.path
}

/// A corpus with planted structure: `groups` groups of `size` items; each sequence draws its
/// items from one group only. Items are named "g<group>_<item>".
func plantedCorpus(
    groups: Int = 8,
    size: Int = 6,
    sequences: Int = 1500,
    length: Int = 10,
    seed: UInt64 = 42
)
    -> Corpus
{
    corpus(plantedLines(groups: groups, size: size, sequences: sequences, length: length, seed: seed), minCount: 1)
}

/// ``plantedCorpus``'s sequences as token lists.
func plantedLines(
    groups: Int = 8,
    size: Int = 6,
    sequences: Int = 1500,
    length: Int = 10,
    seed: UInt64 = 42
)
    -> [[String]]
{
    var rng = FastRandom(seed: seed)
    var lines: [[String]] = []
    for _ in 0..<sequences {
        let g = rng.next(below: groups)
        lines.append((0..<length).map { _ in "g\(g)_\(rng.next(below: size))" })
    }
    return lines
}

/// A corpus from token lists (vocabulary by descending count, ties as gensim breaks them).
func corpus(_ lines: [[String]], minCount: Int = 1) -> Corpus {
    try! Corpus.from(lines, minCount: minCount)
}

/// The group of a planted token "g<group>_<item>".
func group(of token: String) -> Substring { token.split(separator: "_")[0] }

/// Fraction of each token's 4 nearest neighbours that lie in its planted group (``plantedCorpus``).
func groupPrecision(_ model: EmbeddingModel) throws -> Double {
    let nn = NearestNeighbors(model: model)
    var hits = 0
    var total = 0
    for token in model.vocabulary.tokens {
        for n in try nn.similar(to: [token], top: 4) {
            total += 1
            if group(of: n.token) == group(of: token) { hits += 1 }
        }
    }
    return Double(hits) / Double(total)
}
