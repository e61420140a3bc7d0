// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// The one thing Swift cannot say: a software prefetch hint. Training touches random rows of
// matrices far larger than the caches; asking for all rows of an example before computing on
// the first lets their cache misses overlap instead of queueing.
#ifndef RECVEC_SHIMS_H
#define RECVEC_SHIMS_H

static inline __attribute__((always_inline)) void recvec_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

static inline __attribute__((always_inline)) void recvec_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
