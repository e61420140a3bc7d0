// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Sequences of token ids in compressed sparse row form: one flat array of ids and the offsets
/// where each sequence starts (4 bytes a token plus 8 bytes a sequence), in the process's memory
/// or mapped from a prepared corpus (``PreparedCorpus``).
public struct Sequences: Sendable, Equatable {
    /// All tokens, sequence after sequence.
    public let tokens: FlatArray<Int32>
    /// `offsets[i]..<offsets[i + 1]` is sequence `i`; `offsets.count == count + 1`.
    public let offsets: FlatArray<Int>

    /// Creates sequences from the flat token array and its offsets.
    public init(tokens: [Int32], offsets: [Int]) {
        self.init(tokens: FlatArray(tokens), offsets: FlatArray(offsets))
    }

    /// Creates sequences over flat arrays (e.g. sections of a mapped file).
    public init(tokens: FlatArray<Int32>, offsets: FlatArray<Int>) {
        precondition(offsets.first == 0 && offsets.last == tokens.count, "offsets must span the tokens")
        self.tokens = tokens
        self.offsets = offsets
    }

    /// Creates sequences from nested arrays (convenient for tests and small inputs).
    public init(_ sequences: [[Int32]]) {
        var tokens: [Int32] = []
        var offsets = [0]
        for s in sequences {
            tokens.append(contentsOf: s)
            offsets.append(tokens.count)
        }
        self.init(tokens: tokens, offsets: offsets)
    }

    /// Number of sequences.
    public var count: Int { offsets.count - 1 }

    /// Number of tokens in all sequences.
    public var tokenCount: Int { tokens.count }

    /// Whether the arrays are mapped from a file (``PreparedCorpus``).
    public var isMapped: Bool { tokens.isMapped }

    /// Gives back the memory pages of the tokens `tokens` and the offsets of `sequences` of a
    /// mapped corpus once a pass has walked them (see ``FlatArray/releasePages(_:)``).
    public func releasePages(tokens range: Range<Int>, sequences: Range<Int>) {
        tokens.releasePages(range)
        offsets.releasePages(sequences)
    }

    /// The tokens of sequence `i`.
    public subscript(i: Int) -> Slice<FlatArray<Int32>> { tokens[offsets[i]..<offsets[i + 1]] }
}
