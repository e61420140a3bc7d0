// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import RealModule
import Synchronization
internal import _RecVecPlatform

extension HNSWIndex {
    /// Builds the graph over rows `0..<count` of `vectors` (unit length: similarity is the dot
    /// product, i.e. cosine), inserting nodes on `threads` threads (default: all cores).
    ///
    /// Each node's layer is drawn up front from `parameters.seed` (the paper's
    /// ⌊−ln U · 1/ln M⌋). Nodes are then inserted in id order (algorithm 1): a greedy descent
    /// to the node's layer, a best-first search with `efConstruction` candidates on each layer
    /// below, and links to the candidates the heuristic of algorithm 4 keeps; a neighbour whose
    /// list overflows is pruned by the same heuristic. With several threads, each node's link
    /// list is guarded by its own lock and the graph depends on thread timing; with one thread
    /// the result is fully determined by the vectors, the parameters and the seed.
    ///
    /// - Parameters:
    ///   - vectors: unit vectors, one row per node; the index keeps a reference to them.
    ///   - count: the number of rows to index (rows `0..<count`: a model's items).
    ///   - parameters: M, efConstruction, the default efSearch and the seed of the layers.
    ///   - threads: build threads (default: all cores); 1 makes the graph reproducible.
    ///   - progress: called now and then with the number of nodes inserted so far.
    public static func build(
        vectors: EmbeddingMatrix,
        count: Int,
        parameters: HNSWParameters = .init(),
        threads: Int? = nil,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> HNSWIndex {
        precondition(count <= vectors.rows)
        let levels = drawLevels(count: count, m: parameters.m, seed: parameters.seed)
        let index = HNSWIndex(vectors: vectors, count: count, parameters: parameters, levels: levels)
        guard count > 0 else { return index }
        let state = BuildState(entryPoint: 0, maxLevel: Int(levels[0]))
        let workers = max(1, min(threads ?? ProcessInfoShim.activeProcessorCount, count - 1))
        let linkCapacity = 1 + parameters.maxLinks0
        if workers == 1 {
            var scratch = SearchScratch(count: count, linkCapacity: linkCapacity, ef: parameters.efConstruction)
            for node in 1..<count {
                index.insert(node, state: state, scratch: &scratch, locks: nil)
                if node % 65_536 == 0 { progress?(node) }
            }
        } else {
            let locks = NodeLocks(count: count)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                var scratch = SearchScratch(count: count, linkCapacity: linkCapacity, ef: parameters.efConstruction)
                while true {
                    let node = state.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if node >= count { break }
                    index.insert(node, state: state, scratch: &scratch, locks: locks)
                    if node % 65_536 == 0 { progress?(node) }
                }
            }
        }
        (index.entryPoint, index.maxLevel) = state.top.withLock { ($0.entryPoint, $0.maxLevel) }
        progress?(count)
        return index
    }

    /// The layer of every node: ⌊−ln U · mL⌋ with U uniform in (0, 1] and mL = 1/ln M.
    static func drawLevels(count: Int, m: Int, seed: UInt64) -> [UInt8] {
        var rng = FastRandom(seed: seed)
        let mL = 1 / Double.log(Double(m))
        return (0..<count).map { _ in
            let u = Double((rng.next() >> 11) + 1) * 0x1p-53
            return UInt8(min(32, Int(-Double.log(u) * mL)))
        }
    }

    /// Inserts `node` (algorithm 1 of the paper).
    func insert(_ node: Int, state: BuildState, scratch: inout SearchScratch, locks: NodeLocks?) {
        let query = UnsafePointer(vectors.row(node))
        let level = Int(levels[node])
        let (top, topLevel) = state.top.withLock { ($0.entryPoint, $0.maxLevel) }
        var entry = ScoredID(score: similarity(query, top), id: top)
        var layer = topLevel
        while layer > level {
            entry = greedyClosest(query, from: entry, level: layer, scratch: &scratch, locks: locks)
            layer -= 1
        }
        layer = min(level, topLevel)
        while layer >= 0 {
            searchLayer(
                query,
                from: entry,
                ef: parameters.efConstruction,
                level: layer,
                scratch: &scratch,
                locks: locks
            )
            scratch.scored.removeAll(keepingCapacity: true)
            scratch.scored.append(contentsOf: scratch.found.items)
            scratch.scored.sort(by: >)
            selectNeighbors(scratch.scored, excluding: Int32(node), limit: parameters.m, into: &scratch.selected)
            let block = links(node, layer)
            locks?.lock(node)
            block[0] = Int32(scratch.selected.count)
            for (i, s) in scratch.selected.enumerated() { block[1 + i] = s.id }
            locks?.unlock(node)
            let limit = layer == 0 ? parameters.maxLinks0 : parameters.m
            for s in scratch.selected {
                connect(
                    Int(s.id),
                    to: Int32(node),
                    similarity: s.score,
                    level: layer,
                    limit: limit,
                    scratch: &scratch,
                    locks: locks
                )
            }
            entry = scratch.scored[0]
            layer -= 1
        }
        if level > topLevel {
            state.top.withLock {
                if level > $0.maxLevel { $0 = (Int32(node), level) }
            }
        }
    }

    /// Adds `newNode` to the links of `node` on `level`; when they are full, keeps the `limit`
    /// links the heuristic chooses among the old ones and the new one.
    func connect(
        _ node: Int,
        to newNode: Int32,
        similarity s: Float,
        level: Int,
        limit: Int,
        scratch: inout SearchScratch,
        locks: NodeLocks?
    ) {
        locks?.lock(node)
        defer { locks?.unlock(node) }
        let block = links(node, level)
        let n = Int(block[0])
        if n < limit {
            block[1 + n] = newNode
            block[0] = Int32(n + 1)
            return
        }
        let base = UnsafePointer(vectors.row(node))
        scratch.pruning.removeAll(keepingCapacity: true)
        scratch.pruning.append(ScoredID(score: s, id: newNode))
        for i in 1...n { scratch.pruning.append(ScoredID(score: similarity(base, block[i]), id: block[i])) }
        scratch.pruning.sort(by: >)
        selectNeighbors(scratch.pruning, excluding: Int32(node), limit: limit, into: &scratch.kept)
        block[0] = Int32(scratch.kept.count)
        for (i, k) in scratch.kept.enumerated() { block[1 + i] = k.id }
    }

    /// The paper's heuristic (algorithm 4, without extending or keeping pruned candidates): walks
    /// `candidates` (scored against a base node, best first) and keeps one only when it is more
    /// similar to the base than to every candidate already kept, so that links point in diverse
    /// directions instead of all into the nearest cluster.
    func selectNeighbors(_ candidates: [ScoredID], excluding base: Int32, limit: Int, into kept: inout [ScoredID]) {
        kept.removeAll(keepingCapacity: true)
        for c in candidates where c.id != base {
            if kept.count >= limit { break }
            let v = UnsafePointer(vectors.row(Int(c.id)))
            var diverse = true
            for k in kept where similarity(v, k.id) > c.score {
                diverse = false
                break
            }
            if diverse { kept.append(c) }
        }
    }
}

/// What the inserting threads share: the next node to insert and the current top of the graph.
final class BuildState: Sendable {
    let next = Atomic<Int>(1)
    let top: Mutex<(entryPoint: Int32, maxLevel: Int)>

    init(entryPoint: Int32, maxLevel: Int) {
        top = Mutex((entryPoint, maxLevel))
    }
}

/// One spin lock per node, guarding its link lists while threads insert concurrently. Critical
/// sections are a few dozen dot products at most, so spinning beats sleeping.
final class NodeLocks: @unchecked Sendable {
    private let flags: UnsafeMutablePointer<Atomic<UInt8>>
    private let count: Int

    init(count: Int) {
        self.count = count
        flags = .allocate(capacity: max(1, count))
        for i in 0..<count { (flags + i).initialize(to: Atomic(0)) }
    }

    deinit {
        flags.deinitialize(count: count)
        flags.deallocate()
    }

    @inline(__always)
    func lock(_ i: Int) {
        while !flags[i].compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
            while flags[i].load(ordering: .relaxed) != 0 { sched_yield() }
        }
    }

    @inline(__always)
    func unlock(_ i: Int) { flags[i].store(0, ordering: .releasing) }
}
