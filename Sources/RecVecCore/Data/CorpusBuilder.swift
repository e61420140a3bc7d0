// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// A vocabulary and the sequences of ids read with it.
public struct Corpus: Sendable {
    /// Tokens kept after `minCount` / `maxVocab`, most frequent first.
    public var vocabulary: Vocabulary
    /// The input's sequences over the kept tokens (dropped tokens removed, empty sequences dropped).
    public var sequences: Sequences
    /// Tokens in the input before any filtering (what tokens/s figures count).
    public var rawTokenCount: Int
    /// Distinct tokens in the input before filtering.
    public var rawVocabularySize: Int

    /// The distinct sequence ids (users, sessions, documents; a sequences file's line numbers or
    /// first tokens), in order of first appearance. Several sequences may share one id (a user's
    /// sessions, a long sequence cut into pieces).
    public var documents: [String] = []
    /// For each sequence, its index in ``documents`` (empty when the reader kept no ids).
    public var sequenceDocuments: [Int32] = []
    /// Per token (parallel to `sequences.tokens`): its time in seconds, when the input had times.
    public var times: FlatArray<Double>? = nil
    /// Per token: its basket within the sequence (0, 1, 2, … — consecutive tokens with the same
    /// value are one basket), when the input defined baskets.
    public var baskets: FlatArray<Int32>? = nil
    /// Per token: the event's weight, when the input had a weight column.
    public var weights: FlatArray<Float>? = nil
    /// Per sequence: a global-context item (e.g. the item a session ended up booking; Grbovic &
    /// Cheng 2018) that every token of the sequence predicts, or −1; `nil` when none was chosen.
    public var contextItems: FlatArray<Int32>? = nil
    /// When each process of a group read its own part of the input
    /// (``SequenceFileReader/readShare(path:options:group:)``): which part this corpus holds. Its
    /// sequences are then that part's, while its vocabulary, counts and ``rawTokenCount`` are the
    /// whole input's. `nil`: the whole input.
    public var processShare: ProcessShare? = nil

    public init(vocabulary: Vocabulary, sequences: Sequences, rawTokenCount: Int, rawVocabularySize: Int) {
        self.vocabulary = vocabulary
        self.sequences = sequences
        self.rawTokenCount = rawTokenCount
        self.rawVocabularySize = rawVocabularySize
    }

    /// Gives back the mapped pages of the side data (times, baskets, weights of the tokens in
    /// `tokens`; global-context items of `sequences`) once a pass has walked them; nothing for data
    /// in memory (see ``FlatArray/releasePages(_:)``).
    public func releaseSideDataPages(tokens: Range<Int>, sequences: Range<Int>) {
        times?.releasePages(tokens)
        baskets?.releasePages(tokens)
        weights?.releasePages(tokens)
        contextItems?.releasePages(sequences)
    }
}

/// Collects sequences of provisional ids while a file is read, then builds the vocabulary and
/// renumbers the ids in place (no second copy of the token array).
///
/// Spilled (``ReadOptions/spill``), the ids and the pieces' ends go to temporary files instead,
/// and ``finish(minCount:maxVocab:file:allowEmpty:)`` writes the renumbered corpus to new ones in
/// one pass over them: reading a file then holds only its vocabulary and 4 bytes a sequence.
struct CorpusBuilder {
    var interner = TokenInterner()
    /// The ids appended (in memory), and where each piece ends.
    var tokens: [Int32] = []
    var offsets: [Int] = [0]
    let maxSequenceLength: Int
    /// Spilled: the ids and pieces' ends, in temporary files; `tokens` and `offsets` stay empty.
    private var spilledTokens: FlatArray<Int32>.Builder? = nil
    private var spilledEnds: FlatArray<Int>.Builder? = nil
    /// Ids appended, and the id at which the current piece starts (either storage).
    private var tokenCount = 0
    private var pieceStart = 0

    /// Sequence ids: interned strings; `currentKey` labels the sequence being appended.
    var keys = TokenInterner()
    var sequenceKeys: [Int32] = []
    var currentKey: Int32 = -1
    /// Per-token side data, kept in step with `tokens` when non-nil.
    var times: [Double]? = nil
    var baskets: [Int32]? = nil
    var weights: [Float]? = nil
    /// Global-context item (provisional id or −1) of the sequence being appended, and per sequence.
    var currentContextItem: Int32 = -1
    var contextItems: [Int32]? = nil

    init(maxSequenceLength: Int, expectedTokens: Int = 0) {
        self.maxSequenceLength = maxSequenceLength
        if expectedTokens > 0 { tokens.reserveCapacity(expectedTokens) }
    }

    /// A builder whose ids go to temporary files in `$TMPDIR` (no per-token side data).
    init(spilledWithMaxSequenceLength maxSequenceLength: Int) throws {
        self.maxSequenceLength = maxSequenceLength
        spilledTokens = try FlatArray<Int32>.Builder(spilled: true)
        spilledEnds = try FlatArray<Int>.Builder(spilled: true)
    }

    /// Appends a provisional id to the current sequence, cutting it into a new piece when it is full.
    @inline(__always)
    mutating func append(_ id: Int32) {
        if tokenCount - pieceStart >= maxSequenceLength {
            closePiece()
        }
        if spilledTokens != nil { spilledTokens!.append(id) } else { tokens.append(id) }
        tokenCount += 1
    }

    /// Labels the sequence about to be appended with id `key`.
    mutating func setKey(_ key: UnsafeRawBufferPointer) {
        var isNew = false
        currentKey = keys.intern(key, isNew: &isNew)
    }

    /// Labels the sequence about to be appended with id `key`.
    mutating func setKey(_ key: String) {
        var k = key
        k.withUTF8 { setKey(UnsafeRawBufferPointer($0)) }
    }

    /// Ends the current sequence (a no-op for an empty one).
    @inline(__always)
    mutating func endSequence() {
        if tokenCount > pieceStart { closePiece() }
    }

    private mutating func closePiece() {
        if spilledEnds != nil { spilledEnds!.append(tokenCount) } else { offsets.append(tokenCount) }
        pieceStart = tokenCount
        sequenceKeys.append(currentKey)
        contextItems?.append(currentContextItem)
    }

    /// Builds the vocabulary (count ≥ `minCount`, at most `maxVocab` tokens, by descending count,
    /// ties broken as gensim breaks them: the token that appeared first comes last) and rewrites
    /// the sequences over it. Matching gensim's order makes "the N most frequent tokens" the same
    /// set in both tools, so restricted evaluations (analogies in the top 30,000) compare.
    /// `allowEmpty`: no sequences is not an error (one process's share of an input may have none).
    mutating func finish(minCount: Int, maxVocab: Int?, file: String, allowEmpty: Bool = false) throws -> Corpus {
        endSequence()
        let rawTokens = tokenCount
        let rawVocabulary = interner.count
        if rawTokens == 0 && !allowEmpty { throw InputError(file: file, "no tokens in the input") }
        let (vocabulary, remap) = try Self.vocabulary(of: interner, minCount: minCount, maxVocab: maxVocab, file: file)
        interner = TokenInterner(capacity: 16)
        if spilledTokens != nil {
            var corpus = Corpus(
                vocabulary: vocabulary,
                sequences: try renumberSpilled(remap),
                rawTokenCount: rawTokens,
                rawVocabularySize: rawVocabulary
            )
            (corpus.documents, corpus.sequenceDocuments) = Self.documents(of: sequenceKeys, keys: keys)
            sequenceKeys = []
            return corpus
        }

        // Renumber in place, dropping filtered tokens and the sequences left empty.
        // Side data follows the same compaction.
        var times = self.times.take()
        var baskets = self.baskets.take()
        var weights = self.weights.take()
        var write = 0
        var newOffsets = [0]
        newOffsets.reserveCapacity(offsets.count)
        var keptKeys: [Int32] = []
        var keptContext: [Int32] = []
        tokens.withUnsafeMutableBufferPointer { t in
            remap.withUnsafeBufferPointer { r in
                for s in 0..<(offsets.count - 1) {
                    for i in offsets[s]..<offsets[s + 1] {
                        let id = r[Int(t[i])]
                        if id >= 0 {
                            t[write] = id
                            if times != nil { times![write] = times![i] }
                            if baskets != nil { baskets![write] = baskets![i] }
                            if weights != nil { weights![write] = weights![i] }
                            write += 1
                        }
                    }
                    if write > newOffsets[newOffsets.count - 1] {
                        newOffsets.append(write)
                        keptKeys.append(sequenceKeys[s])
                        if let c = contextItems?[s] { keptContext.append(c >= 0 ? r[Int(c)] : -1) }
                    }
                }
            }
        }
        tokens.removeLast(tokens.count - write)
        if times != nil { times!.removeLast(times!.count - write) }
        if baskets != nil { baskets!.removeLast(baskets!.count - write) }
        if weights != nil { weights!.removeLast(weights!.count - write) }
        offsets = []
        let sequences = Sequences(tokens: tokens, offsets: newOffsets)
        tokens = []
        var corpus = Corpus(
            vocabulary: vocabulary,
            sequences: sequences,
            rawTokenCount: rawTokens,
            rawVocabularySize: rawVocabulary
        )
        corpus.times = times.map(FlatArray.init)
        corpus.baskets = baskets.map(FlatArray.init)
        corpus.weights = weights.map(FlatArray.init)
        corpus.contextItems = contextItems == nil ? nil : FlatArray(keptContext)
        (corpus.documents, corpus.sequenceDocuments) = Self.documents(of: keptKeys, keys: keys)
        return corpus
    }
}

extension CorpusBuilder {
    /// The spilled ids renumbered by `remap` (−1: dropped) into new temporary files, the pieces left
    /// empty dropped (and their entries of `sequenceKeys`), giving the walked pages back as it goes.
    private mutating func renumberSpilled(_ remap: [Int32]) throws -> Sequences {
        precondition(
            times == nil && baskets == nil && weights == nil && contextItems == nil,
            "side data is not spilled"
        )
        let provisional = try spilledTokens!.finish()
        let ends = try spilledEnds!.finish()
        spilledTokens = nil
        spilledEnds = nil
        var tokens = try FlatArray<Int32>.Builder(spilled: true)
        var offsets = try FlatArray<Int>.Builder(spilled: true)
        offsets.append(0)
        var keptKeys: [Int32] = []
        var start = 0
        var released = 0
        remap.withUnsafeBufferPointer { remap in
            provisional.withUnsafeBufferPointer { ids in
                ends.forEachChunk { chunk, first in
                    for (j, end) in chunk.enumerated() {
                        let before = tokens.count
                        for i in start..<end {
                            let id = remap[Int(ids[i])]
                            if id >= 0 { tokens.append(id) }
                        }
                        if tokens.count > before {
                            offsets.append(tokens.count)
                            keptKeys.append(sequenceKeys[first + j])
                        }
                        start = end
                        if start - released >= 1 << 22 {
                            provisional.releasePages(released..<start)
                            released = start
                        }
                    }
                }
            }
        }
        sequenceKeys = keptKeys
        return Sequences(tokens: try tokens.finish(), offsets: try offsets.finish())
    }

    /// The vocabulary of the tokens `interner` counted (count ≥ `minCount`, at most `maxVocab`,
    /// by descending count, ties as gensim breaks them) and each provisional id's id in it (−1:
    /// dropped). Throws an ``InputError`` naming `file` when no token is kept.
    static func vocabulary(
        of interner: TokenInterner,
        minCount: Int,
        maxVocab: Int?,
        file: String
    ) throws -> (Vocabulary, remap: [Int32]) {
        let kept = Vocabulary.keptInOrder(counts: interner.counts, minCount: minCount, maxVocab: maxVocab)
        if kept.isEmpty {
            throw InputError(
                file: file,
                "no token occurs at least \(minCount) times (\(interner.count) distinct tokens); lower the minimum count"
            )
        }
        var remap = [Int32](repeating: -1, count: interner.count)
        for (newID, old) in kept.enumerated() { remap[old] = Int32(newID) }
        let vocabulary = Vocabulary(
            tokens: kept.map { interner.string($0) },
            counts: kept.map { interner.counts[$0] }
        )
        return (vocabulary, remap)
    }

    /// The documents of the kept sequences whose ids (in `keys`; −1: none) are `keptKeys`: the ids
    /// renumbered densely in order of first appearance (sequences without an id get their
    /// ordinal), and each sequence's index among them. None when `keys` is empty (the reader kept
    /// no ids at all).
    static func documents(of keptKeys: [Int32], keys: TokenInterner) -> (documents: [String], indices: [Int32]) {
        if keys.count == 0 { return ([], []) }
        var documentIndex = [Int32](repeating: -1, count: keys.count)
        var documents: [String] = []
        var sequenceDocuments: [Int32] = []
        sequenceDocuments.reserveCapacity(keptKeys.count)
        for (s, key) in keptKeys.enumerated() {
            if key < 0 {
                sequenceDocuments.append(Int32(documents.count))
                documents.append(String(s + 1))
            } else {
                if documentIndex[Int(key)] < 0 {
                    documentIndex[Int(key)] = Int32(documents.count)
                    documents.append(keys.string(Int(key)))
                }
                sequenceDocuments.append(documentIndex[Int(key)])
            }
        }
        return (documents, sequenceDocuments)
    }
}

extension Corpus {
    /// A corpus from sequences of token strings (vocabulary by descending count, ties as gensim).
    /// Sequence `n` gets the id `"n+1"`. With `times` (one per token) the corpus keeps them, and
    /// events of a sequence that share a time form a basket.
    public static func from(
        _ sequences: [[String]],
        times: [[Double]]? = nil,
        minCount: Int = 1,
        maxVocab: Int? = nil
    ) throws -> Corpus {
        var builder = CorpusBuilder(maxSequenceLength: 10_000)
        if times != nil {
            builder.times = []
            builder.baskets = []
        }
        var isNew = false
        for (n, s) in sequences.enumerated() {
            builder.setKey(String(n + 1))
            for token in s {
                var t = token
                let id = t.withUTF8 { builder.interner.intern(UnsafeRawBufferPointer($0), isNew: &isNew) }
                builder.append(id)
            }
            if let times {
                let t = times[n][0..<s.count]
                builder.times!.append(contentsOf: t)
                builder.baskets!.append(contentsOf: Baskets.byTime(t))
            }
            builder.endSequence()
        }
        return try builder.finish(minCount: minCount, maxVocab: maxVocab, file: "sequences")
    }
}
