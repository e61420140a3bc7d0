// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// Streaming gzip/zlib decompression with the system's zlib. zlib's initialisation is a macro,
// which Swift cannot call, so the stream lives behind four small functions.
#ifndef RECVEC_ZLIB_H
#define RECVEC_ZLIB_H

#include <stddef.h>
#include <stdint.h>

/// What one call of `recvec_inflate` ended with.
typedef enum {
    /// More input is needed, or the output buffer is full: call again.
    RECVEC_INFLATE_OK = 0,
    /// The end of a compressed member: the bytes after it (if any) start another member.
    RECVEC_INFLATE_END = 1,
    /// The compressed data is corrupt (`recvec_inflate_message` says how).
    RECVEC_INFLATE_DATA_ERROR = -1,
    /// zlib could not allocate its state.
    RECVEC_INFLATE_MEMORY_ERROR = -2,
} recvec_inflate_status;

/// A new decompressor for gzip (or zlib) data, the header detected; NULL when out of memory.
void *recvec_inflate_new(void);

/// Decompresses from `input` into `output`; `consumed` and `produced` receive the byte counts.
recvec_inflate_status recvec_inflate(
    void *stream, const uint8_t *input, size_t inputCount, size_t *consumed,
    uint8_t *output, size_t outputCount, size_t *produced);

/// Starts a new member (after `RECVEC_INFLATE_END`, for concatenated gzip files).
int recvec_inflate_reset(void *stream);

/// zlib's description of the last error, or NULL.
const char *recvec_inflate_message(void *stream);

/// Frees the decompressor.
void recvec_inflate_free(void *stream);

#endif
