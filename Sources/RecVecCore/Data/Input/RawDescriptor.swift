// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// `read(2)` on a descriptor, retried when a signal interrupts it.
enum RawDescriptor {
    /// Reads up to `buffer.count` bytes; 0 at the end. Errors name `file`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, file: String) throws -> Int {
        while true {
            let n = systemRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError(file: file, "read failed: \(String(cString: strerror(errno)))")
        }
    }
}
