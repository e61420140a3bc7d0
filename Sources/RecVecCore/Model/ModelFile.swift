// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// RecVec's native model file.
///
/// Layout (all integers and floats little-endian):
///
///     8 bytes   magic "RECVEC\r\n" (the \r\n catches text-mode mangling)
///     u32       format version (1)
///     u32       flags (bit 0: output matrix present; bit 1: network section present)
///     u64       vocabulary size V
///     u32       dimension D
///     u32       header length H
///     H bytes   header: JSON with the hyperparameters, the training summary and the token
///               sections (items first, then documents, users, metadata values or words)
///     V times   u32 byte length, UTF-8 token, i64 count
///     V·D f32   input vectors
///     V·D f32   output vectors (if flagged)
///     network   (if flagged) a sequence model's network, GRU4Rec's (the header's `gru4rec`
///               configuration says how it reads its input):
///                 u32  layer count L
///                 L ×  u32 input size N, u32 hidden size H
///                 L ×  N·3H f32 input weights, H·3H f32 recurrent weights, 3H f32 input bias,
///                      3H f32 recurrent bias (gates reset, update, candidate)
///                 I    f32 output item biases (I = the item section's count)
///                 u32  input item vector size E (0: the input vectors are the output ones, or
///                      the input is one-hot), then I·E f32 input item vectors
///               The output item vectors are the input matrix's item rows (D = the last H), so
///               `similar`, `export` and `info` read a GRU4Rec file as any other.
///     u32       CRC-32 of every byte before it
///
/// The network section came after version 1 without a version change: files without it read as
/// before, and a reader that predates it refuses a file with it (an unknown flag bit).
///
/// Files are written to a temporary file and renamed; loading checks size and checksum first,
/// then copies the matrices (no float parsing: a 100 k × 100 model loads in milliseconds).
public enum ModelFile {
    static let magic: [UInt8] = Array("RECVEC\r\n".utf8)
    static let version: UInt32 = 1

    struct Header: Codable {
        var config: TrainingConfig
        var summary: TrainingSummary?
        var createdBy: String
        /// Absent in files of plain item/word models (one item section).
        var sections: [TokenSection]?
    }

    /// Writes `model` to `path` atomically.
    public static func write(_ model: EmbeddingModel, to path: String) throws {
        if let d = model.vocabulary.firstDuplicate {
            throw ModelFileError(
                file: path,
                "token '\(d.token)' appears twice (rows \(d.first + 1) and \(d.second + 1)): a model file holds each token once"
            )
        }
        let w = try AtomicFileWriter(path: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf",
            negativeInfinity: "-inf",
            nan: "nan"
        )
        let header = try encoder.encode(
            Header(
                config: model.config,
                summary: model.summary,
                createdBy: "recvec",
                sections: model.sections.count > 1 ? model.sections : nil
            )
        )
        try w.write(magic)
        try w.write(version)
        try w.write(UInt32(model.output == nil ? 0 : 1) | (model.network == nil ? 0 : 2))
        try w.write(UInt64(model.vocabulary.count))
        try w.write(UInt32(model.dim))
        try w.write(UInt32(header.count))
        try w.write(Array(header))
        for (token, count) in zip(model.vocabulary.tokens, model.vocabulary.counts) {
            let utf8 = Array(token.utf8)
            try w.write(UInt32(utf8.count))
            try w.write(utf8)
            try w.write(Int64(count))
        }
        try writeMatrix(model.input, to: w)
        if let output = model.output { try writeMatrix(output, to: w) }
        if let network = model.network { try writeNetwork(network, to: w) }
        try w.write(w.checksum)
        try w.commit()
    }

    private static func writeFloats(_ values: [Float], to w: AtomicFileWriter) throws {
        try values.withUnsafeBytes { try w.write($0) }
    }

    /// The network section (see the layout above).
    private static func writeNetwork(_ n: GRU4RecWeights, to w: AtomicFileWriter) throws {
        try w.write(UInt32(n.layers.count))
        for layer in n.layers {
            try w.write(UInt32(layer.inputSize))
            try w.write(UInt32(layer.hiddenSize))
        }
        for layer in n.layers {
            for values in [layer.inputWeights, layer.recurrentWeights, layer.inputBias, layer.recurrentBias] {
                try writeFloats(values, to: w)
            }
        }
        try writeFloats(n.bias, to: w)
        try w.write(UInt32(n.itemCount > 0 ? n.embedding.count / n.itemCount : 0))
        try writeFloats(n.embedding, to: w)
    }

    private static func writeMatrix(_ m: EmbeddingMatrix, to w: AtomicFileWriter) throws {
        for r in 0..<m.rows {
            try w.write(UnsafeRawBufferPointer(start: m.row(r), count: m.dim * 4))
        }
    }

    /// Whether the file at `path` starts with the native magic.
    public static func isModelFile(_ path: String) -> Bool {
        guard let f = try? MappedFile(path: path), f.bytes.count >= 8 else { return false }
        return Array(f.bytes[0..<8]) == magic
    }

    /// Loads a model, refusing a truncated, corrupt or foreign file with a clear error.
    public static func read(from path: String) throws -> EmbeddingModel {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        if bytes.count == 0 { throw ModelFileError(file: path, "file is empty") }
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else {
            throw ModelFileError(
                file: path,
                "not a RecVec model file (word2vec vectors can be converted with `recvec import`)"
            )
        }
        guard bytes.count >= 36 else { throw ModelFileError(file: path, "truncated file (header)") }
        var cursor = ByteCursor(bytes, file: path)
        _ = try cursor.take(8, "magic")
        let version = try cursor.read(UInt32.self, "version")
        guard version == Self.version else {
            throw ModelFileError(
                file: path,
                "model format version \(version) is not supported (this build reads \(Self.version))"
            )
        }
        let flags = try cursor.read(UInt32.self, "flags")
        let v = try cursor.read(UInt64.self, "vocabulary size")
        let d = Int(try cursor.read(UInt32.self, "dimension"))
        let h = Int(try cursor.read(UInt32.self, "header length"))
        let matrices = (flags & 1) != 0 ? 2 : 1
        guard flags & ~3 == 0 else {
            throw ModelFileError(file: path, "unknown flags \(flags): written by a newer recvec?")
        }
        guard v < UInt64(Int32.max), d > 0, d <= 100_000 else { throw ModelFileError(file: path, "corrupt header") }
        let vocabSize = Int(v)
        // Each token takes at least 12 bytes (length and count), each vector 4·D.
        guard let minimum = CheckedSize.sum([[32], [h], [vocabSize, 12], [matrices, vocabSize, d, 4], [4]]) else {
            throw ModelFileError(file: path, "corrupt header (sizes overflow)")
        }
        guard bytes.count >= minimum else {
            throw ModelFileError(file: path, "truncated file (\(bytes.count) bytes, expected at least \(minimum))")
        }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
        let actual = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)]))
        guard stored == actual else {
            throw ModelFileError(file: path, "checksum mismatch: the file is corrupt or truncated")
        }
        let headerBytes = try cursor.take(h, "header")
        let header: Header
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf",
                negativeInfinity: "-inf",
                nan: "nan"
            )
            header = try decoder.decode(Header.self, from: Data(headerBytes))
        } catch {
            throw ModelFileError(file: path, "corrupt header: \(error)")
        }
        var tokens: [String] = []
        var counts: [Int64] = []
        tokens.reserveCapacity(vocabSize)
        counts.reserveCapacity(vocabSize)
        for _ in 0..<vocabSize {
            let n = Int(try cursor.read(UInt32.self, "vocabulary"))
            let b = try cursor.take(n, "vocabulary")
            guard let s = String(validating: b.assumingMemoryBound(to: UInt8.self), as: UTF8.self) else {
                throw ModelFileError(file: path, "corrupt vocabulary (invalid UTF-8)")
            }
            tokens.append(s)
            counts.append(try cursor.read(Int64.self, "vocabulary"))
        }
        let input = try readMatrix(&cursor, rows: vocabSize, dim: d, name: "input", tokens: tokens)
        let output =
            matrices == 2 ? try readMatrix(&cursor, rows: vocabSize, dim: d, name: "output", tokens: tokens) : nil
        let itemCount = header.sections?.first?.count ?? vocabSize
        let network = (flags & 2) != 0 ? try readNetwork(&cursor, header: header, input: input, items: itemCount) : nil
        guard cursor.remaining == 4 else { throw ModelFileError(file: path, "unexpected bytes after the matrices") }
        if let sections = header.sections, !EmbeddingModel.isValid(sections, count: vocabSize) {
            throw ModelFileError(file: path, "corrupt header: token sections do not tile the vocabulary")
        }
        if let problem = header.summary?.problem {
            throw ModelFileError(file: path, "corrupt header: training summary: \(problem)")
        }
        try validate(header.config, dim: d, path: path)
        let vocabulary = Vocabulary(tokens: tokens, counts: counts)
        if let dup = vocabulary.firstDuplicate {
            throw ModelFileError(
                file: path,
                "corrupt vocabulary: token '\(dup.token.prefix(80))' appears twice (rows \(dup.first + 1) and \(dup.second + 1))"
            )
        }
        return EmbeddingModel(
            vocabulary: vocabulary,
            input: input,
            output: output,
            config: header.config,
            summary: header.summary,
            sections: header.sections,
            network: network
        )
    }

    /// `count` floats (refusing a count the rest of the file cannot hold before allocating).
    private static func readFloats(_ cursor: inout ByteCursor, _ count: Int, _ what: String) throws -> [Float] {
        guard count >= 0, count <= (cursor.remaining - 4) / 4 else {
            throw ModelFileError(file: cursor.file, "truncated file (while reading \(what))")
        }
        let b = try cursor.take(count * 4, what)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { $0.copyMemory(from: b) }
        return values
    }

    /// The network section (see the layout above); its output item vectors are `input`'s first
    /// `items` rows.
    private static func readNetwork(
        _ cursor: inout ByteCursor,
        header: Header,
        input: EmbeddingMatrix,
        items: Int
    ) throws -> GRU4RecWeights {
        let path = cursor.file
        guard let config = header.config.gru4rec else {
            throw ModelFileError(file: path, "corrupt header: a network section without its gru4rec configuration")
        }
        let count = Int(try cursor.read(UInt32.self, "network"))
        guard count >= 1, count <= 1000 else { throw ModelFileError(file: path, "corrupt network: \(count) layers") }
        var sizes: [(input: Int, hidden: Int)] = []
        for _ in 0..<count {
            let n = Int(try cursor.read(UInt32.self, "network"))
            let h = Int(try cursor.read(UInt32.self, "network"))
            guard n >= 1, h >= 1, h <= 100_000 else { throw ModelFileError(file: path, "corrupt network: layer sizes") }
            sizes.append((n, h))
        }
        var layers: [GRULayerWeights] = []
        for (n, h) in sizes {
            guard let inputCount = CheckedSize.sum([[n, 3, h]]) else {
                throw ModelFileError(file: path, "corrupt network (sizes overflow)")
            }
            layers.append(
                GRULayerWeights(
                    inputSize: n,
                    hiddenSize: h,
                    inputWeights: try readFloats(&cursor, inputCount, "network"),
                    recurrentWeights: try readFloats(&cursor, h * 3 * h, "network"),
                    inputBias: try readFloats(&cursor, 3 * h, "network"),
                    recurrentBias: try readFloats(&cursor, 3 * h, "network")
                )
            )
        }
        let bias = try readFloats(&cursor, items, "network")
        let e = Int(try cursor.read(UInt32.self, "network"))
        guard let embeddingCount = CheckedSize.sum([[items, e]]) else {
            throw ModelFileError(file: path, "corrupt network (sizes overflow)")
        }
        let embedding = try readFloats(&cursor, embeddingCount, "network")
        guard input.dim == sizes[sizes.count - 1].hidden, items <= input.rows else {
            throw ModelFileError(file: path, "corrupt network: the item vectors are not the last layer's size")
        }
        var output = [Float](repeating: 0, count: items * input.dim)
        output.withUnsafeMutableBufferPointer { o in
            for r in 0..<items { (o.baseAddress! + r * input.dim).update(from: input.row(r), count: input.dim) }
        }
        let weights = GRU4RecWeights(
            config: config,
            itemCount: items,
            layers: layers,
            output: output,
            bias: bias,
            embedding: embedding
        )
        if let problem = weights.problem { throw ModelFileError(file: path, "corrupt network: \(problem)") }
        return weights
    }

    /// Refuses hyperparameters no training run can have produced (dimension −7, window 0…), as
    /// training itself would. The dimension of imported word2vec vectors may exceed training's
    /// limit (up to 100 000, the matrices' `dim`), so it is checked against that instead.
    private static func validate(_ config: TrainingConfig, dim: Int, path: String) throws {
        var check = config
        if check.dim == dim { check.dim = min(dim, 10_000) }
        do {
            try check.validate()
            try config.paragraph?.validate()
            try config.sequenceOptions?.validate()
            try config.meta?.validate()
            try config.content?.validate()
            try config.factorization?.validate()
            try config.gru4rec?.validate()
        } catch let error as ConfigurationError {
            throw ModelFileError(file: path, "corrupt header: \(error)")
        }
    }

    /// Reads `rows` vectors, refusing NaN and infinity (one such value would rank first or last
    /// for every query); `tokens` name the row in the error.
    private static func readMatrix(
        _ cursor: inout ByteCursor,
        rows: Int,
        dim: Int,
        name: String,
        tokens: [String]
    ) throws -> EmbeddingMatrix {
        let b = try cursor.take(rows * dim * 4, "vectors")
        let m = EmbeddingMatrix(rows: rows, dim: dim)
        for r in 0..<rows {
            let row = m.row(r)
            UnsafeMutableRawPointer(row).copyMemory(from: b.baseAddress! + r * dim * 4, byteCount: dim * 4)
            for c in 0..<dim where !row[c].isFinite {
                throw ModelFileError(
                    file: cursor.file,
                    "\(name) vector of token '\(tokens[r].prefix(80))' (row \(r + 1)): value \(c + 1) is not a finite number (\(row[c]))"
                )
            }
        }
        return m
    }
}
