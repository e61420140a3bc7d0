// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Paragraph vectors, distributed bag of words (PV-DBOW; Le & Mikolov 2014): the document's vector
/// predicts each of its tokens, as skip-gram's context token would. A document is any sequence
/// with an id — a user, a session, a playlist, a text. With `trainTokens` the token vectors are
/// trained by skip-gram in the same pass (interleaved), so items and documents share one space.
///
/// Document vectors are rows `documentBase + d` of the input matrix.
public struct PVDBOWSource: PairSource {
    @usableFromInline let documentBase: Int32
    @usableFromInline let sequenceDocuments: [Int32]
    @usableFromInline let context: ContextWindow
    @usableFromInline let trainTokens: Bool

    /// `sequenceDocuments[s]`: the document of sequence `s`.
    public init(documentBase: Int, sequenceDocuments: [Int32], window: Int, mode: WindowMode, trainTokens: Bool) {
        self.documentBase = Int32(documentBase)
        self.sequenceDocuments = sequenceDocuments
        context = ContextWindow(window: window, mode: mode)
        self.trainTokens = trainTokens
    }

    @inlinable
    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        if sequence.count == 0 { return }
        let document = documentBase + sequenceDocuments[sequence.index]
        for i in 0..<sequence.count {
            if trainTokens && sequence.count > 1 {
                let n = context.collect(sequence, at: i, kernel: &kernel)
                kernel.skipGram(center: sequence[i], contexts: kernel.contexts, count: n)
            }
            kernel.contexts[0] = document
            kernel.skipGram(center: sequence[i], contexts: kernel.contexts, count: 1)
        }
    }
}

/// Paragraph vectors, distributed memory (PV-DM; Le & Mikolov 2014): the mean of the document's
/// vector and the context tokens' vectors predicts the centre token. With user histories as the
/// documents this is user-prod2vec (Grbovic et al. 2015): users and products share one space.
public struct PVDMSource: PairSource {
    @usableFromInline let documentBase: Int32
    @usableFromInline let sequenceDocuments: [Int32]
    @usableFromInline let context: ContextWindow

    public init(documentBase: Int, sequenceDocuments: [Int32], window: Int, mode: WindowMode) {
        self.documentBase = Int32(documentBase)
        self.sequenceDocuments = sequenceDocuments
        context = ContextWindow(window: window, mode: mode)
    }

    @inlinable
    public func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        if sequence.count == 0 { return }
        let document = documentBase + sequenceDocuments[sequence.index]
        for i in 0..<sequence.count {
            let n = sequence.count > 1 ? context.collect(sequence, at: i, kernel: &kernel) : 0
            kernel.contexts[n] = document
            kernel.cbow(center: sequence[i], contexts: kernel.contexts, count: n + 1, mean: true)
        }
    }
}
