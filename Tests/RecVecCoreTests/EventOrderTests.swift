// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

struct EventOrderTests {
    /// The order as a comparison sort of the line indices by (group, time, line) gives it.
    func reference(groups: [Int32], times: [Double]) -> [UInt32] {
        groups.indices.sorted { a, b in
            if groups[a] != groups[b] { return groups[a] < groups[b] }
            if times[a] != times[b] { return times[a] < times[b] }
            return a < b
        }.map { UInt32($0) }
    }

    @Test(arguments: [0, 1, 2, 7, 500, 5_000])
    func sortsByGroupThenTimeThenLine(events: Int) {
        var rng = FastRandom(seed: UInt64(events) + 1)
        let groupCount = max(1, events / 6)
        let groups = (0..<events).map { _ in Int32(rng.next32() % UInt32(groupCount)) }
        // Few distinct times, so that ties (kept in line order) are common; some groups in order.
        let times = (0..<events).map { i in groups[i] % 3 == 0 ? Double(i) : Double(rng.next32() % 8) }
        let order = EventOrder(groups: groups, times: times, groupCount: groupCount)
        #expect(order.indices == reference(groups: groups, times: times))
    }

    @Test func groupsInLineOrderNeedNoSort() {
        let groups: [Int32] = [1, 0, 1, 0, 2]
        let times: [Double] = [5, 9, 6, 10, 0]
        let order = EventOrder(groups: groups, times: times, groupCount: 3)
        #expect(order.indices == [1, 3, 0, 2, 4])
    }

    @Test(arguments: [1, 2, 3, 64, 1_000])
    func applyRearrangesEveryColumnInPlace(events: Int) {
        var rng = FastRandom(seed: 99 &+ UInt64(events))
        let groupCount = max(1, events / 4)
        let groups = (0..<events).map { _ in Int32(rng.next32() % UInt32(groupCount)) }
        let times = (0..<events).map { _ in Double(rng.next32() % 100) }
        var order = EventOrder(groups: groups, times: times, groupCount: groupCount)
        let expected = order.indices
        var labels = (0..<events).map { "e\($0)" }
        var values = times
        var none: [Int32] = []
        order.apply(to: &labels, &values, &none)
        #expect(labels == expected.map { "e\($0)" })
        #expect(values == expected.map { times[Int($0)] })
        #expect(none.isEmpty)
        // The marks are cleared: the order is unchanged and can be applied again, to any columns.
        #expect(order.indices == expected)
        var flags = (0..<events).map { $0 % 3 == 0 }
        var absent: [Double] = []
        order.apply(to: &none, &absent, &flags)
        #expect(flags == expected.map { $0 % 3 == 0 })
    }

    @Test func anInputTooLargeForOneOrderIsRefusedByName() throws {
        try EventOrder.check(events: EventOrder.maximumEvents, file: "e.tsv")
        let error = #expect(throws: InputError.self) { try EventOrder.check(events: 11, limit: 10, file: "e.tsv") }
        #expect(error?.description.contains("e.tsv") == true)
        #expect(error?.description.contains("11 events; one input holds at most 10") == true)
    }
}
