// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import RecVecCore
internal import _RecVecPlatform

/// Loads a native model, or word2vec vectors (text or binary) when the file is not one.
func loadModel(_ path: String) throws -> EmbeddingModel {
    if ModelFile.isModelFile(path) { return try ModelFile.read(from: path) }
    if access(path, F_OK) != 0 { throw ModelFileError(file: path, "no such file") }
    do {
        return try Word2VecFormat.read(from: path)
    } catch let error as InputError {
        throw ModelFileError(file: path, "neither a RecVec model nor word2vec vectors (\(error.description))")
    }
}

/// Fails early, before minutes of training, if `path` cannot be written.
func checkWritable(_ path: String, option: String) throws {
    // The folder part by hand: NSString's deletingLastPathComponent traps on one-character names.
    let dir: String
    if let slash = path.lastIndex(of: "/") {
        dir = slash == path.startIndex ? "/" : String(path[..<slash])
    } else {
        dir = "."
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw ConfigurationError(setting: option, "folder '\(dir)' does not exist")
    }
    guard access(dir, W_OK) == 0 else { throw ConfigurationError(setting: option, "folder '\(dir)' is not writable") }
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        throw ConfigurationError(setting: option, "'\(path)' is a directory")
    }
}

/// Prints a value as pretty, key-sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    print(try ReportJSON.encode(value))
}
