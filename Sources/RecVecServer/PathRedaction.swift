// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// Keeps file system paths out of what the server answers: clients see file names only (the log
/// has the full paths, for the operator).
enum PathRedaction {
    /// The last component of `path`.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `text` with the paths of `source` replaced by their file names, and then every other
    /// absolute path (a `/` at the start or after a space, quote, bracket, `=`, `:` or `,`, up to the
    /// next such character) by its last component.
    static func redact(_ text: String, source: ModelSource) -> String {
        var text = text
        let paths = [source.modelPath, source.modelPath + ".hnsw", source.metadataPath].compactMap { $0 }
        for path in paths.sorted(by: { $0.count > $1.count }) where path.contains("/") {
            text = text.replacingOccurrences(of: path, with: fileName(path))
        }
        return redactAbsolutePaths(text)
    }

    /// `text` with every absolute path replaced by its last component.
    static func redactAbsolutePaths(_ text: String) -> String {
        let boundaries: Set<Character> = [" ", "\t", "\n", "\"", "'", "“", "‘", "(", "[", "{", "<", "=", ":", ","]
        let ends: Set<Character> = [" ", "\t", "\n", "\"", "'", "”", "’", ")", "]", "}", ">", ",", ";"]
        var out = ""
        var index = text.startIndex
        var previous: Character?
        while index < text.endIndex {
            let c = text[index]
            guard c == "/", previous == nil || boundaries.contains(previous!) else {
                out.append(c)
                previous = c
                index = text.index(after: index)
                continue
            }
            let end = text[index...].firstIndex { ends.contains($0) } ?? text.endIndex
            let run = text[index..<end]
            let last = run.split(separator: "/").last
            out += last.map(String.init) ?? String(run)
            previous = run.last
            index = end
        }
        return out
    }
}
