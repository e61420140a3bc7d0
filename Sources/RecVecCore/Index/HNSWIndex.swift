// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import _RecVecShims

/// An approximate nearest-neighbour index over unit vectors, for cosine similarity: a
/// Hierarchical Navigable Small World graph (Malkov & Yashunin 2018, IEEE TPAMI 42(4),
/// doi:10.1109/TPAMI.2018.2889473).
///
/// Every node (a row of ``vectors``) lives on layer 0 and, with geometrically falling
/// probability, on layers above it; each layer links a node to a few near, diverse neighbours
/// (the paper's heuristic, algorithm 4). A query descends greedily from the top layer's entry
/// point, then explores layer 0 best-first, keeping the `ef` best candidates.
///
/// The index holds the graph, not the vectors: it borrows the unit vectors of the model it was
/// built from (rows `0..<count`, the model's items). Once built or read it is immutable, and any
/// number of threads may search it at once.
///
///     let unit = model.input.normalizedRows()
///     let index = HNSWIndex.build(vectors: unit, count: model.itemCount, parameters: .init())
///     let top10 = index.search(unit.row(42), k: 10, excluding: [42])
public final class HNSWIndex: @unchecked Sendable {
    /// Unit-length vectors; node `i` is row `i`.
    public let vectors: EmbeddingMatrix
    /// Number of nodes (rows `0..<count` of ``vectors``).
    public let count: Int
    /// How the graph was built, and the default `ef` of searches.
    public let parameters: HNSWParameters
    /// The top layer, and the node where every search starts (`-1` when empty).
    public internal(set) var maxLevel: Int
    public internal(set) var entryPoint: Int32

    /// Layer of each node.
    let levels: UnsafeMutablePointer<UInt8>
    /// Layer 0: per node a block of `1 + maxLinks0` Int32s: the link count, then the links.
    let links0: UnsafeMutablePointer<Int32>
    /// Layers above 0: per node with layer ≥ 1, `level` blocks of `1 + m` Int32s, starting at
    /// `upperStart[node]` (−1 for nodes on layer 0 only).
    let upperStart: UnsafeMutablePointer<Int>
    let upperLinks: UnsafeMutablePointer<Int32>
    let upperCount: Int
    let scratchPool: ScratchPool

    /// An empty graph over `count` nodes on the given layers (all link lists empty).
    init(vectors: EmbeddingMatrix, count: Int, parameters: HNSWParameters, levels: [UInt8]) {
        precondition(count <= vectors.rows && levels.count == count)
        self.vectors = vectors
        self.count = count
        self.parameters = parameters
        maxLevel = -1
        entryPoint = -1
        let levelStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, count))
        for i in 0..<count { levelStorage[i] = levels[i] }
        self.levels = levelStorage
        let block0 = 1 + parameters.maxLinks0
        links0 = .allocate(capacity: max(1, count * block0))
        links0.initialize(repeating: 0, count: max(1, count * block0))
        upperStart = .allocate(capacity: max(1, count))
        var total = 0
        for i in 0..<count {
            if levels[i] > 0 {
                upperStart[i] = total
                total += Int(levels[i]) * (1 + parameters.m)
            } else {
                upperStart[i] = -1
            }
        }
        upperCount = total
        upperLinks = .allocate(capacity: max(1, total))
        upperLinks.initialize(repeating: 0, count: max(1, total))
        scratchPool = ScratchPool(count: count, linkCapacity: 1 + parameters.maxLinks0)
    }

    deinit {
        levels.deallocate()
        links0.deallocate()
        upperStart.deallocate()
        upperLinks.deallocate()
    }

    /// The link block of `node` on `level`: element 0 is the count, then the neighbour ids.
    @inline(__always)
    func links(_ node: Int, _ level: Int) -> UnsafeMutablePointer<Int32> {
        level == 0
            ? links0 + node * (1 + parameters.maxLinks0)
            : upperLinks + upperStart[node] + (level - 1) * (1 + parameters.m)
    }

    /// The layer of `node`.
    public func level(of node: Int) -> Int { Int(levels[node]) }

    /// The neighbours of `node` on `level` (for tests and inspection).
    public func neighbors(of node: Int, level: Int) -> [Int32] {
        guard level <= self.level(of: node) else { return [] }
        let block = links(node, level)
        return Array(UnsafeBufferPointer(start: block + 1, count: Int(block[0])))
    }

    /// Bytes of the graph in memory (the vectors excluded: they belong to the model).
    public var graphBytes: Int {
        count * (1 + (1 + parameters.maxLinks0) * 4 + MemoryLayout<Int>.size) + upperCount * 4
    }

    // MARK: - Search

    /// The `k` nodes most similar to `query` (a unit vector of ``EmbeddingMatrix/stride`` floats,
    /// its padding zero), best first, leaving out `excluded` ids.
    ///
    /// - Parameters:
    ///   - query: a unit vector of ``EmbeddingMatrix/stride`` floats, its padding zero.
    ///   - k: how many nodes to return.
    ///   - ef: the candidate list size (default ``HNSWParameters/efSearch``); raised to
    ///     `k + excluded.count` when smaller.
    ///   - excluded: node ids never returned (e.g. the query's own item).
    /// - Complexity: about O(ef · log n) similarity computations.
    public func search(
        _ query: UnsafePointer<Float>,
        k: Int,
        ef: Int? = nil,
        excluding excluded: Set<Int32> = []
    )
        -> [ScoredID]
    {
        guard count > 0, k > 0 else { return [] }
        var scratch = scratchPool.take()
        defer { scratchPool.give(scratch) }
        let width = max(ef ?? parameters.efSearch, k + excluded.count)
        var entry = ScoredID(score: similarity(query, entryPoint), id: entryPoint)
        var level = maxLevel
        while level > 0 {
            entry = greedyClosest(query, from: entry, level: level, scratch: &scratch, locks: nil)
            level -= 1
        }
        searchLayer(query, from: entry, ef: width, level: 0, scratch: &scratch, locks: nil)
        var best = scratch.found.items
        best.sort(by: >)
        return Array(best.lazy.filter { !excluded.contains($0.id) }.prefix(k))
    }

    /// ``search(_:k:ef:excluding:)`` for a query of ``EmbeddingMatrix/dim`` floats.
    public func search(_ query: [Float], k: Int, ef: Int? = nil, excluding excluded: Set<Int32> = []) -> [ScoredID] {
        precondition(query.count == vectors.dim, "a query has one float per dimension")
        let padded = EmbeddingMatrix(rows: 1, dim: vectors.dim)
        padded.setVector(0, query)
        return search(padded.row(0), k: k, ef: ef, excluding: excluded)
    }

    /// Asks for every cache line of node's vector.
    @inline(__always)
    func prefetchRow(_ node: Int32) {
        let row = vectors.row(Int(node))
        var offset = 0
        while offset < vectors.stride {
            recvec_prefetch(row + offset)
            offset += 16
        }
    }

    @inline(__always)
    func similarity(_ query: UnsafePointer<Float>, _ node: Int32) -> Float {
        Kernels.dot(query, vectors.row(Int(node)), count: vectors.stride)
    }

    /// Greedy descent on one layer (`ef` = 1): the node most similar to `query` reachable from `start`.
    func greedyClosest(
        _ query: UnsafePointer<Float>,
        from start: ScoredID,
        level: Int,
        scratch: inout SearchScratch,
        locks: NodeLocks?
    ) -> ScoredID {
        var best = start
        var improved = true
        let buffer = scratch.memory.links
        while improved {
            improved = false
            let list = readLinks(Int(best.id), level, into: buffer, locks: locks)
            let n = Int(list[0])
            var i = 1
            while i <= n {
                recvec_prefetch(vectors.row(Int(list[i])))
                i += 1
            }
            i = 1
            while i <= n {
                let candidate = ScoredID(score: similarity(query, list[i]), id: list[i])
                if candidate > best {
                    best = candidate
                    improved = true
                }
                i += 1
            }
        }
        return best
    }

    /// The link block of `node` on `level`, copied under the node's lock while the graph is
    /// being built (`locks` non-nil), read in place otherwise.
    @inline(__always)
    func readLinks(
        _ node: Int,
        _ level: Int,
        into buffer: UnsafeMutablePointer<Int32>,
        locks: NodeLocks?
    )
        -> UnsafePointer<Int32>
    {
        let block = links(node, level)
        guard let locks else { return UnsafePointer(block) }
        locks.lock(node)
        buffer.update(from: block, count: 1 + Int(block[0]))
        locks.unlock(node)
        return UnsafePointer(buffer)
    }

    /// Best-first search of one layer (the paper's algorithm 2): leaves the `ef` nodes most
    /// similar to `query` found from `entry` in `scratch.found`.
    func searchLayer(
        _ query: UnsafePointer<Float>,
        from entry: ScoredID,
        ef: Int,
        level: Int,
        scratch: inout SearchScratch,
        locks: NodeLocks?
    ) {
        let memory = scratch.memory
        memory.reset()
        let stamps = memory.stamps
        let generation = memory.generation
        let buffer = memory.links
        scratch.frontier.removeAll()
        scratch.found.removeAll()
        stamps[Int(entry.id)] = generation
        scratch.frontier.insert(ScoredID(score: -entry.score, id: entry.id))
        scratch.found.insert(entry)
        while !scratch.frontier.isEmpty {
            let current = scratch.frontier.popMin()
            if -current.score < scratch.found.min.score && scratch.found.count >= ef { break }
            // The next node to expand is probably the frontier's best: start loading its links.
            if !scratch.frontier.isEmpty { recvec_prefetch(links(Int(scratch.frontier.min.id), level)) }
            let list = readLinks(Int(current.id), level, into: buffer, locks: locks)
            let n = Int(list[0])
            var i = 1
            while i <= n {
                if stamps[Int(list[i])] != generation { recvec_prefetch(vectors.row(Int(list[i]))) }
                i += 1
            }
            i = 1
            while i <= n {
                let node = list[i]
                i += 1
                if stamps[Int(node)] == generation { continue }
                stamps[Int(node)] = generation
                if i <= n { prefetchRow(list[i]) }  // the whole next row, not just its first line
                let s = similarity(query, node)
                if scratch.found.count < ef || s > scratch.found.min.score {
                    scratch.frontier.insert(ScoredID(score: -s, id: node))
                    scratch.found.insert(ScoredID(score: s, id: node))
                    if scratch.found.count > ef { scratch.found.popMin() }
                }
            }
        }
    }
}
