// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One parser under test: a name for RECVEC_FUZZ_TARGET, a set-up run once, and the body run
/// on every input. A thrown error is the parser doing its job; a crash, a sanitizer report or
/// a broken invariant (checked with ``fail(_:)``) is a finding.
struct FuzzTarget: Sendable {
    let name: String
    let setUp: @Sendable () -> Void
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    init(
        _ name: String,
        setUp: @escaping @Sendable () -> Void = {},
        run: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
    ) {
        self.name = name
        self.setUp = setUp
        self.run = run
    }

    static let all: [FuzzTarget] = [
        ReaderTargets.sequences,
        ReaderTargets.events,
        ReaderTargets.metadata,
        ReaderTargets.contentVectors,
        ModelTargets.word2vecText,
        ModelTargets.word2vecBinary,
        ModelTargets.modelFile,
        ModelTargets.hnswFile,
        RequestTarget.requests,
    ]
}
