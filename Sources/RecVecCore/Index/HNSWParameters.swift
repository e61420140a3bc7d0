// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The knobs of a Hierarchical Navigable Small World graph (Malkov & Yashunin 2018,
/// "Efficient and robust approximate nearest neighbor search using Hierarchical Navigable Small
/// World graphs", IEEE TPAMI 42(4), doi:10.1109/TPAMI.2018.2889473).
public struct HNSWParameters: Sendable, Codable, Equatable {
    /// Links per node on the upper layers; the bottom layer keeps up to `2 · m`. Default 16.
    public var m: Int = 16
    /// Candidate list size while inserting (larger: better graph, slower build). Default 200.
    public var efConstruction: Int = 200
    /// Candidate list size while searching, unless a query asks for another (larger: better
    /// recall, slower queries; never below the number of answers asked). Default 100.
    public var efSearch: Int = 100
    /// Seeds the random layer of each node: a build on one thread is fully determined by the
    /// vectors, the parameters and the seed. Default 1.
    public var seed: UInt64 = 1

    public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 100, seed: UInt64 = 1) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
    }

    /// Links per node on the bottom layer (layer 0): `2 · m`, as the paper recommends.
    public var maxLinks0: Int { 2 * m }

    /// Throws a ``ConfigurationError`` naming the option for a value out of range.
    public func validate() throws {
        if !(2...256).contains(m) { throw ConfigurationError(setting: "m", "must be in 2...256") }
        if efConstruction < 1 { throw ConfigurationError(setting: "ef_construction", "must be at least 1") }
        if efSearch < 1 { throw ConfigurationError(setting: "ef_search", "must be at least 1") }
    }
}
