// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// A training corpus built from evaluation data, with the item ids kept as ids.
///
/// This is the one convention for mapping a data set's item ids to a model's token ids: the
/// corpus's vocabulary lists the kept items (count ≥ `minCount`) by descending count, ties broken
/// as gensim breaks them (as every corpus reader does), its tokens are the data set's item strings
/// (what metadata and content files name), and ``dataIDs`` maps each model token back to its item.
public struct DataCorpus: Sendable {
    public var corpus: Corpus
    /// Model token id → data-set item id.
    public var dataIDs: [Int32]

    /// Builds the corpus of `data`'s sequences without turning ids into strings and back.
    /// `withTimes` keeps the event times (events of a sequence that share a time form a basket).
    /// Sequence `n` gets the id `"n+1"`; sequences longer than `maxSequenceLength` are cut into
    /// pieces that share it. Without `withDocuments` the corpus has no document ids (models that
    /// learn no document or user vectors: 20 bytes a sequence saved). Data read from a prepared
    /// corpus gives a corpus in mapped temporary files (``FlatArray/Builder/init(spilled:directory:)``).
    public init(
        _ data: TrainingData,
        minCount: Int = 1,
        withTimes: Bool = false,
        withDocuments: Bool = true,
        maxSequenceLength: Int = 10_000
    ) throws {
        let itemCount = data.items.count
        // Items numbered by first appearance, as a reader's token table numbers them: the
        // vocabulary's tie-break.
        var appearance = [Int32](repeating: -1, count: itemCount)
        var seenOrder: [Int32] = []
        var counts: [Int64] = []  // by appearance
        let rawTokens = data.sequences.valueCount
        data.sequences.values.forEachChunk { all, _ in
            for item in all {
                if appearance[Int(item)] < 0 {
                    appearance[Int(item)] = Int32(seenOrder.count)
                    seenOrder.append(item)
                    counts.append(0)
                }
                counts[Int(appearance[Int(item)])] += 1
            }
        }
        if rawTokens == 0 { throw InputError(file: "sequences", "no tokens in the input") }
        let keptRanks = Vocabulary.keptInOrder(counts: counts, minCount: minCount)
        let kept = keptRanks.map { seenOrder[$0] }
        if kept.isEmpty {
            throw InputError(
                file: "sequences",
                "no token occurs at least \(minCount) times (\(seenOrder.count) distinct tokens); lower the minimum count"
            )
        }
        var toModel = [Int32](repeating: -1, count: itemCount)
        for (m, d) in kept.enumerated() { toModel[Int(d)] = Int32(m) }

        let times = withTimes ? data.times : nil
        // The corpus of mapped data goes to mapped temporary files, out of the process's memory.
        let spilled = data.sequences.values.isMapped
        var tokens = try FlatArray<Int32>.Builder(spilled: spilled)
        tokens.reserveCapacity(rawTokens)
        var offsets = try FlatArray<Int>.Builder(spilled: spilled)
        offsets.append(0)
        var sequenceTimes = try times.map { _ in try FlatArray<Double>.Builder(spilled: spilled) }
        var baskets = try times.map { _ in try FlatArray<Int32>.Builder(spilled: spilled) }
        var documents: [String] = []
        var sequenceDocuments: [Int32] = []
        if withDocuments {
            documents.reserveCapacity(data.sequences.count)
            sequenceDocuments.reserveCapacity(data.sequences.count)
        }
        data.sequences.forEachRow(alongside: times) { n, s in
            let rowTimes = times?[n]
            let basketNumbers = rowTimes.map { Baskets.byTime($0) }
            var pieceStart = tokens.count
            var rawInPiece = 0  // pieces are cut by the input's length, before filtering, as the readers cut them
            var documentOfSequence: Int32 = -1
            func closePiece() {
                rawInPiece = 0
                guard tokens.count > pieceStart else { return }
                offsets.append(tokens.count)
                if withDocuments && documentOfSequence < 0 {
                    documentOfSequence = Int32(documents.count)
                    documents.append(String(n + 1))
                }
                if withDocuments { sequenceDocuments.append(documentOfSequence) }
                pieceStart = tokens.count
            }
            for (i, item) in s.enumerated() {
                if rawInPiece >= maxSequenceLength { closePiece() }
                rawInPiece += 1
                let m = toModel[Int(item)]
                if m < 0 { continue }
                tokens.append(m)
                if let rowTimes { sequenceTimes!.append(rowTimes[i]) }
                if let basketNumbers { baskets!.append(basketNumbers[i]) }
            }
            closePiece()
        }
        var corpus = Corpus(
            vocabulary: Vocabulary(tokens: kept.map { data.items[Int($0)] }, counts: keptRanks.map { counts[$0] }),
            sequences: Sequences(tokens: try tokens.finish(), offsets: try offsets.finish()),
            rawTokenCount: rawTokens,
            rawVocabularySize: seenOrder.count
        )
        corpus.times = try sequenceTimes?.finish()
        corpus.baskets = try baskets?.finish()
        corpus.documents = documents
        corpus.sequenceDocuments = sequenceDocuments
        self.corpus = corpus
        dataIDs = kept
    }
}
