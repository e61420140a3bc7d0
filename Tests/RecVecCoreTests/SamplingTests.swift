// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule
import Testing

@testable import RecVecCore

struct SamplingTests {
    let counts: [Int64] = [1000, 400, 120, 50, 20, 7, 3, 1]

    @Test(arguments: [0.75, 0.0, 1.0, -0.5, -1.0])
    func negativeSamplesFollowUnigramPower(exponent: Double) {
        let sampler = NegativeSampler(counts: counts, exponent: exponent)
        let weights = counts.map { Double.pow(Double($0), exponent) }
        let total = weights.reduce(0, +)
        var rng = FastRandom(seed: 11)
        var seen = [Int](repeating: 0, count: counts.count)
        let draws = 400_000
        for _ in 0..<draws { seen[Int(sampler.sample(&rng))] += 1 }
        for i in 0..<counts.count {
            let p = weights[i] / total
            let observed = Double(seen[i]) / Double(draws)
            // 5 standard deviations of a binomial proportion, plus a little slack.
            let tolerance = 5 * (p * (1 - p) / Double(draws)).squareRoot() + 1e-4
            #expect(abs(observed - p) <= tolerance, "token \(i): observed \(observed), expected \(p)")
        }
        #expect(
            zip(NegativeSampler.probabilities(counts: counts, exponent: exponent), weights).allSatisfy {
                abs($0 - $1 / total) < 1e-12
            }
        )
    }

    @Test func samplerWithOneTokenAlwaysDrawsIt() {
        let sampler = NegativeSampler(counts: [5], exponent: 0.75)
        var rng = FastRandom(seed: 1)
        for _ in 0..<100 { #expect(sampler.sample(&rng) == 0) }
    }

    @Test func subsamplingFollowsTheWord2vecFormula() {
        let sample = 1e-2
        let total = counts.reduce(0, +)
        let sub = Subsampler(counts: counts, sample: sample)
        #expect(sub.isActive)
        var rng = FastRandom(seed: 3)
        let trials = 200_000
        for i in 0..<counts.count {
            let t = sample * Double(total)
            let expected = min(1, ((Double(counts[i]) / t).squareRoot() + 1) * t / Double(counts[i]))
            #expect(abs(Subsampler.keepProbability(count: counts[i], total: total, sample: sample) - expected) < 1e-12)
            var kept = 0
            for _ in 0..<trials where sub.keep(Int32(i), &rng) { kept += 1 }
            let observed = Double(kept) / Double(trials)
            #expect(abs(observed - expected) <= 5 * (expected * (1 - expected) / Double(trials)).squareRoot() + 1e-4)
        }
    }

    @Test func zeroSampleKeepsEverything() {
        let sub = Subsampler(counts: counts, sample: 0)
        #expect(!sub.isActive)
        var rng = FastRandom(seed: 3)
        for i in 0..<counts.count { #expect(sub.keep(Int32(i), &rng)) }
    }

    @Test func randomGeneratorIsSeededAndUniform() {
        var a = FastRandom(seed: 9)
        var b = FastRandom(seed: 9)
        var c = FastRandom(seed: 10)
        let xs = (0..<10).map { _ in a.next() }
        #expect(xs == (0..<10).map { _ in b.next() })
        #expect(xs != (0..<10).map { _ in c.next() })
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { buckets[a.next(below: 10)] += 1 }
        #expect(buckets.allSatisfy { abs($0 - 10_000) < 500 })
        for _ in 0..<1000 {
            let f = a.nextUnitFloat()
            #expect(f >= 0 && f < 1)
        }
    }
}
