// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Assigns dense provisional ids to byte strings in order of first appearance and counts them.
///
/// An open-addressing hash table over one byte arena: interning a token that was seen before
/// allocates nothing, which is what lets a 12 M-token corpus be read in about a second.
/// Strings are decoded only once per distinct token, when the vocabulary is built.
struct TokenInterner {
    /// All distinct tokens' bytes, back to back.
    private(set) var arena: [UInt8] = []
    /// `starts[id]..<starts[id + 1]` is token `id` in `arena`.
    private(set) var starts: [Int] = [0]
    /// Occurrences of each provisional id.
    var counts: [Int64] = []
    private var hashes: [UInt64] = []
    /// Slots hold `id + 1`; 0 is empty.
    private var table: [Int32]
    private var mask: Int

    init(capacity: Int = 1 << 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct tokens.
    var count: Int { counts.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        // FNV-1a, 64-bit.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
        }
        return h ^ (h >> 29)
    }

    /// The id of `bytes`, inserting it if new. `isNew` tells the caller to validate it once.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer, isNew: inout Bool) -> Int32 {
        let h = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, bytes) {
                counts[id] += 1
                isNew = false
                return Int32(id)
            }
            slot = (slot + 1) & mask
        }
        let id = counts.count
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        counts.append(1)
        hashes.append(h)
        table[slot] = Int32(id + 1)
        isNew = true
        if counts.count * 2 > table.count { grow() }
        return Int32(id)
    }

    /// The id of `bytes` if known, without counting.
    func lookup(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        let h = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, bytes) { return Int32(id) }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id]
        let end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { arenaBytes in
            bytes.count == 0 || memcmp(arenaBytes.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: 0, count: size)
        mask = size - 1
        for id in 0..<counts.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(id + 1)
        }
    }

    /// The token `id` decoded as UTF-8 (validated when it was first seen).
    func string(_ id: Int) -> String {
        arena.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[starts[id]..<starts[id + 1]]), as: UTF8.self)
        }
    }
}
