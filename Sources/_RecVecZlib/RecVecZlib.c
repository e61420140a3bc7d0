// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

#include "RecVecZlib.h"

#include <stdlib.h>
#include <zlib.h>

void *recvec_inflate_new(void) {
    z_stream *s = calloc(1, sizeof(z_stream));
    if (s == NULL) return NULL;
    // 15 bits of window, +32: detect a gzip or zlib header.
    if (inflateInit2(s, 15 + 32) != Z_OK) {
        free(s);
        return NULL;
    }
    return s;
}

recvec_inflate_status recvec_inflate(
    void *stream, const uint8_t *input, size_t inputCount, size_t *consumed,
    uint8_t *output, size_t outputCount, size_t *produced) {
    z_stream *s = stream;
    // zlib counts in 32 bits; callers pass chunks of a few MiB.
    uInt inCount = inputCount > 0x40000000u ? 0x40000000u : (uInt)inputCount;
    uInt outCount = outputCount > 0x40000000u ? 0x40000000u : (uInt)outputCount;
    s->next_in = (Bytef *)input;
    s->avail_in = inCount;
    s->next_out = output;
    s->avail_out = outCount;
    int rc = inflate(s, Z_NO_FLUSH);
    *consumed = inCount - s->avail_in;
    *produced = outCount - s->avail_out;
    switch (rc) {
    case Z_OK:
    case Z_BUF_ERROR:  // no progress possible: more input or more output space is needed
        return RECVEC_INFLATE_OK;
    case Z_STREAM_END:
        return RECVEC_INFLATE_END;
    case Z_MEM_ERROR:
        return RECVEC_INFLATE_MEMORY_ERROR;
    default:  // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR
        return RECVEC_INFLATE_DATA_ERROR;
    }
}

int recvec_inflate_reset(void *stream) { return inflateReset((z_stream *)stream) == Z_OK ? 0 : -1; }

const char *recvec_inflate_message(void *stream) { return ((z_stream *)stream)->msg; }

void recvec_inflate_free(void *stream) {
    if (stream == NULL) return;
    inflateEnd((z_stream *)stream);
    free(stream);
}
