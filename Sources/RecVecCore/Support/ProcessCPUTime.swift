// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

internal import _RecVecPlatform

/// CPU time of the whole process, every thread (user and system), for reports that compare
/// training cost with other tools' `process_time`.
enum ProcessCPUTime {
    /// Seconds since the process started.
    static var seconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
