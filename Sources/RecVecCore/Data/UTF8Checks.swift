// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Whether `bytes` is well-formed UTF-8.
@inline(__always)
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var allASCII = true
    for b in bytes where b >= 0x80 {
        allASCII = false
        break
    }
    if allASCII { return true }
    return String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil
}
