// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RecVecCore

/// The data readers: sequences, event logs (TSV and CSV, every column option), item metadata
/// and content vectors. The first byte of an input picks the options; the rest is the file.
enum ReaderTargets {
    static let sequences = FuzzTarget("sequences") { input in
        let (choice, file) = split(input)
        var options = ReadOptions()
        options.minCount = Int(choice & 1) + 1
        options.firstTokenIsID = choice & 2 != 0
        options.keepSequenceIDs = choice & 4 != 0
        if choice & 8 != 0 { options.maxSequenceLength = 3 }
        if choice & 16 != 0 { options.maxVocab = 4 }
        let path = ScratchFile.write(".txt", file)
        if let corpus = try? SequenceFileReader.read(path: path, options: options) {
            check(corpus, maxVocab: options.maxVocab)
        }
    }

    static let events = FuzzTarget("events") { input in
        let (choice, file) = split(input)
        var events = EventOptions()
        if choice & 1 != 0 { events.timeColumn = nil }
        if choice & 2 != 0 { events.sessionColumn = "session_id" }
        if choice & 4 != 0 { events.sessionGap = 1800 }
        if choice & 8 != 0 { events.basketColumn = "basket_id" }
        if choice & 16 != 0 { events.basketsByTime = true }
        if choice & 32 != 0 { events.weightColumn = "weight" }
        if choice & 64 != 0 {
            events.contextEventColumn = "event"
            events.contextEventValue = "view"
        }
        var options = ReadOptions()
        options.minCount = 1
        let path = ScratchFile.write(choice & 128 != 0 ? ".csv" : ".tsv", file)
        if let (corpus, times) = try? EventFileReader.readWithTimes(path: path, events: events, options: options) {
            check(corpus, maxVocab: nil)
            if let times, times.count != corpus.sequences.tokenCount {
                fail("\(times.count) times for \(corpus.sequences.tokenCount) tokens")
            }
            if let times, times.contains(where: { !$0.isFinite }) { fail("a time that is not finite") }
        }
    }

    static let metadata = FuzzTarget("metadata") { input in
        let (choice, file) = split(input)
        let path = ScratchFile.write(choice & 1 != 0 ? ".csv" : ".tsv", file)
        _ = try? ItemMetadata.read(path: path)
    }

    static let contentVectors = FuzzTarget("content-vectors") { input in
        let path = ScratchFile.write(".txt", input)
        if let vectors = try? ContentVectors.read(path: path) {
            guard vectors.dimension > 0, vectors.values.count == vectors.items.count * vectors.dimension else {
                fail("content vectors of the wrong shape")
            }
            if vectors.values.contains(where: { !$0.isFinite }) { fail("a content value that is not finite") }
        }
    }

    /// The option byte and the file's bytes.
    static func split(_ input: UnsafeRawBufferPointer) -> (UInt8, UnsafeRawBufferPointer) {
        guard let first = input.first else { return (0, input) }
        return (first, UnsafeRawBufferPointer(rebasing: input[1...]))
    }

    /// What every corpus promises: offsets that span the tokens in order, ids inside the
    /// vocabulary, distinct tokens with positive counts, and the vocabulary cap honoured.
    static func check(_ corpus: Corpus, maxVocab: Int?) {
        let v = corpus.vocabulary
        let s = corpus.sequences
        guard s.offsets.first == 0, s.offsets.last == s.tokens.count else { fail("offsets do not span the tokens") }
        for i in 0..<s.count where s.offsets[i] > s.offsets[i + 1] { fail("offsets go backwards at \(i)") }
        if let bad = s.tokens.first(where: { $0 < 0 || Int($0) >= v.count }) { fail("token id \(bad) of \(v.count)") }
        if v.counts.count != v.tokens.count || v.counts.contains(where: { $0 <= 0 }) { fail("vocabulary counts") }
        if Set(v.tokens).count != v.tokens.count { fail("a token twice in the vocabulary") }
        if let maxVocab, v.count > maxVocab { fail("\(v.count) tokens over the cap of \(maxVocab)") }
    }
}
