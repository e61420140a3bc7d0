// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

@testable import RecVecCore

/// Ranks of a ``ProcessGroup`` played by threads of this process: every collective is one exchange
/// of byte strings at a barrier, so the distributed code paths run in `swift test` without MPI.
final class ThreadRendezvous: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    private var slots: [[UInt8]]
    private var result: [[UInt8]] = []

    init(size: Int) {
        self.size = size
        slots = Array(repeating: [], count: size)
    }

    /// Every rank's `bytes`, in rank order, once all ranks have called.
    func exchange(rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        slots[rank] = bytes
        arrived += 1
        if arrived == size {
            result = slots
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return result
    }
}

/// One thread's rank.
struct ThreadRank: ProcessGroup {
    let rank: Int
    let rendezvous: ThreadRendezvous
    var size: Int { rendezvous.size }

    func allReduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) throws { sum(values, count) }
    func allReduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) throws { sum(values, count) }
    func allReduceSum(_ values: UnsafeMutablePointer<Int64>, count: Int) throws { sum(values, count) }
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { rendezvous.exchange(rank: rank, bytes) }
    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] { rendezvous.exchange(rank: rank, bytes)[root] }

    /// Sums in rank order, so every rank gets the same bits.
    private func sum<T: AdditiveArithmetic>(_ values: UnsafeMutablePointer<T>, _ count: Int) {
        let parts = rendezvous.exchange(
            rank: rank,
            Array(UnsafeRawBufferPointer(start: values, count: count * MemoryLayout<T>.stride))
        )
        for i in 0..<count { values[i] = .zero }
        for part in parts {
            part.withUnsafeBytes { raw in
                for i in 0..<count {
                    values[i] += raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.stride, as: T.self)
                }
            }
        }
    }
}

/// Runs `body` on `size` ranks, each on its own thread, and returns their results in rank order.
func onRanks<T: Sendable>(_ size: Int, _ body: @escaping @Sendable (ThreadRank) throws -> T) throws -> [T] {
    let rendezvous = ThreadRendezvous(size: size)
    let results = ResultSlots<T>(size)
    let done = DispatchSemaphore(value: 0)
    for r in 0..<size {
        let thread = Thread {
            results.set(r, Result { try body(ThreadRank(rank: r, rendezvous: rendezvous)) })
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    for _ in 0..<size { done.wait() }
    return try results.values().map { try $0.get() }
}

/// Write-once slots, one per rank.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [Result<T, any Error>?]
    private let lock = NSLock()
    init(_ count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<T, any Error>) { lock.withLock { slots[i] = value } }
    func values() -> [Result<T, any Error>] { lock.withLock { slots.map { $0! } } }
}
