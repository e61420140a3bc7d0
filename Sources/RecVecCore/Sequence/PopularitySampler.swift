// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// Draws items with probability proportional to count^alpha (GRU4Rec's negative sampling; alpha 0
/// is uniform over the items seen, 1 is proportional to popularity), by binary search in the
/// cumulative distribution.
struct PopularitySampler {
    private var cumulative: [Double]
    /// log(count^alpha) of each item, for the logq correction (0 for unseen items).
    let logProbability: [Float]

    init(counts: [Int], alpha: Double) {
        var c = [Double](repeating: 0, count: counts.count)
        var logs = [Float](repeating: 0, count: counts.count)
        var total = 0.0
        for (i, n) in counts.enumerated() {
            if n > 0 {
                total += Double.pow(Double(n), alpha)
                logs[i] = Float(alpha * Double.log(Double(n)))
            }
            c[i] = total
        }
        cumulative = c.map { $0 / max(total, .leastNormalMagnitude) }
        logProbability = logs
    }

    /// An item drawn from the distribution.
    @inline(__always)
    func draw(_ rng: inout FastRandom) -> Int32 {
        let u = Double(rng.next() >> 11) * 0x1p-53
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] <= u { lo = mid + 1 } else { hi = mid }
        }
        return Int32(lo)
    }
}
