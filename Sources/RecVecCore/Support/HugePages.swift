// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// Allocations that training reads at random rows — the embedding matrices, the negative
/// sampler's table — backed by transparent huge pages where the system offers them.
///
/// Training reaches a random row of a matrix for every negative and every context: with 4 KiB
/// pages a matrix of tens of megabytes spans far more pages than the TLB holds, and nearly every
/// row read pays a page walk on top of its cache miss. A 2 MiB-aligned block with
/// `madvise(MADV_HUGEPAGE)` is mapped in 2 MiB pages on Linux systems whose
/// `/sys/kernel/mm/transparent_hugepage/enabled` says `always` or `madvise` (the default of most
/// distributions); elsewhere the advice does nothing. Measured in docs/benchmarks.md.
///
/// `RECVEC_HUGE_PAGES=0` in the environment turns it off (for comparisons).
enum HugePages {
    /// Blocks from this size on are aligned and advised; smaller ones are left to `malloc`.
    static let threshold = 4 << 20

    /// The huge page size the blocks are aligned to (x86-64 and arm64 with 4 KiB base pages).
    static let alignment = 2 << 20

    /// Whether large blocks are advised (false when `RECVEC_HUGE_PAGES=0`).
    static let enabled: Bool = {
        guard let value = getenv("RECVEC_HUGE_PAGES") else { return true }
        return String(cString: value) != "0"
    }()

    /// `byteCount` uninitialised bytes aligned to at least `alignment`; a large block is aligned
    /// to a huge page and advised to be backed by huge pages. Free it with `deallocate()`.
    static func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        if enabled && byteCount >= threshold {
            let p = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: max(alignment, Self.alignment))
            _ = madvise(p, byteCount, MADV_HUGEPAGE)  // advice only: failing leaves 4 KiB pages
            return p
        }
        #endif
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: alignment)
    }
}
