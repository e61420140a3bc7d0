// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// Per-thread scratch buffers start on a line boundary and fill whole lines, so two threads'
/// buffers never share a cache line.
struct ThreadScratchTests {
    @Test func buffersStartOnALineAndNeverShareOne() {
        var lines: [(Int, Int)] = []  // the [first, last] line of each buffer
        var frees: [() -> Void] = []  // all stay allocated until the end, so none is reused
        defer {
            for free in frees { free() }
        }
        func take<T>(_ type: T.Type, _ count: Int, _ fill: T) {
            let p = ThreadScratch.allocate(type, count: count)
            frees.append { p.deallocate() }
            let start = Int(bitPattern: p)
            #expect(start % ThreadScratch.lineSize == 0, "\(type) × \(count) at \(start)")
            p.initialize(repeating: fill, count: max(1, count))  // the whole requested room is usable
            let end = start + max(1, count) * MemoryLayout<T>.stride - 1
            lines.append((start / ThreadScratch.lineSize, end / ThreadScratch.lineSize))
        }
        // Small and odd sizes, as a kernel's targets and draws are, and one a line long.
        for round in 0..<8 {
            take(Int32.self, 6, Int32(round))
            take(UInt64.self, 5, UInt64(round))
            take(Float.self, 112, 1)
            take(Int32.self, 0, 0)
            take(UInt8.self, ThreadScratch.lineSize, 7)
            take(TrainingKernelSlotProbe.self, 1, TrainingKernelSlotProbe())
        }
        let sorted = lines.sorted { $0.0 < $1.0 }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(a.1 < b.0, "buffers on lines \(a) and \(b) share a line")
        }
    }
}

/// A value larger than a line that is not a multiple of it (a kernel is a few hundred bytes).
private struct TrainingKernelSlotProbe {
    var a: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
