// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Synchronization
internal import _RecVecPlatform

/// Standard input as an input file (`-`). It can be read once; its start can be looked at before
/// (`--format auto` reads the header line before the reader does), and those bytes are kept for
/// the reader.
final class StandardInput: Sendable {
    static let shared = StandardInput()

    private struct State {
        /// Bytes read by looks ahead and not yet handed to the reader.
        var buffered: [UInt8] = []
        var claimed = false
        var atEnd = false
    }

    private let state = Mutex(State())

    /// The name errors give it.
    static let displayName = "<stdin>"

    /// Takes standard input for a reader; a second reader is refused (the bytes are gone).
    func claim() throws {
        try state.withLock { s in
            if s.claimed {
                throw InputError(
                    file: Self.displayName,
                    "standard input can be read only once, and this command reads its input again: write it to a file"
                )
            }
            s.claimed = true
        }
    }

    /// Byte `offset` on, without taking them from the reader: reads more from the descriptor as needed.
    func peek(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try state.withLock { s in
            while s.buffered.count <= offset && !s.atEnd {
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                let n = try chunk.withUnsafeMutableBytes { try Self.readDescriptor(into: $0) }
                if n == 0 { s.atEnd = true } else { s.buffered.append(contentsOf: chunk[0..<n]) }
            }
            let n = min(buffer.count, max(0, s.buffered.count - offset))
            if n > 0 {
                s.buffered.withUnsafeBytes {
                    buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n)
                }
            }
            return n
        }
    }

    /// The next bytes for the reader: those looked at first, then the descriptor's.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try state.withLock { s in
            if !s.buffered.isEmpty {
                let n = min(buffer.count, s.buffered.count)
                s.buffered.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
                s.buffered.removeFirst(n)
                return n
            }
            if s.atEnd { return 0 }
            let n = try Self.readDescriptor(into: buffer)
            if n == 0 { s.atEnd = true }
            return n
        }
    }

    private static func readDescriptor(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try RawDescriptor.read(0, into: buffer, file: displayName)
    }
}
