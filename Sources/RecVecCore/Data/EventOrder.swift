// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The order in which an event log's events become sequences — by group (user or session, in order
/// of first appearance), then by time, then by line — and its application to the per-event columns
/// in place, so that reading a log costs about the columns themselves and 4 bytes an event more.
///
/// The groups are dense ids (`0..<groupCount`, numbered as they first appear), so the events are
/// first distributed by group with a counting sort (stable: a group's events keep their line
/// order), and only a group whose times go backwards is sorted again by (time, line). A log written
/// user by user, or in time order, needs no comparison sort at all.
struct EventOrder {
    /// Position k of the sorted log holds the event of line index `indices[k]`.
    private(set) var indices: [UInt32]

    /// The most events one order can hold: the top bit of an index marks visited positions while
    /// the columns are rearranged.
    static let maximumEvents = Int(Int32.max)

    /// Throws unless an input of `events` events fits one order (at most `limit`).
    static func check(events: Int, limit: Int = maximumEvents, file: String) throws {
        if events > limit {
            throw InputError(
                file: file,
                "\(events) events; one input holds at most \(limit) (split the log by user or session into smaller logs)"
            )
        }
    }

    /// The order of the events of arrays `groups` and `times` (see the buffers' initialiser).
    init(groups: [Int32], times: [Double], groupCount: Int) {
        self = groups.withUnsafeBufferPointer { g in
            times.withUnsafeBufferPointer { t in EventOrder(groups: g, times: t, groupCount: groupCount) }
        }
    }

    /// The order of `groups.count` events whose group ids are `groups` (each in `0..<groupCount`)
    /// and times `times`. `groups.count` must be at most ``maximumEvents``.
    init(groups: UnsafeBufferPointer<Int32>, times: UnsafeBufferPointer<Double>, groupCount: Int) {
        precondition(groups.count == times.count && groups.count <= Self.maximumEvents)
        var starts = [Int](repeating: 0, count: groupCount + 1)
        for g in groups { starts[Int(g) + 1] += 1 }
        for g in 0..<groupCount { starts[g + 1] += starts[g] }
        var next = starts
        var indices = [UInt32](repeating: 0, count: groups.count)
        for (i, g) in groups.enumerated() {
            indices[next[Int(g)]] = UInt32(i)
            next[Int(g)] += 1
        }
        // Within a group the indices ascend; a group whose times do not is sorted by (time, index).
        indices.withUnsafeMutableBufferPointer { order in
            let t = times
            do {
                for g in 0..<groupCount {
                    let range = starts[g]..<starts[g + 1]
                    var inOrder = true
                    for k in range.dropFirst() where t[Int(order[k - 1])] > t[Int(order[k])] {
                        inOrder = false
                        break
                    }
                    if inOrder { continue }
                    var slice = UnsafeMutableBufferPointer(rebasing: order[range])
                    slice.sort { a, b in
                        let (ta, tb) = (t[Int(a)], t[Int(b)])
                        return ta != tb ? ta < tb : a < b
                    }
                }
            }
        }
        self.indices = indices
    }

    /// Rearranges up to three columns (one value per event, in line order; an empty column is left
    /// alone) into the sorted order, in place: position k receives what was at `indices[k]`. One
    /// walk along the permutation's cycles moves every column (on a large log each step is a cache
    /// miss, so the columns share it), marking the positions done in the indices' top bit and
    /// clearing the marks at the end.
    mutating func apply<A, B, C>(to a: inout [A], _ b: inout [B], _ c: inout [C]) {
        let n = indices.count
        precondition([a.count, b.count, c.count].allSatisfy { $0 == 0 || $0 == n })
        if a.isEmpty && b.isEmpty && c.isEmpty { return }
        let visited: UInt32 = 1 << 31
        indices.withUnsafeMutableBufferPointer { order in
            a.withUnsafeMutableBufferPointer { a in
                b.withUnsafeMutableBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        for start in 0..<n where order[start] & visited == 0 {
                            let first = (
                                a.isEmpty ? nil : a[start], b.isEmpty ? nil : b[start], c.isEmpty ? nil : c[start]
                            )
                            var k = start
                            while true {
                                let source = Int(order[k])
                                order[k] |= visited
                                if source == start {
                                    if let v = first.0 { a[k] = v }
                                    if let v = first.1 { b[k] = v }
                                    if let v = first.2 { c[k] = v }
                                    break
                                }
                                if !a.isEmpty { a[k] = a[source] }
                                if !b.isEmpty { b[k] = b[source] }
                                if !c.isEmpty { c[k] = c[source] }
                                k = source
                            }
                        }
                        for k in 0..<n { order[k] &= ~visited }
                    }
                }
            }
        }
    }
}
