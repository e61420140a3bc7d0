// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

#if canImport(Glibc)
import Glibc
#endif

/// The readers take paths, as users give them: each input is written to a file in memory
/// (/dev/shm, else /tmp) under a name of this process, with the extension the reader looks at.
enum ScratchFile {
    static let folder: String = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"

    /// The scratch path with `suffix` (".tsv", ".csv", ".txt", ".bin", ".rvmodel"…).
    static func path(_ suffix: String) -> String { "\(folder)/recvec-fuzz-\(getpid())\(suffix)" }

    /// Writes `parts` one after the other to `path(suffix)` and returns the path.
    @discardableResult
    static func write(_ suffix: String, _ parts: UnsafeRawBufferPointer...) -> String {
        let path = path(suffix)
        guard let f = fopen(path, "wb") else { fail("cannot write \(path)") }
        for p in parts where p.count > 0 {
            guard fwrite(p.baseAddress, 1, p.count, f) == p.count else { fail("cannot write \(path)") }
        }
        fclose(f)
        return path
    }
}
