// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

extension ProcessGroup {
    /// Every process's `values`, concatenated in rank order, in every process (JSON on the wire):
    /// how the processes share the rows, trials and results each computed alone.
    public func allGather<T: Codable>(encoding values: [T]) throws -> [T] {
        try allGather(Array(JSONEncoder().encode(values))).flatMap {
            try JSONDecoder().decode([T].self, from: Data($0))
        }
    }
}
