// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Per-group negative tables: for each group (the items sharing the first value of one metadata
/// field), an alias table (Walker 1977) over its members with probability ∝ count^exponent
/// (exponent 0: uniform within the group), and for each token its group.
///
/// All tables live in flat buffers, so a draw is one random number and two reads, with no
/// allocation or reference counting.
public struct GroupNegativeSampler: @unchecked Sendable {
    /// Per token id: its group, or −1.
    @usableFromInline let groupOf: UnsafeMutablePointer<Int32>
    /// Per group g: its members (and their alias slots) are at `start[g]..<start[g + 1]`.
    @usableFromInline let start: UnsafeMutablePointer<Int>
    @usableFromInline let members: UnsafeMutablePointer<Int32>
    /// Alias slots, as ``NegativeSampler``'s: bits 0–31 the acceptance threshold, bits 32–63 the
    /// alias (an index within the group).
    @usableFromInline let slots: UnsafeMutablePointer<UInt64>
    /// Number of groups.
    public let groupCount: Int
    /// Tokens the table covers (the vocabulary size).
    public let tokenCount: Int
    private let storage: Storage

    private final class Storage: @unchecked Sendable {
        let groupOf: UnsafeMutablePointer<Int32>
        let start: UnsafeMutablePointer<Int>
        let members: UnsafeMutablePointer<Int32>
        let slots: UnsafeMutablePointer<UInt64>
        init(tokens: Int, groups: Int, members: Int) {
            groupOf = .allocate(capacity: max(1, tokens))
            start = .allocate(capacity: groups + 1)
            self.members = .allocate(capacity: max(1, members))
            slots = .allocate(capacity: max(1, members))
        }
        deinit {
            groupOf.deallocate()
            start.deallocate()
            members.deallocate()
            slots.deallocate()
        }
    }

    /// Builds the tables from explicit groups: `groupOf[token]` (−1 = none), with the draw
    /// probability of a member ∝ `counts[member]`^`exponent`.
    public init(groupOf groups: [Int32], counts: [Int64], exponent: Double) {
        precondition(groups.count == counts.count)
        let groupCount = Int(groups.max() ?? -1) + 1
        var lists = [[Int32]](repeating: [], count: groupCount)
        for (token, g) in groups.enumerated() where g >= 0 { lists[Int(g)].append(Int32(token)) }
        let total = lists.reduce(0) { $0 + $1.count }
        storage = Storage(tokens: groups.count, groups: groupCount, members: total)
        groupOf = storage.groupOf
        start = storage.start
        members = storage.members
        slots = storage.slots
        self.groupCount = groupCount
        tokenCount = groups.count
        groupOf.initialize(from: groups, count: groups.count)
        var offset = 0
        for (g, list) in lists.enumerated() {
            start[g] = offset
            if !list.isEmpty {
                // One alias table per group, built as the global one is.
                let table = NegativeSampler(counts: list.map { counts[Int($0)] }, exponent: exponent)
                for (n, member) in list.enumerated() {
                    members[offset + n] = member
                    slots[offset + n] = table.slots[n]
                }
            }
            offset += list.count
        }
        start[groupCount] = offset
    }

    /// Groups the items (ids `0..<itemCount` of `vocabulary`) by the first value of `field` in
    /// `metadata`; later tokens (metadata values) get no group.
    /// - Throws: ``ConfigurationError`` when the field does not exist.
    public init(vocabulary: Vocabulary, itemCount: Int, metadata: ItemMetadata, field: String, exponent: Double) throws
    {
        guard let map = metadata.fields[field] else {
            throw ConfigurationError(
                setting: "group_negatives",
                "no field '\(field)' in the metadata (fields: \(metadata.fields.keys.sorted().joined(separator: ", ")))"
            )
        }
        var index: [String: Int32] = [:]
        var groups = [Int32](repeating: -1, count: vocabulary.count)
        for i in 0..<itemCount {
            guard let value = map[vocabulary.tokens[i]]?.first else { continue }
            if let g = index[value] {
                groups[i] = g
            } else {
                let g = Int32(index.count)
                index[value] = g
                groups[i] = g
            }
        }
        self.init(groupOf: groups, counts: vocabulary.counts, exponent: exponent)
    }

    /// The group of `token`, or −1.
    @inlinable @inline(__always)
    public func group(of token: Int32) -> Int32 { groupOf[Int(token)] }

    /// The members of group `g`.
    public func members(of g: Int32) -> [Int32] {
        Array(UnsafeBufferPointer(start: members + start[Int(g)], count: start[Int(g) + 1] - start[Int(g)]))
    }

    /// Number of members of group `g`.
    @inlinable @inline(__always)
    public func size(of g: Int32) -> Int { start[Int(g) + 1] - start[Int(g)] }

    /// One draw from group `g` (which must have members).
    @inlinable @inline(__always)
    public func sample(group g: Int32, _ rng: inout FastRandom) -> Int32 {
        let base = start[Int(g)]
        let n = start[Int(g) + 1] - base
        let r = rng.next()
        let i = Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: n).multipliedFullWidth(by: r).high)
        let slot = slots[base + i]
        let threshold = slot & 0xFFFF_FFFF
        let pick = (r & 0xFFFF_FFFF) < threshold || threshold == 0xFFFF_FFFF ? i : Int(truncatingIfNeeded: slot >> 32)
        return members[base + pick]
    }
}
