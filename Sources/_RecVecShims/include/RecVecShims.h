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

// Heap memory of a long-running server (see RecVecCore's MemoryRelease). glibc only: elsewhere
// these do nothing.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
static inline void recvec_malloc_fix_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }
static inline void recvec_malloc_trim(void) { malloc_trim(0); }
#else
static inline void recvec_malloc_fix_mmap_threshold(int bytes) { (void)bytes; }
static inline void recvec_malloc_trim(void) {}
#endif

#endif
