// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// The two-sided sign test (exact binomial): do two models, scored on the same test cases, win
/// equally often?
///
/// Only the cases where they differ count: `wins` where the first is better, `losses` where the
/// second is. Under the null hypothesis each such case is a fair coin, so with n = wins + losses and
/// k = min(wins, losses) the p-value is min(1, 2 · P(X ≤ k)) for X ~ Binomial(n, ½). On 0/1 hits
/// this is the exact McNemar test.
public enum SignTest {
    /// The two-sided p-value of `wins` against `losses` (1 when both are 0).
    ///
    /// - Complexity: O(min(wins, losses)); the sum stops once its terms no longer change it.
    public static func pValue(wins: Int, losses: Int) -> Double {
        precondition(wins >= 0 && losses >= 0, "counts are not negative")
        let n = wins + losses
        let k = min(wins, losses)
        guard n > 0, 2 * k < n else { return 1 }
        // P(X = k) = C(n, k) / 2^n in logs, then P(X = i - 1) = P(X = i) · i / (n - i + 1) downwards.
        let logTerm =
            Double.logGamma(Double(n + 1)) - Double.logGamma(Double(k + 1))
            - Double.logGamma(Double(n - k + 1)) - Double(n) * Double.log(2)
        var term = 1.0
        var sum = 1.0
        var i = k
        while i > 0 {
            term *= Double(i) / Double(n - i + 1)
            sum += term
            if term < sum * 1e-17 { break }
            i -= 1
        }
        return min(1, 2 * Double.exp(logTerm) * sum)
    }
}
