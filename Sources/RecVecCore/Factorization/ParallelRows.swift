// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import Synchronization

/// Work sharing for row-wise solvers: `threads` workers claim chunks of rows from a shared counter
/// (rows vary a lot in cost: a user with 2 items, a user with 2,000), each with its own scratch
/// buffer, allocated once per call, never per row.
enum ParallelRows {
    /// Calls `body(rows, scratch)` for consecutive chunks covering `0..<count`; `scratch` holds
    /// `scratchSize` doubles owned by the calling worker.
    static func run(
        count: Int,
        threads: Int,
        chunk: Int = 16,
        scratchSize: Int,
        body: (Range<Int>, UnsafeMutablePointer<Double>) -> Void
    ) {
        if count == 0 { return }
        let workers = max(1, min(threads, (count + chunk - 1) / chunk))
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(1, scratchSize))
                defer { scratch.deallocate() }
                while true {
                    let start = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
                    if start >= count { break }
                    shared.value(start..<min(count, start + chunk), scratch)
                }
            }
        }
    }
}

/// Hands a non-`Sendable` closure to the workers of ``ParallelRows``: each worker writes only the
/// rows it claimed, and reads state no worker writes, so sharing the closure is safe.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
