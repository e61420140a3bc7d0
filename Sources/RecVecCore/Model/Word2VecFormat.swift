// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// The vector file formats of the word2vec tool, which gensim, fastText and most tools read:
/// a header line `V D`, then per token either `token v1 … vD` as text, or `token ` followed by
/// D little-endian float32s and a newline (binary).
public enum Word2VecFormat: String, Sendable, CaseIterable {
    case text = "word2vec-text"
    case binary = "word2vec-binary"

    /// Writes the input vectors of `model` atomically.
    public static func write(_ model: EmbeddingModel, to path: String, format: Word2VecFormat) throws {
        let w = try AtomicFileWriter(path: path)
        let dim = model.dim
        try w.write("\(model.vocabulary.count) \(dim)\n")
        var line: [UInt8] = []
        for (id, token) in model.vocabulary.tokens.enumerated() {
            if token.utf8.contains(where: { $0 == 32 || $0 == 10 || $0 == 9 }) {
                throw ModelFileError(
                    file: path,
                    "token '\(token)' contains whitespace, which word2vec files cannot hold"
                )
            }
            let row = model.input.row(id)
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: token.utf8)
            switch format {
            case .text:
                for c in 0..<dim {
                    line.append(32)
                    line.append(contentsOf: row[c].description.utf8)
                }
                line.append(10)
                try w.write(line)
            case .binary:
                line.append(32)
                try w.write(line)
                if UInt32(littleEndian: 1) == 1 {
                    try w.write(UnsafeRawBufferPointer(start: row, count: dim * 4))
                } else {
                    for c in 0..<dim { try w.write(row[c].bitPattern) }
                }
                try w.write([10] as [UInt8])
            }
        }
        try w.commit()
    }

    /// Reads a word2vec file; `format` is detected when `nil`. The model has input vectors only.
    public static func read(from path: String, format: Word2VecFormat? = nil) throws -> EmbeddingModel {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        if bytes.isEmpty { throw InputError(file: path, "file is empty") }
        guard let headerEnd = bytes.firstIndex(of: 10) else {
            throw InputError(file: path, line: 1, "missing header line 'V D' (vocabulary size and dimension)")
        }
        let header = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<headerEnd]), as: UTF8.self)
        let parts = header.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard parts.count == 2, let v = Int(parts[0]), let d = Int(parts[1]), v >= 0, d >= 1, d <= 100_000 else {
            throw InputError(
                file: path,
                line: 1,
                "header must be 'V D' (vocabulary size and dimension), found '\(header)'"
            )
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[(headerEnd + 1)...])
        let resolved = format ?? detect(body, dim: d)
        // The header's V is not trusted: the matrix holds no more rows than the bytes can.
        let capacity = rowCapacity(header: v, dim: d, bodyBytes: body.count, format: resolved)
        let matrix = EmbeddingMatrix(rows: capacity, dim: d)
        var tokens: [String] = []
        tokens.reserveCapacity(capacity)
        switch resolved {
        case .text: try readText(body, rows: v, dim: d, into: matrix, tokens: &tokens, path: path)
        case .binary: try readBinary(body, rows: v, dim: d, into: matrix, tokens: &tokens, path: path)
        }
        var seen = Set<String>()
        for (i, t) in tokens.enumerated() where !seen.insert(t).inserted {
            throw InputError(file: path, "token '\(t)' appears twice (second time as vector \(i + 1))")
        }
        var config = TrainingConfig()
        config.dim = d
        return EmbeddingModel(
            vocabulary: Vocabulary(tokens: tokens, counts: Array(repeating: 0, count: v)),
            input: matrix,
            output: nil,
            config: config
        )
    }

    /// The rows to allocate for a header of `rows` vectors of dimension `dim` followed by
    /// `bodyBytes` bytes: at most one more than the bytes can hold (the reader may fill one row
    /// before it finds the file too short), so a hostile header cannot make it allocate more than
    /// a few times the file's size. A text row takes at least 2·D + 1 bytes (a token, then D
    /// values of one digit after a separator each), a binary one 4·D + 2 (a token, a space, D
    /// floats).
    static func rowCapacity(header rows: Int, dim: Int, bodyBytes: Int, format: Word2VecFormat) -> Int {
        precondition(rows >= 0 && dim >= 1 && dim <= 100_000 && bodyBytes >= 0)
        let minimumRowBytes = format == .text ? 2 * dim + 1 : 4 * dim + 2
        return min(rows, bodyBytes / minimumRowBytes + 1)
    }

    /// The format of the records after the header, from the first one. Text if its line has
    /// exactly `dim` + 1 fields, all but the first numbers. Otherwise binary only if the bytes
    /// where binary keeps the first vector (4·D after the first token and its space) hold a byte
    /// no text line holds: a control character other than tab, CR and LF, or invalid UTF-8. A
    /// text file with a bad first row is thus read as text, and its error names the line and the
    /// problem instead of "truncated binary file". (A binary file whose first vector happens to
    /// be printable text, possible only for a dimension of 1 or 2, needs an explicit format.)
    static func detect(_ body: UnsafeRawBufferPointer, dim: Int) -> Word2VecFormat {
        let end = body.firstIndex(of: 10) ?? body.count
        let line = UnsafeRawBufferPointer(rebasing: body[0..<end])
        if isValidUTF8(line) {
            let fields = String(decoding: line, as: UTF8.self).split(whereSeparator: {
                $0 == " " || $0 == "\t" || $0 == "\r"
            })
            if fields.count == dim + 1 && fields.dropFirst().allSatisfy({ Float($0) != nil }) { return .text }
        }
        let space = body.firstIndex(of: 32) ?? body.count
        let vectorEnd = min(body.count, space + 1 + 4 * dim)
        let lineEnd = body[vectorEnd...].firstIndex(of: 10) ?? body.count
        let record = UnsafeRawBufferPointer(rebasing: body[0..<lineEnd])
        for b in record where (b < 32 && b != 9 && b != 10 && b != 13) || b == 127 { return .binary }
        return isValidUTF8(record) ? .text : .binary
    }

    private static func readText(
        _ body: UnsafeRawBufferPointer,
        rows: Int,
        dim: Int,
        into m: EmbeddingMatrix,
        tokens: inout [String],
        path: String
    ) throws {
        var start = 0
        var line = 1
        var field = [CChar](repeating: 0, count: 64)
        while tokens.count < rows {
            line += 1
            guard start < body.count, tokens.count < m.rows else {
                throw InputError(file: path, line: line, "file ends after \(tokens.count) of \(rows) vectors")
            }
            let end = body[start...].firstIndex(of: 10) ?? body.count
            var i = start
            func nextField() -> Range<Int>? {
                while i < end && (body[i] == 32 || body[i] == 9 || body[i] == 13) { i += 1 }
                if i >= end { return nil }
                let s = i
                while i < end && body[i] != 32 && body[i] != 9 && body[i] != 13 { i += 1 }
                return s..<i
            }
            guard let tokenRange = nextField() else {
                throw InputError(file: path, line: line, "empty line where a vector was expected")
            }
            let tokenBytes = UnsafeRawBufferPointer(rebasing: body[tokenRange])
            guard isValidUTF8(tokenBytes) else { throw InputError(file: path, line: line, "invalid UTF-8 in token") }
            let row = m.row(tokens.count)
            for c in 0..<dim {
                guard let r = nextField() else {
                    throw InputError(file: path, line: line, "expected \(dim) values, found \(c)")
                }
                guard r.count < 63 else { throw InputError(file: path, line: line, "value \(c + 1) is not a number") }
                for (k, b) in body[r].enumerated() { field[k] = CChar(bitPattern: b) }
                field[r.count] = 0
                let value: Float? = field.withUnsafeBufferPointer { p in
                    var endPtr: UnsafeMutablePointer<CChar>? = nil
                    let v = strtof(p.baseAddress!, &endPtr)
                    return endPtr == UnsafeMutablePointer(mutating: p.baseAddress! + r.count) && v.isFinite ? v : nil
                }
                guard let value else {
                    throw InputError(
                        file: path,
                        line: line,
                        "value \(c + 1) '\(String(decoding: UnsafeRawBufferPointer(rebasing: body[r]), as: UTF8.self))' is not a number"
                    )
                }
                row[c] = value
            }
            if nextField() != nil { throw InputError(file: path, line: line, "more than \(dim) values") }
            tokens.append(String(decoding: tokenBytes, as: UTF8.self))
            start = end + 1
        }
    }

    private static func readBinary(
        _ body: UnsafeRawBufferPointer,
        rows: Int,
        dim: Int,
        into m: EmbeddingMatrix,
        tokens: inout [String],
        path: String
    ) throws {
        var i = 0
        while tokens.count < rows {
            while i < body.count && (body[i] == 10 || body[i] == 13) { i += 1 }
            let s = i
            while i < body.count && body[i] != 32 { i += 1 }
            guard i < body.count, i + 1 + dim * 4 <= body.count, tokens.count < m.rows else {
                throw InputError(
                    file: path,
                    "truncated binary file: vector \(tokens.count + 1) of \(rows) is incomplete"
                )
            }
            let tokenBytes = UnsafeRawBufferPointer(rebasing: body[s..<i])
            guard !tokenBytes.isEmpty, isValidUTF8(tokenBytes) else {
                throw InputError(file: path, "vector \(tokens.count + 1): empty token or invalid UTF-8")
            }
            i += 1
            let row = m.row(tokens.count)
            for c in 0..<dim {
                let bits = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: i + c * 4, as: UInt32.self))
                let value = Float(bitPattern: bits)
                guard value.isFinite else {
                    let token = String(decoding: tokenBytes, as: UTF8.self)
                    throw InputError(
                        file: path,
                        "vector \(tokens.count + 1) ('\(token.prefix(80))'): value \(c + 1) is not a finite number (\(value))"
                    )
                }
                row[c] = value
            }
            i += dim * 4
            tokens.append(String(decoding: tokenBytes, as: UTF8.self))
        }
    }
}
