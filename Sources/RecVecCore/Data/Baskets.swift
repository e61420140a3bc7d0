// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Baskets: runs of consecutive events of a sequence that belong together (one order, one visit).
public enum Baskets {
    /// Basket numbers by time: consecutive events with the same time share a basket; the number
    /// goes up by one at every change (0, 0, 1, 2, 2, …).
    public static func byTime(_ times: [Double]) -> [Int32] {
        var numbers = [Int32](repeating: 0, count: times.count)
        var basket: Int32 = 0
        for i in times.indices {
            if i > 0 && times[i] != times[i - 1] { basket += 1 }
            numbers[i] = basket
        }
        return numbers
    }
}
