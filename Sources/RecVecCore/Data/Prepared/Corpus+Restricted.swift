// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

extension Corpus {
    /// How many of the vocabulary's tokens a stricter filter keeps: the vocabulary is ordered by
    /// descending count, so the tokens seen at least `minCount` times, and the `maxVocab` most
    /// frequent of them, are a prefix of it.
    func keptPrefix(minCount: Int, maxVocab: Int?) -> Int {
        var n = 0
        while n < vocabulary.count && vocabulary.counts[n] >= Int64(minCount) { n += 1 }
        if let maxVocab { n = min(n, maxVocab) }
        return n
    }

    /// This corpus as a reader with the filters `minCount` and `maxVocab` would have built it from
    /// the same input, when they keep fewer tokens than this corpus has: the vocabulary cut to
    /// `keptPrefix(minCount:maxVocab:)`, the other tokens removed from the sequences, sequences
    /// left empty dropped, side data and sequence ids following (a copy in memory). `self` when
    /// the filters keep every token.
    public func restricted(minCount: Int, maxVocab: Int?) throws -> Corpus {
        let keep = keptPrefix(minCount: minCount, maxVocab: maxVocab)
        if keep == vocabulary.count { return self }
        if keep == 0 {
            throw InputError(
                file: "corpus",
                "no token occurs at least \(minCount) times (\(rawVocabularySize) distinct tokens); lower the minimum count"
            )
        }
        let limit = Int32(keep)
        var tokens: [Int32] = []
        var offsets = [0]
        var times: [Double]? = self.times == nil ? nil : []
        var baskets: [Int32]? = self.baskets == nil ? nil : []
        var weights: [Float]? = self.weights == nil ? nil : []
        var context: [Int32]? = contextItems == nil ? nil : []
        let hasDocuments = !documents.isEmpty && sequenceDocuments.count == sequences.count
        var documentIndex = [Int32](repeating: -1, count: hasDocuments ? documents.count : 0)
        var keptDocuments: [String] = []
        var keptSequenceDocuments: [Int32] = []
        for s in 0..<sequences.count {
            let before = tokens.count
            for i in sequences.offsets[s]..<sequences.offsets[s + 1] where sequences.tokens[i] < limit {
                tokens.append(sequences.tokens[i])
                if let t = self.times { times!.append(t[i]) }
                if let b = self.baskets { baskets!.append(b[i]) }
                if let w = self.weights { weights!.append(w[i]) }
            }
            guard tokens.count > before else { continue }
            offsets.append(tokens.count)
            if let c = contextItems { context!.append(c[s] < limit ? c[s] : -1) }
            if hasDocuments {
                let d = Int(sequenceDocuments[s])
                if documentIndex[d] < 0 {
                    documentIndex[d] = Int32(keptDocuments.count)
                    keptDocuments.append(documents[d])
                }
                keptSequenceDocuments.append(documentIndex[d])
            }
        }
        var corpus = Corpus(
            vocabulary: Vocabulary(
                tokens: Array(vocabulary.tokens[0..<keep]),
                counts: Array(vocabulary.counts[0..<keep])
            ),
            sequences: Sequences(tokens: tokens, offsets: offsets),
            rawTokenCount: rawTokenCount,
            rawVocabularySize: rawVocabularySize
        )
        corpus.times = times.map(FlatArray.init)
        corpus.baskets = baskets.map(FlatArray.init)
        corpus.weights = weights.map(FlatArray.init)
        corpus.contextItems = context.map(FlatArray.init)
        corpus.documents = keptDocuments
        corpus.sequenceDocuments = keptSequenceDocuments
        return corpus
    }
}
