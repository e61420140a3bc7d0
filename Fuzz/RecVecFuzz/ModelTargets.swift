// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RecVecCore

/// The model readers: word2vec text and binary, the native model file and the HNSW index.
///
/// Native files end with a CRC-32 of everything before it, which random bytes almost never
/// match; those targets take the file without its last 4 bytes and append the right checksum, so
/// that the fuzzer reaches the header and section parsers behind the check.
enum ModelTargets {
    static let word2vecText = FuzzTarget("word2vec-text") { input in
        let path = ScratchFile.write(".txt", input)
        if let model = try? Word2VecFormat.read(from: path, format: .text) { check(model) }
    }

    static let word2vecBinary = FuzzTarget("word2vec-binary") { input in
        let path = ScratchFile.write(".bin", input)
        if let model = try? Word2VecFormat.read(from: path, format: .binary) { check(model) }
    }

    static let modelFile = FuzzTarget("model-file") { input in
        var crc = checksum(input)
        let path = withUnsafeBytes(of: &crc) { ScratchFile.write(".rvmodel", input, $0) }
        if let model = try? ModelFile.read(from: path) { check(model) }
    }

    /// The model the index inputs are read against: `Fuzz/Fixtures/model.rvmodel` (the seeds of
    /// `hnsw-file` are indexes of it), loaded once.
    nonisolated(unsafe) static var indexed: (vectors: EmbeddingMatrix, fingerprint: ModelFingerprint, items: Int)?

    static let hnswFile = FuzzTarget(
        "hnsw-file",
        setUp: {
            let path = "Fuzz/Fixtures/model.rvmodel"
            do {
                let model = try ModelFile.read(from: path)
                indexed = (
                    model.input.normalizedRows(), try ModelFingerprint(modelPath: path, model: model), model.itemCount
                )
            } catch {
                fail("cannot read \(path) (run from the repository's root): \(error)")
            }
        },
        run: { input in
            let (vectors, fingerprint, items) = indexed!
            var crc = checksum(input)
            let path = withUnsafeBytes(of: &crc) { ScratchFile.write(".hnsw", input, $0) }
            guard let index = try? IndexFile.read(from: path, vectors: vectors, fingerprint: fingerprint) else {
                return
            }
            // An index that passed its checks must be searchable from every item.
            let search = ItemSearch(unitVectors: vectors, itemCount: items, index: index)
            for item in 0..<min(items, 8) {
                let found = search.nearest(to: search.unitVector(of: Int32(item)), k: 5)
                if found.contains(where: { $0.id < 0 || Int($0.id) >= items }) { fail("an answer outside the items") }
            }
        }
    )

    /// The CRC-32 a native file stores after `bytes`, little-endian.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { CRC32.checksum(bytes).littleEndian }

    /// What a loaded model promises: a vocabulary of distinct tokens, a row per token, finite
    /// values, sections that tile the vocabulary.
    static func check(_ model: EmbeddingModel) {
        let v = model.vocabulary
        if Set(v.tokens).count != v.count { fail("a token twice in a loaded model") }
        for matrix in [model.input, model.output].compactMap({ $0 }) {
            guard matrix.rows == v.count, matrix.dim == model.dim else { fail("a matrix of the wrong shape") }
            for r in 0..<matrix.rows {
                let row = matrix.row(r)
                for c in 0..<matrix.dim where !row[c].isFinite { fail("a value that is not finite, row \(r)") }
            }
        }
        var next = 0
        for section in model.sections {
            guard section.start == next, section.count >= 0 else { fail("sections do not tile the vocabulary") }
            next += section.count
        }
        if next != v.count { fail("sections cover \(next) of \(v.count) tokens") }
    }
}
