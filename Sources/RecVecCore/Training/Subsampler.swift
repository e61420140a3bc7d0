// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Random down-sampling of frequent tokens (Mikolov et al. 2013b, in the form of the word2vec
/// tool): a token of count c among T tokens is kept with probability
/// min(1, (√(c / (s·T)) + 1) · s·T / c), where s is the `sample` threshold; s = 0 keeps all.
public struct Subsampler: @unchecked Sendable {
    /// Keep if a uniform 32-bit draw is below this (2³² − 1 means always).
    @usableFromInline let thresholds: UnsafeMutablePointer<UInt32>
    private let storage: Storage

    private final class Storage: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<UInt32>
        init(_ values: [UInt32]) {
            pointer = .allocate(capacity: max(1, values.count))
            pointer.initialize(from: values, count: values.count)
        }
        deinit { pointer.deallocate() }
    }
    /// Whether any token can be dropped.
    public let isActive: Bool

    /// The keep probability of a token of count `count` among `total` with threshold `sample`.
    public static func keepProbability(count: Int64, total: Int64, sample: Double) -> Double {
        guard sample > 0, count > 0 else { return 1 }
        let t = sample * Double(total)
        return min(1, ((Double(count) / t).squareRoot() + 1) * t / Double(count))
    }

    public init(counts: [Int64], sample: Double) {
        let total = counts.reduce(0, +)
        var active = false
        let values = counts.map { c in
            let p = Self.keepProbability(count: c, total: total, sample: sample)
            if p >= 1 { return UInt32.max }
            active = true
            return UInt32(p * 4_294_967_295.0)
        }
        isActive = active
        storage = Storage(values)
        thresholds = storage.pointer
    }

    /// Whether to keep an occurrence of `token`.
    @inlinable @inline(__always)
    public func keep(_ token: Int32, _ rng: inout FastRandom) -> Bool {
        let t = thresholds[Int(token)]
        return t == UInt32.max || rng.next32() < t
    }
}
