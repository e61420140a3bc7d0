// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import _RecVecShims

/// Keeps the resident memory of a process that loads model after model (a server reloading its
/// file) near the size of the models it holds.
///
/// glibc serves a large block from a memory mapping only while the block is over its mmap
/// threshold, and raises that threshold to the size of every mapped block that is freed: after the
/// first reload, a model's matrices come from the heap arenas instead, and the pages a replaced
/// model leaves there stay resident (a 10-minute soak with a reload every 10 s grew from 340 MB to
/// 730 MB this way). Elsewhere than glibc both calls do nothing.
public enum MemoryRelease {
    /// Fixes the mmap threshold at 1 MiB, so model-sized blocks are always mapped and unmapped.
    /// Call once, before loading models.
    public static func mapLargeBlocks() { recvec_malloc_fix_mmap_threshold(1 << 20) }

    /// Returns the free pages of every heap arena to the system (`malloc_trim`); call after a
    /// replaced model was released.
    public static func returnFreePages() { recvec_malloc_trim() }
}
