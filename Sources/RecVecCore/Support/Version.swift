// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// Facts about this build of RecVec.
public enum RecVec {
    /// The release of RecVec, as `recvec --version` prints it and CHANGELOG.md lists it.
    ///
    /// Versions follow [Semantic Versioning](https://semver.org). This is the one place that
    /// names the version: bump it together with a new section in CHANGELOG.md.
    public static let version = "0.1.0"
}
