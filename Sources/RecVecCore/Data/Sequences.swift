// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Sequences of token ids in compressed sparse row form: one flat `[Int32]` of ids and the
/// offsets where each sequence starts (4 bytes a token plus 8 bytes a sequence).
public struct Sequences: Sendable, Equatable {
    /// All tokens, sequence after sequence.
    public internal(set) var tokens: [Int32]
    /// `offsets[i]..<offsets[i + 1]` is sequence `i`; `offsets.count == count + 1`.
    public internal(set) var offsets: [Int]

    /// Creates sequences from the flat token array and its offsets.
    public init(tokens: [Int32], offsets: [Int]) {
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

    /// The tokens of sequence `i`.
    public subscript(i: Int) -> ArraySlice<Int32> { tokens[offsets[i]..<offsets[i + 1]] }
}
