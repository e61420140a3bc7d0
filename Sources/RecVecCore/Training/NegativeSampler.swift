// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform
import _RecVecShims

/// Draws negative examples with probability proportional to count^exponent
/// (Mikolov et al. 2013b use 0.75; Caselles-Dupré et al. 2018 found other values, even negative
/// ones, better for recommendation).
///
/// Walker's alias method (Walker 1977; Vose 1991): one random number and one table read a draw,
/// in O(V) memory (gensim's cumulative table needs a binary search; word2vec's a 10⁸-entry table).
public struct NegativeSampler: @unchecked Sendable {
    /// Per slot: bits 0–31 the acceptance threshold (of 2³²), bits 32–63 the alias id.
    @usableFromInline let slots: UnsafeMutablePointer<UInt64>
    @usableFromInline let count: Int
    private let storage: Storage

    private final class Storage: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<UInt64>
        init(_ n: Int) {
            // Read at a random slot for every negative: a large table is backed by huge pages.
            let count = max(1, n)
            pointer = HugePages.allocate(byteCount: count * MemoryLayout<UInt64>.size, alignment: 8)
                .bindMemory(to: UInt64.self, capacity: count)
        }
        deinit { pointer.deallocate() }
    }

    /// The normalized probabilities count^exponent / Σ count^exponent (tokens with count 0 get 0,
    /// unless every count is 0, which gives the uniform distribution).
    public static func probabilities(counts: [Int64], exponent: Double) -> [Double] {
        var weights = counts.map { $0 > 0 ? pow(Double($0), exponent) : 0 }
        var total = weights.reduce(0, +)
        if !(total > 0) || !total.isFinite {
            weights = Array(repeating: 1, count: counts.count)
            total = Double(counts.count)
        }
        return weights.map { $0 / total }
    }

    /// Builds the table for `counts` raised to `exponent`.
    public init(counts: [Int64], exponent: Double) {
        let n = counts.count
        precondition(n > 0, "an empty vocabulary has nothing to sample")
        count = n
        storage = Storage(n)
        slots = storage.pointer
        let p = Self.probabilities(counts: counts, exponent: exponent)
        var scaled = p.map { $0 * Double(n) }
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        var threshold = [Double](repeating: 1, count: n)
        var alias = Array(0..<n)
        while let s = small.popLast() {
            guard let l = large.last else {
                threshold[s] = 1
                continue
            }
            threshold[s] = scaled[s]
            alias[s] = l
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        for l in large { threshold[l] = 1 }
        for i in 0..<n {
            let t = threshold[i] >= 1 ? UInt64(UInt32.max) : UInt64(max(0, threshold[i]) * 4_294_967_296.0)
            slots[i] = t | (UInt64(alias[i]) << 32)
        }
    }

    /// One draw.
    @inlinable @inline(__always)
    public func sample(_ rng: inout FastRandom) -> Int32 {
        sample(random: rng.next())
    }

    /// The table slot a draw from the random word `r` reads.
    @inlinable @inline(__always)
    func slot(_ r: UInt64) -> Int {
        Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: count).multipliedFullWidth(by: r).high)
    }

    /// Asks for the table entry that `sample(random: r)` will read, so that a draw made later does
    /// not wait for it.
    @inlinable @inline(__always)
    func prefetch(random r: UInt64) {
        recvec_prefetch(slots + slot(r))
    }

    /// The draw for the random word `r` (``sample(_:)`` with `r` as the generator's next word).
    @inlinable @inline(__always)
    public func sample(random r: UInt64) -> Int32 {
        let i = slot(r)
        let slot = slots[i]
        // The low 32 bits of r are independent enough of the high product bits for this purpose.
        let u = r & 0xFFFF_FFFF
        return u < (slot & 0xFFFF_FFFF) || (slot & 0xFFFF_FFFF) == 0xFFFF_FFFF
            ? Int32(truncatingIfNeeded: i) : Int32(truncatingIfNeeded: slot >> 32)
    }
}
