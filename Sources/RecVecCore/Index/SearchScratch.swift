// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Synchronization

/// A binary min-heap of scored ids on a reused array: `min` is the lowest-ranked entry
/// (``ScoredID``'s order). Cleared, not freed, between queries.
struct ScoredHeap {
    private(set) var items: [ScoredID] = []

    init(capacity: Int) { items.reserveCapacity(capacity) }

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    var min: ScoredID { items[0] }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func insert(_ x: ScoredID) {
        items.append(x)
        items.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if !(h[i] < h[parent]) { break }
                h.swapAt(i, parent)
                i = parent
            }
        }
    }

    @inline(__always) @discardableResult
    mutating func popMin() -> ScoredID {
        let top = items[0]
        let last = items.removeLast()
        if items.isEmpty { return top }
        items.withUnsafeMutableBufferPointer { h in
            h[0] = last
            var i = 0
            let n = h.count
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                let r = l + 1
                let c = r < n && h[r] < h[l] ? r : l
                if !(h[c] < h[i]) { break }
                h.swapAt(i, c)
                i = c
            }
        }
        return top
    }
}

/// The fixed-size memory of one searching thread: "seen in this query" stamps for every node,
/// which need no clearing between queries (a node is seen when its stamp equals the current
/// generation; a new query only increments it), and a buffer for one link list.
final class ScratchMemory {
    let stamps: UnsafeMutablePointer<UInt32>
    let count: Int
    private(set) var generation: UInt32 = 0
    /// Room for one link block (count + links), copied under a lock while building.
    let links: UnsafeMutablePointer<Int32>

    init(count: Int, linkCapacity: Int) {
        self.count = count
        stamps = .allocate(capacity: Swift.max(1, count))
        stamps.initialize(repeating: 0, count: Swift.max(1, count))
        links = .allocate(capacity: linkCapacity)
        links.initialize(repeating: 0, count: linkCapacity)
    }

    deinit {
        stamps.deallocate()
        links.deallocate()
    }

    /// Starts a new query: every node becomes unseen.
    @inline(__always)
    func reset() {
        generation &+= 1
        if generation == 0 {  // wrapped: clear the stamps once every 2^32 queries
            stamps.update(repeating: 0, count: Swift.max(1, count))
            generation = 1
        }
    }
}

/// Everything one search needs besides the graph, reused from query to query (one per thread).
struct SearchScratch {
    let memory: ScratchMemory
    /// Best-first frontier; scores are negated so that the min-heap pops the best.
    var frontier: ScoredHeap
    /// The `ef` best found so far; the min is the worst of them.
    var found: ScoredHeap
    /// Scratch for neighbour selection while building.
    var scored: [ScoredID] = []
    var selected: [ScoredID] = []
    var pruning: [ScoredID] = []
    var kept: [ScoredID] = []

    init(count: Int, linkCapacity: Int, ef: Int) {
        memory = ScratchMemory(count: count, linkCapacity: linkCapacity)
        frontier = ScoredHeap(capacity: 4 * ef)
        found = ScoredHeap(capacity: ef + 1)
    }
}

/// A few ``SearchScratch`` values shared by the threads that query one index: a query takes one
/// (or makes one, the first time a thread needs it) and puts it back.
final class ScratchPool: Sendable {
    private let free = Mutex<[SearchScratchBox]>([])
    let count: Int
    let linkCapacity: Int

    init(count: Int, linkCapacity: Int) {
        self.count = count
        self.linkCapacity = linkCapacity
    }

    func take() -> SearchScratch {
        if let box = free.withLock({ $0.popLast() }) { return box.scratch }
        return SearchScratch(count: count, linkCapacity: linkCapacity, ef: 128)
    }

    func give(_ scratch: SearchScratch) {
        free.withLock { $0.append(SearchScratchBox(scratch: scratch)) }
    }
}

/// Scratch values move between threads but are used by one thread at a time.
struct SearchScratchBox: @unchecked Sendable {
    var scratch: SearchScratch
}
