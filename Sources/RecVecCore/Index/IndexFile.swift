// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// What identifies the model an index was built from: an index is used only with the very
/// vectors it was built over.
public struct ModelFingerprint: Sendable, Equatable, CustomStringConvertible {
    /// Number of items (indexed nodes).
    public var itemCount: Int
    /// Vector dimension.
    public var dim: Int
    /// Size of the model file in bytes.
    public var fileSize: UInt64
    /// CRC-32 of the model file: the checksum a native model stores in its last 4 bytes, or the
    /// checksum of the whole file for word2vec vectors.
    public var fileCRC: UInt32

    public init(itemCount: Int, dim: Int, fileSize: UInt64, fileCRC: UInt32) {
        self.itemCount = itemCount
        self.dim = dim
        self.fileSize = fileSize
        self.fileCRC = fileCRC
    }

    /// The fingerprint of `model`, read from the file at `modelPath`.
    public init(modelPath: String, model: EmbeddingModel) throws {
        let file = try MappedFile(path: modelPath)
        let bytes = file.bytes
        let crc: UInt32
        if ModelFile.isModelFile(modelPath) && bytes.count >= 4 {
            crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
        } else {
            crc = CRC32.checksum(bytes)
        }
        self.init(itemCount: model.itemCount, dim: model.dim, fileSize: UInt64(bytes.count), fileCRC: crc)
    }

    public var description: String {
        "\(itemCount) items × \(dim), model file of \(fileSize) bytes with CRC-32 \(String(fileCRC, radix: 16))"
    }
}

/// RecVec's HNSW index file, saved beside its model as `MODEL.hnsw`.
///
/// Layout (all integers little-endian):
///
///     8 bytes   magic "RVHNSW\r\n"
///     u32       format version (1)
///     u32       flags (0)
///     u64       item count N   ┐
///     u32       dimension D    │ fingerprint of the model (``ModelFingerprint``)
///     u64       model file size│
///     u32       model CRC-32   ┘
///     u32       M
///     u32       efConstruction
///     u32       efSearch (the default of queries)
///     u64       seed
///     u32       top layer L
///     i32       entry point (−1 when N = 0)
///     N bytes   layer of each node
///     N blocks  layer 0: i32 link count, then 2·M i32 links (unused slots 0)
///     per node with layer ℓ ≥ 1, in id order: ℓ blocks of (i32 count, M i32 links), layers 1…ℓ
///     u32       CRC-32 of every byte before it
///
/// Reading checks size, checksum, version and fingerprint before anything else, then every link.
public enum IndexFile {
    static let magic: [UInt8] = Array("RVHNSW\r\n".utf8)
    static let version: UInt32 = 1
    static let headerSize = 8 + 4 + 4 + 8 + 4 + 8 + 4 + 4 + 4 + 4 + 8 + 4 + 4

    /// Where the index of the model at `modelPath` lives: `modelPath + ".hnsw"`.
    public static func path(forModel modelPath: String) -> String { modelPath + ".hnsw" }

    /// Writes `index` (built from the model `fingerprint` describes) to `path` atomically.
    public static func write(_ index: HNSWIndex, fingerprint: ModelFingerprint, to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        let p = index.parameters
        try w.write(magic)
        try w.write(version)
        try w.write(UInt32(0))
        try w.write(UInt64(fingerprint.itemCount))
        try w.write(UInt32(fingerprint.dim))
        try w.write(fingerprint.fileSize)
        try w.write(fingerprint.fileCRC)
        try w.write(UInt32(p.m))
        try w.write(UInt32(p.efConstruction))
        try w.write(UInt32(p.efSearch))
        try w.write(p.seed)
        try w.write(UInt32(max(0, index.maxLevel)))
        try w.write(index.entryPoint)
        let n = index.count
        try w.write(UnsafeRawBufferPointer(start: index.levels, count: n))
        try writeInt32s(index.links0, count: n * (1 + p.maxLinks0), to: w)
        try writeInt32s(index.upperLinks, count: index.upperCount, to: w)
        try w.write(w.checksum)
        try w.commit()
    }

    private static func writeInt32s(_ p: UnsafePointer<Int32>, count: Int, to w: AtomicFileWriter) throws {
        #if _endian(little)
        try w.write(UnsafeRawBufferPointer(start: p, count: count * 4))
        #else
        for i in 0..<count { try w.write(p[i]) }
        #endif
    }

    /// Reads the index at `path` for the model `fingerprint` describes, whose unit vectors are
    /// `vectors`; throws a ``ModelFileError`` for a foreign, truncated, corrupt or stale file.
    public static func read(
        from path: String,
        vectors: EmbeddingMatrix,
        fingerprint: ModelFingerprint
    ) throws
        -> HNSWIndex
    {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        if bytes.count == 0 { throw ModelFileError(file: path, "file is empty") }
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else {
            throw ModelFileError(file: path, "not a RecVec HNSW index (make one with `recvec index`)")
        }
        guard bytes.count >= headerSize + 4 else { throw ModelFileError(file: path, "truncated file (header)") }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
        guard stored == CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])) else {
            throw ModelFileError(file: path, "checksum mismatch: the file is corrupt or truncated")
        }
        var cursor = ByteCursor(bytes, file: path)
        _ = try cursor.take(8, "magic")
        let version = try cursor.read(UInt32.self, "version")
        guard version == Self.version else {
            throw ModelFileError(
                file: path,
                "index format version \(version) is not supported (this build reads \(Self.version))"
            )
        }
        _ = try cursor.read(UInt32.self, "flags")
        let built = ModelFingerprint(
            itemCount: Int(clamping: try cursor.read(UInt64.self, "fingerprint")),
            dim: Int(try cursor.read(UInt32.self, "fingerprint")),
            fileSize: try cursor.read(UInt64.self, "fingerprint"),
            fileCRC: try cursor.read(UInt32.self, "fingerprint")
        )
        guard built == fingerprint else {
            throw ModelFileError(
                file: path,
                "stale index: built from another model (\(built)), not this one (\(fingerprint))"
            )
        }
        let n = built.itemCount
        guard n <= vectors.rows, built.dim == vectors.dim else {
            throw ModelFileError(file: path, "index does not match the vectors it is given")
        }
        var p = HNSWParameters()
        p.m = Int(try cursor.read(UInt32.self, "parameters"))
        p.efConstruction = Int(try cursor.read(UInt32.self, "parameters"))
        p.efSearch = Int(try cursor.read(UInt32.self, "parameters"))
        p.seed = try cursor.read(UInt64.self, "parameters")
        guard (try? p.validate()) != nil else { throw ModelFileError(file: path, "corrupt header (parameters)") }
        let maxLevel = Int(try cursor.read(UInt32.self, "header"))
        let entryPoint = try cursor.read(Int32.self, "header")
        let levelBytes = try cursor.take(n, "layers")
        let levels = Array(levelBytes.bindMemory(to: UInt8.self))
        let upperLayers = levels.reduce(0) { $0 + Int($1) }
        guard
            let expected = CheckedSize.sum([
                [headerSize], [n], [n, 1 + p.maxLinks0, 4], [upperLayers, 1 + p.m, 4], [4],
            ])
        else { throw ModelFileError(file: path, "corrupt header (sizes overflow)") }
        guard bytes.count == expected else {
            throw ModelFileError(file: path, "corrupt file (\(bytes.count) bytes, expected \(expected))")
        }
        let index = HNSWIndex(vectors: vectors, count: n, parameters: p, levels: levels)
        try readInt32s(&cursor, into: index.links0, count: n * (1 + p.maxLinks0))
        try readInt32s(&cursor, into: index.upperLinks, count: index.upperCount)
        if n == 0 {
            guard entryPoint == -1 else { throw ModelFileError(file: path, "corrupt header (entry point)") }
        } else {
            guard entryPoint >= 0, Int(entryPoint) < n, Int(levels[Int(entryPoint)]) == maxLevel,
                levels.allSatisfy({ Int($0) <= maxLevel })
            else { throw ModelFileError(file: path, "corrupt header (entry point or layers)") }
        }
        for node in 0..<n {
            for level in 0...Int(levels[node]) {
                let block = index.links(node, level)
                let limit = level == 0 ? p.maxLinks0 : p.m
                guard block[0] >= 0, Int(block[0]) <= limit else {
                    throw ModelFileError(file: path, "corrupt graph (node \(node): bad link count)")
                }
                for i in stride(from: 1, through: Int(block[0]), by: 1) {
                    let target = Int(block[i])
                    guard target >= 0, target < n, target != node, Int(levels[target]) >= level else {
                        throw ModelFileError(file: path, "corrupt graph (node \(node): bad link)")
                    }
                }
            }
        }
        index.maxLevel = n == 0 ? -1 : maxLevel
        index.entryPoint = entryPoint
        return index
    }

    private static func readInt32s(_ cursor: inout ByteCursor, into p: UnsafeMutablePointer<Int32>, count: Int) throws {
        let b = try cursor.take(count * 4, "graph")
        for i in 0..<count { p[i] = Int32(littleEndian: b.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)) }
    }

    /// The index beside the model at `modelPath`, or `nil` when there is none. A stale or
    /// unreadable index is never fatal: `warn` receives one line saying why it is ignored, and the
    /// caller searches exactly.
    public static func loadIfPresent(
        modelPath: String,
        model: EmbeddingModel,
        vectors: EmbeddingMatrix,
        warn: (String) -> Void
    ) -> HNSWIndex? {
        let path = path(forModel: modelPath)
        guard access(path, F_OK) == 0 else { return nil }
        do {
            let fingerprint = try ModelFingerprint(modelPath: modelPath, model: model)
            return try read(from: path, vectors: vectors, fingerprint: fingerprint)
        } catch {
            warn("warning: ignoring the index \(error); searching exactly (rebuild it with `recvec index`)")
            return nil
        }
    }
}
