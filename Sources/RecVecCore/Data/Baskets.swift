// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Numbers the baskets of a sequence, the one place that does it: consecutive events with equal
/// keys — the same time (baskets by time) or the same basket-column value — form one basket, and
/// baskets are numbered 0, 1, 2, … from the start of the sequence. The event reader (basket column
/// or `basketsByTime`) and `Corpus.from(_:times:)` both count with it.
struct Baskets {
    private var previous: Double? = nil
    private var basket: Int32 = 0

    init() {}

    /// Starts a new sequence (or piece of one): its next event opens basket 0.
    mutating func startSequence() {
        previous = nil
        basket = 0
    }

    /// The basket of the sequence's next event, whose key (its time, or its basket id, exact as a
    /// `Double` for any `Int32`) is `key`.
    mutating func next(_ key: Double) -> Int32 {
        if let previous, previous != key { basket += 1 }
        previous = key
        return basket
    }

    /// The baskets of one sequence whose events happened at `times`: events sharing a time with the
    /// event before them share its basket.
    static func byTime(_ times: some Sequence<Double>) -> [Int32] {
        var baskets = Baskets()
        return times.map { baskets.next($0) }
    }
}
