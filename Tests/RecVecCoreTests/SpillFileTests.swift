// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

@testable import RecVecCore

/// Arrays built in unlinked temporary files (evaluation's split and the model's corpus of a
/// prepared corpus): the same values as in memory, mapped, nothing left on disk, clear errors.
struct SpillFileTests {
    @Test func aSpilledArrayHoldsWhatAnArrayInMemoryHolds() throws {
        let folder = TemporaryFolder()
        // More than one buffer's worth (1 MB), so that several writes and a partial one happen.
        let values = (0..<600_000).map { Int32(truncatingIfNeeded: $0 &* 2_654_435_761) }
        var spilled = try FlatArray<Int32>.Builder(spilled: true, directory: folder.path)
        var memory = FlatArray<Int32>.Builder()
        #expect(spilled.isSpilled && !memory.isSpilled)
        for v in values.prefix(1_000) {
            spilled.append(v)
            memory.append(v)
        }
        spilled.append(contentsOf: values.dropFirst(1_000))
        memory.append(contentsOf: values.dropFirst(1_000))
        #expect(spilled.count == values.count)
        let a = try spilled.finish()
        let b = try memory.finish()
        #expect(a.isMapped && !b.isMapped)
        #expect(a == b && Array(a) == values)
        // The file was unlinked when made: nothing is left in the folder, even while mapped.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // Pages given back are read again from the file.
        a.releasePages(0..<a.count)
        #expect(Array(a) == values)
        let empty = try FlatArray<Double>.Builder(spilled: true, directory: folder.path).finish()
        #expect(empty.isEmpty)
    }

    @Test func spilledRowsEqualRowsInMemory() throws {
        let folder = TemporaryFolder()
        let rows: [[Double]] = [[1, 2, 3], [], [4], [5, 6]]
        var spilled = try FlatRows<Double>.Builder(spilled: true)
        for r in rows { spilled.append(r) }
        #expect(spilled.isSpilled && spilled.count == 4)
        let flat = try spilled.finish()
        #expect(flat.values.isMapped && flat == FlatRows(rows) && flat.nested == rows)
        var memory = try FlatRows<Double>.Builder(spilled: false)
        for r in rows { memory.append(r) }
        #expect(!memory.isSpilled && memory.rows == flat)
        _ = folder
    }

    /// A walk over mapped rows (with times alongside) visits every row in order, past the stretch
    /// after which it gives pages back, and the rows read the same afterwards; builders stored
    /// like mapped rows spill, like rows in memory do not.
    @Test func walkingMappedRowsVisitsEveryRowInOrder() throws {
        let n = (1 << 18) * 2 + 5
        var rows = try FlatRows<Int32>.Builder(spilled: true)
        var times = try FlatRows<Double>.Builder(spilled: true)
        for i in 0..<n {
            rows.append(Array(repeating: Int32(truncatingIfNeeded: i), count: i % 3))
            times.append(Array(repeating: Double(i), count: i % 3))
        }
        let mapped = try rows.finish()
        let mappedTimes = try times.finish()
        var next = 0
        var sum = 0
        mapped.forEachRow(alongside: mappedTimes) { i, row in
            #expect(i == next)
            next += 1
            sum += row.count
            if i % 100_003 == 0 { #expect(row.allSatisfy { $0 == Int32(i) } && mappedTimes[i].count == row.count) }
        }
        #expect(next == n && sum == mapped.valueCount)
        #expect(mapped[n - 1].count == (n - 1) % 3 && mapped[n - 1].allSatisfy { $0 == Int32(n - 1) })
        #expect(mappedTimes[7].elementsEqual([7]))
        #expect(try FlatRows<Int32>.Builder(storedLike: mapped).isSpilled)
        #expect(!(try FlatRows<Double>.Builder(storedLike: FlatRows<Int32>([[1]])).isSpilled))
    }

    @Test func aFolderThatCannotHoldTheFileIsNamed() {
        let folder = TemporaryFolder()
        let missing = folder.file("no-such-folder")
        #expect(throws: InputError.self) { _ = try FlatArray<Int32>.Builder(spilled: true, directory: missing) }
        do {
            _ = try FlatRows<Int32>.Builder(spilled: false)  // in memory: no file, no error
            _ = try FlatArray<Int32>.Builder(spilled: true, directory: missing)
        } catch let e as InputError {
            #expect(e.file == missing && e.message.contains("cannot create a temporary file"))
            #expect(e.message.contains("TMPDIR"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
