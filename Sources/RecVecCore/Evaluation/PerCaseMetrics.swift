// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// One model's metric values on each test case, kept so that the uncertainty of the means can be
/// measured (``Bootstrap``) and two models compared case by case (``PairedComparison``).
///
/// The columns are `hr@k`, `mrr@k`, `ndcg@k` and `popularity@k` for each cut-off k: the metrics that
/// are means over test cases. (`coverage@k` counts distinct items over all lists; it has no
/// per-case value.) One `Float` per case and column.
public struct PerCaseMetrics: Sendable, Equatable {
    /// The metric families with a per-case value, in column order.
    public static let families = ["hr", "mrr", "ndcg", "popularity"]

    /// Column names: every family of ``families`` at every cut-off, family by family.
    public let names: [String]
    /// Row-major values: case `c`'s are `values[c * names.count ..< (c + 1) * names.count]`.
    public private(set) var values: [Float]
    /// Each case's unit of resampling when cases come in groups (the positions of one test session):
    /// equal labels, one group. `nil`: every case is a unit of its own.
    public private(set) var groups: [Int]?

    /// The column names for `cutoffs` (ascending): `hr@1, hr@5, …, mrr@1, …, popularity@k`.
    public static func names(cutoffs: [Int]) -> [String] {
        families.flatMap { f in cutoffs.map { "\(f)@\($0)" } }
    }

    /// No cases yet.
    public init(cutoffs: [Int]) {
        names = Self.names(cutoffs: cutoffs.sorted())
        values = []
    }

    /// Cases with the given row-major `values` (`values.count` a multiple of `names.count`) and,
    /// when they come in groups, each case's group label.
    public init(names: [String], values: [Float], groups: [Int]? = nil) {
        precondition(!names.isEmpty && values.count % names.count == 0, "values must fill whole rows")
        precondition(groups == nil || groups!.count == values.count / names.count, "a group per case")
        self.names = names
        self.values = values
        self.groups = groups
    }

    /// The groups as dense indices `0..<groupCount` in order of first appearance, one per case
    /// (every case its own group when there are none).
    public var groupIndices: (indices: [Int], groupCount: Int) {
        guard let groups else { return (Array(0..<count), count) }
        var dense: [Int: Int] = [:]
        let indices = groups.map { g in
            if let d = dense[g] { return d }
            dense[g] = dense.count
            return dense.count - 1
        }
        return (indices, dense.count)
    }

    /// Number of test cases.
    public var count: Int { values.count / names.count }

    /// The column of `name`, or `nil`.
    public func column(named name: String) -> Int? { names.firstIndex(of: name) }

    /// The values of column `j`, one per case.
    public func column(_ j: Int) -> [Float] {
        stride(from: j, to: values.count, by: names.count).map { values[$0] }
    }

    /// The mean of column `j` over the cases (0 when there are none).
    public func mean(_ j: Int) -> Double {
        guard count > 0 else { return 0 }
        return stride(from: j, to: values.count, by: names.count).reduce(0.0) { $0 + Double(values[$1]) }
            / Double(count)
    }

    /// Appends whole rows (the same columns), each a case of its own.
    public mutating func append(rows: [Float]) {
        precondition(rows.count % names.count == 0, "rows must be whole")
        if let groups {
            let next = (groups.max() ?? -1) + 1
            self.groups = groups + (0..<(rows.count / names.count)).map { next + $0 }
        }
        values += rows
    }

    /// Appends the cases of `other` (the same columns); its groups stay apart from these.
    public mutating func append(_ other: PerCaseMetrics) {
        precondition(other.names == names, "different columns")
        if groups != nil || other.groups != nil {
            let mine = groupIndices
            let theirs = other.groupIndices
            groups = mine.indices + theirs.indices.map { $0 + mine.groupCount }
        }
        values += other.values
    }
}
