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

    public init(vocabulary: Vocabulary, sequences: Sequences, rawTokenCount: Int, rawVocabularySize: Int) {
        self.vocabulary = vocabulary
        self.sequences = sequences
        self.rawTokenCount = rawTokenCount
        self.rawVocabularySize = rawVocabularySize
    }
}

/// Collects sequences of provisional ids while a file is read, then builds the vocabulary and
/// renumbers the ids in place (no second copy of the token array).
struct CorpusBuilder {
    var interner = TokenInterner()
    var tokens: [Int32] = []
    var offsets: [Int] = [0]
    let maxSequenceLength: Int

    init(maxSequenceLength: Int, expectedTokens: Int = 0) {
        self.maxSequenceLength = maxSequenceLength
        if expectedTokens > 0 { tokens.reserveCapacity(expectedTokens) }
    }

    /// Appends a provisional id to the current sequence, cutting it into a new piece when it is full.
    @inline(__always)
    mutating func append(_ id: Int32) {
        if tokens.count - offsets[offsets.count - 1] >= maxSequenceLength {
            offsets.append(tokens.count)
        }
        tokens.append(id)
    }

    /// Ends the current sequence (a no-op for an empty one).
    @inline(__always)
    mutating func endSequence() {
        if tokens.count > offsets[offsets.count - 1] { offsets.append(tokens.count) }
    }

    /// Builds the vocabulary (count ≥ `minCount`, at most `maxVocab` tokens, by descending count,
    /// ties broken as gensim breaks them: the token that appeared first comes last) and rewrites
    /// the sequences over it. Matching gensim's order makes "the N most frequent tokens" the same
    /// set in both tools, so restricted evaluations (analogies in the top 30,000) compare.
    mutating func finish(minCount: Int, maxVocab: Int?, file: String) throws -> Corpus {
        endSequence()
        let rawTokens = tokens.count
        let rawVocabulary = interner.count
        if rawTokens == 0 { throw InputError(file: file, "no tokens in the input") }
        var kept = (0..<interner.count).filter { interner.counts[$0] >= Int64(minCount) }
        kept.sort { interner.counts[$0] != interner.counts[$1] ? interner.counts[$0] > interner.counts[$1] : $0 > $1 }
        if let maxVocab, kept.count > maxVocab { kept.removeLast(kept.count - maxVocab) }
        if kept.isEmpty {
            throw InputError(
                file: file,
                "no token occurs at least \(minCount) times (\(rawVocabulary) distinct tokens); lower --min-count")
        }
        var remap = [Int32](repeating: -1, count: interner.count)
        for (newID, old) in kept.enumerated() { remap[old] = Int32(newID) }
        let vocabulary = Vocabulary(
            tokens: kept.map { interner.string($0) }, counts: kept.map { interner.counts[$0] })
        interner = TokenInterner(capacity: 16)

        // Renumber in place, dropping filtered tokens and the sequences left empty.
        var write = 0
        var newOffsets = [0]
        newOffsets.reserveCapacity(offsets.count)
        tokens.withUnsafeMutableBufferPointer { t in
            remap.withUnsafeBufferPointer { r in
                for s in 0..<(offsets.count - 1) {
                    for i in offsets[s]..<offsets[s + 1] {
                        let id = r[Int(t[i])]
                        if id >= 0 {
                            t[write] = id
                            write += 1
                        }
                    }
                    if write > newOffsets[newOffsets.count - 1] { newOffsets.append(write) }
                }
            }
        }
        tokens.removeLast(tokens.count - write)
        offsets = []
        let sequences = Sequences(tokens: tokens, offsets: newOffsets)
        tokens = []
        return Corpus(
            vocabulary: vocabulary, sequences: sequences, rawTokenCount: rawTokens,
            rawVocabularySize: rawVocabulary)
    }
}

extension Corpus {
    /// A corpus from sequences of token strings (vocabulary by descending count, ties as gensim).
    public static func from(_ sequences: [[String]], minCount: Int = 1, maxVocab: Int? = nil) throws -> Corpus {
        var builder = CorpusBuilder(maxSequenceLength: 10_000)
        var isNew = false
        for s in sequences {
            for token in s {
                var t = token
                let id = t.withUTF8 { builder.interner.intern(UnsafeRawBufferPointer($0), isNew: &isNew) }
                builder.append(id)
            }
            builder.endSequence()
        }
        return try builder.finish(minCount: minCount, maxVocab: maxVocab, file: "sequences")
    }
}
