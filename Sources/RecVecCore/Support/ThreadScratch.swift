// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Scratch memory one thread writes on every example, kept off every other allocation's cache lines.
///
/// Small buffers from `malloc` sit side by side whatever thread owns them: one Hogwild thread's
/// targets or hidden vector can share a 64-byte line with the next thread's, and then every window
/// each thread writes makes the other's copy of the line invalid (false sharing). A buffer from
/// here starts on a ``lineSize`` boundary and fills whole lines, so no other allocation shares one.
enum ThreadScratch {
    /// Two cache lines: x86's adjacent-line prefetcher fetches lines in aligned pairs.
    static let lineSize = 128

    /// Room for `count` (at least one) values of `T`, uninitialised, aligned to ``lineSize`` and
    /// padded to whole lines. Free it with `deallocate()`.
    static func allocate<T>(_: T.Type = T.self, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, count) * MemoryLayout<T>.stride
        let padded = (bytes + lineSize - 1) / lineSize * lineSize
        let alignment = max(lineSize, MemoryLayout<T>.alignment)
        return UnsafeMutableRawPointer.allocate(byteCount: padded, alignment: alignment)
            .bindMemory(to: T.self, capacity: max(1, count))
    }
}
