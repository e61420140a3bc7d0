// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// The hierarchical softmax's tree: codes and paths, tie-breaking, the depth bound.
struct HuffmanTreeTests {
    /// Σ 2^−depth over the leaves is 1 for a full binary tree, and no code is a prefix of another.
    func expectProperCode(_ tree: HuffmanTree) {
        let v = tree.leafCount
        var kraft = 0.0
        var codes = Set<[UInt8]>()
        for i in 0..<v {
            let path = tree.path(i)
            let code = tree.code(i)
            #expect(path.count == code.count)
            if v > 1 { #expect(path.first == Int32(v - 2), "every path starts at the root") }
            #expect(path.allSatisfy { $0 >= 0 && Int($0) < tree.innerCount })
            kraft += Double.pow(0.5, Double(code.count))
            codes.insert(code)
        }
        #expect(codes.count == v, "codes are distinct")
        for a in codes {
            for b in codes where a != b && a.count < b.count { #expect(Array(b.prefix(a.count)) != a) }
        }
        if v > 1 { #expect(abs(kraft - 1) < 1e-9) }
    }

    @Test func smallTreeHasTheExpectedCodes() {
        // Leaves ascending: 3 (1), 2 (2), 1 (3), 0 (5). Merges: n0 = {3, 2} (3);
        // n1 = {1, n0} (6: the leaf wins the tie at 3); n2 = {0, n1}, the root.
        let tree = HuffmanTree(counts: [5, 3, 2, 1])
        #expect(tree.path(0) == [2] && tree.code(0) == [0])
        #expect(tree.path(1) == [2, 1] && tree.code(1) == [1, 0])
        #expect(tree.path(2) == [2, 1, 0] && tree.code(2) == [1, 1, 1])
        #expect(tree.path(3) == [2, 1, 0] && tree.code(3) == [1, 1, 0])
        #expect(tree.maxDepth == 3 && tree.innerCount == 3)
        expectProperCode(tree)
    }

    @Test func frequentTokensGetShorterPaths() {
        var rng = FastRandom(seed: 3)
        let counts = (0..<500).map { _ in Int64(1 + rng.next(below: 10_000)) }
        let tree = HuffmanTree(counts: counts)
        expectProperCode(tree)
        for a in 0..<counts.count {
            for b in 0..<counts.count where counts[a] > counts[b] {
                #expect(tree.path(a).count <= tree.path(b).count)
            }
        }
    }

    @Test func tiesAreBrokenByTokenIDDeterministically() {
        // All equal: the tree depends only on the ids, and building it twice gives the same tree.
        let counts = [Int64](repeating: 4, count: 1000)
        let a = HuffmanTree(counts: counts)
        let b = HuffmanTree(counts: counts)
        for i in 0..<1000 { #expect(a.path(i) == b.path(i) && a.code(i) == b.code(i)) }
        // 1000 equal leaves: a balanced tree, depths 9 and 10.
        #expect(a.maxDepth == 10)
        #expect((0..<1000).allSatisfy { a.path($0).count >= 9 })
        expectProperCode(a)
    }

    @Test func zeroCountsCountAsOneWhichBoundsTheDepth() {
        // Counts of 0 (cold items) would otherwise let ties chain into a path as long as V.
        let tree = HuffmanTree(counts: [Int64](repeating: 0, count: 1024))
        #expect(tree.maxDepth == 10)
        // Fibonacci counts give the deepest tree a total allows: a chain.
        var fib: [Int64] = [1, 1]
        while fib.count < 30 { fib.append(fib[fib.count - 1] + fib[fib.count - 2]) }
        let chain = HuffmanTree(counts: fib)
        #expect(chain.maxDepth == 29)
        expectProperCode(chain)
    }

    @Test func oneTokenHasAnEmptyPath() {
        let tree = HuffmanTree(counts: [7])
        #expect(tree.innerCount == 0 && tree.path(0).isEmpty && tree.maxDepth == 0)
    }
}
