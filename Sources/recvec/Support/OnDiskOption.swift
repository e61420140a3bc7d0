// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser

/// `--on-disk` of `train`, `evaluate` and `tune`: a text input is parsed into temporary files and
/// read mapped, as a prepared corpus is, instead of held in memory.
struct OnDiskOption: ParsableArguments {
    @Flag(
        help:
            "Hold a text input's parse and corpus in temporary files in $TMPDIR, read mapped like a prepared corpus, instead of in memory (what prepare does by default): for logs near the memory's size. A prepared corpus is mapped either way."
    )
    var onDisk = false
}
