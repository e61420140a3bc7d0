// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecZlib

/// Streaming gzip decompression with the system's zlib, one member after another (files made by
/// `cat a.gz b.gz`, `pigz` or Hadoop's codec are several members).
final class GzipInflater {
    enum Status { case ok, endOfMember }

    private let stream: UnsafeMutableRawPointer
    /// The file, for errors.
    private let file: String

    init(file: String) throws {
        guard let s = recvec_inflate_new() else {
            throw InputError(file: file, "cannot start gzip decompression (out of memory)")
        }
        self.stream = s
        self.file = file
    }

    deinit { recvec_inflate_free(stream) }

    /// Decompresses from `input` into `output`: the bytes consumed and produced, and whether a
    /// member ended. Corrupt data throws an error naming the file.
    func inflate(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws -> (status: Status, consumed: Int, produced: Int) {
        var consumed = 0
        var produced = 0
        let status = recvec_inflate(
            stream,
            input.baseAddress?.assumingMemoryBound(to: UInt8.self),
            input.count,
            &consumed,
            output.baseAddress!.assumingMemoryBound(to: UInt8.self),
            output.count,
            &produced
        )
        switch status {
        case RECVEC_INFLATE_OK: return (.ok, consumed, produced)
        case RECVEC_INFLATE_END: return (.endOfMember, consumed, produced)
        case RECVEC_INFLATE_MEMORY_ERROR: throw InputError(file: file, "gzip decompression ran out of memory")
        default:
            let detail = recvec_inflate_message(stream).map { String(cString: $0) } ?? "invalid data"
            throw InputError(file: file, "corrupt gzip data (\(detail))")
        }
    }

    /// Starts the next member.
    func reset() throws {
        if recvec_inflate_reset(stream) != 0 { throw InputError(file: file, "cannot restart gzip decompression") }
    }
}
