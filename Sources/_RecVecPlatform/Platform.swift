// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
//
// The C library, imported in one place. Every file of RecVec that calls libc (`open`, `mmap`,
// `read`, `exp`, `clock_gettime`, ...) writes `internal import _RecVecPlatform` instead of
// repeating the `#if canImport(Glibc)` ladder.
//
// `@_exported` makes the C library visible to the files that import this module, and only to
// them: a top-level import is per file in Swift, and the modules of RecVec import this one
// `internal`, so their clients never see Glibc through RecVecCore.

#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#else
#error("RecVec needs Glibc, Musl or Darwin")
#endif
