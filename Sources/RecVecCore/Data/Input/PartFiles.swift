// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
internal import _RecVecPlatform

/// The files an input path stands for: itself, standard input (`-`), or the part files of a
/// directory as Spark, Hive and other map-reduce jobs write them.
public enum PartFiles {
    /// The files to read, in order. A directory gives its files sorted by name, ignoring names that
    /// start with `_` or `.` (`_SUCCESS`, `_temporary`, `.part-0.crc`); it must hold at least one,
    /// and no subdirectory.
    public static func resolve(_ path: String) throws -> [String] {
        if path == "-" { return ["-"] }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(
                file: path,
                errno == ENOENT ? "no such file" : "cannot read: \(String(cString: strerror(errno)))"
            )
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw InputError(file: path, "cannot list the directory: \(error.localizedDescription)")
        }
        let separator = path.hasSuffix("/") ? "" : "/"
        var parts: [String] = []
        for name in names.sorted() where !name.hasPrefix("_") && !name.hasPrefix(".") {
            let full = path + separator + name
            var partInfo = stat()
            guard stat(full, &partInfo) == 0 else {
                throw InputError(file: full, "cannot read: \(String(cString: strerror(errno)))")
            }
            if (partInfo.st_mode & S_IFMT) == S_IFDIR {
                throw InputError(
                    file: full,
                    "is a directory: a directory of part files is read one level deep (names starting with '_' or '.' are skipped)"
                )
            }
            parts.append(full)
        }
        if parts.isEmpty {
            throw InputError(
                file: path,
                "is a directory without part files (names starting with '_' or '.' are skipped)"
            )
        }
        return parts
    }

    /// The name that tells the format of `path`'s data (`.csv` means commas): the first part of a
    /// directory, without a `.gz` suffix.
    public static func formatName(_ path: String) -> String {
        var name = path
        if path != "-", let parts = try? resolve(path), let first = parts.first { name = first }
        if name.lowercased().hasSuffix(".gz") { name.removeLast(3) }
        return name
    }
}
