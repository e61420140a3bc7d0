// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The binary tree of hierarchical softmax (Morin & Bengio 2005; Mikolov et al. 2013b): a Huffman
/// code over the vocabulary by frequency, so frequent tokens get short paths. Leaf `i` is token
/// `i`; the `V − 1` inner nodes are numbered `0..<V−1` in the order they were merged (the root is
/// `V − 2`), and inner node `n` owns row `n` of the output matrix.
///
/// The tree is a pure function of the counts: ties are broken by token id (a leaf before a merged
/// node of the same weight, earlier ids and earlier merges first), so rebuilding it from the counts
/// stored in a model file gives the same tree. Counts below 1 count as 1, which bounds the depth
/// by the Fibonacci bound: a path of length L needs a total count of at least F(L+2), so L ≤ 91
/// for any 64-bit total.
///
/// Per token: the inner nodes from the root down (`points`) and the branch taken at each (`codes`,
/// 0 or 1), laid out flat; token `i`'s path is `offsets[i]..<offsets[i+1]`.
public struct HuffmanTree: @unchecked Sendable {
    /// Leaves (tokens).
    public let leafCount: Int
    /// Longest path (a root-to-leaf depth).
    public let maxDepth: Int
    @usableFromInline let offsets: UnsafeMutablePointer<Int32>
    @usableFromInline let points: UnsafeMutablePointer<Int32>
    @usableFromInline let codes: UnsafeMutablePointer<UInt8>
    private let storage: Storage

    private final class Storage: @unchecked Sendable {
        let offsets: UnsafeMutablePointer<Int32>
        let points: UnsafeMutablePointer<Int32>
        let codes: UnsafeMutablePointer<UInt8>
        init(leaves: Int, total: Int) {
            offsets = .allocate(capacity: leaves + 1)
            points = .allocate(capacity: max(1, total))
            codes = .allocate(capacity: max(1, total))
        }
        deinit {
            offsets.deallocate()
            points.deallocate()
            codes.deallocate()
        }
    }

    /// Builds the Huffman tree of `counts` (one per token). One token gives an empty path.
    public init(counts: [Int64]) {
        let v = counts.count
        precondition(v > 0, "an empty vocabulary has no tree")
        leafCount = v
        // Leaves in ascending (count, id) order; merged nodes are created in ascending weight, so
        // two queues give the two lightest nodes in O(1) (van Leeuwen 1976).
        let order = (0..<v).sorted { a, b in
            let ca = max(1, counts[a])
            let cb = max(1, counts[b])
            return ca != cb ? ca < cb : a < b
        }
        // Node ids: leaves 0..<v, inner node n is v + n. parent and branch per node.
        var weight = [Int64](repeating: 0, count: max(0, 2 * v - 1))
        for i in 0..<v { weight[i] = max(1, counts[i]) }
        var parent = [Int32](repeating: -1, count: max(0, 2 * v - 1))
        var branch = [UInt8](repeating: 0, count: max(0, 2 * v - 1))
        var leafNext = 0
        var innerNext = v
        func lightest(_ innerEnd: Int) -> Int {
            if leafNext < v
                && (innerNext >= innerEnd || weight[order[leafNext]] <= weight[innerNext])
            {
                leafNext += 1
                return order[leafNext - 1]
            }
            innerNext += 1
            return innerNext - 1
        }
        for n in 0..<(v - 1) {
            let node = v + n
            let a = lightest(node)
            let b = lightest(node)
            // Saturating: a total beyond Int64 only happens with corrupt counts.
            let (sum, overflow) = weight[a].addingReportingOverflow(weight[b])
            weight[node] = overflow ? .max : sum
            parent[a] = Int32(node)
            parent[b] = Int32(node)
            branch[a] = 0
            branch[b] = 1
        }
        // Paths, written leaf-up then reversed to root-down.
        var depth = [Int](repeating: 0, count: v)
        var total = 0
        var deepest = 0
        for i in 0..<v {
            var d = 0
            var node = i
            while parent[node] >= 0 {
                d += 1
                node = Int(parent[node])
            }
            depth[i] = d
            total += d
            deepest = max(deepest, d)
        }
        maxDepth = deepest
        storage = Storage(leaves: v, total: total)
        offsets = storage.offsets
        points = storage.points
        codes = storage.codes
        var at = 0
        for i in 0..<v {
            offsets[i] = Int32(at)
            var k = at + depth[i] - 1
            var node = i
            while parent[node] >= 0 {
                codes[k] = branch[node]
                points[k] = parent[node] - Int32(v)
                node = Int(parent[node])
                k -= 1
            }
            at += depth[i]
        }
        offsets[v] = Int32(at)
    }

    /// Inner nodes (rows of the output matrix the tree uses): `V − 1`.
    public var innerCount: Int { max(0, leafCount - 1) }

    /// The inner nodes on token `token`'s path, root first.
    public func path(_ token: Int) -> [Int32] {
        (Int(offsets[token])..<Int(offsets[token + 1])).map { points[$0] }
    }

    /// The branches on token `token`'s path, root first (0 or 1).
    public func code(_ token: Int) -> [UInt8] {
        (Int(offsets[token])..<Int(offsets[token + 1])).map { codes[$0] }
    }
}
