// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation

/// The decay functions of V-SKNN (Ludewig & Jannach 2018; the session-rec framework's names):
/// how much a click of the current session weighs by its position, and how much a neighbour's
/// items weigh by how far back the neighbour's most recent shared click lies.
public enum SessionDecay: String, Sendable, Codable, CaseIterable, Equatable {
    /// Every click weighs 1.
    case same
    /// Position p of l weighs p / l; a neighbour reached s clicks back weighs 1 / s.
    case div
    /// Position p of l weighs max(0, 1 − 0.1·(l − p)) (the last click 1, ten clicks back 0);
    /// s clicks back weighs max(0, 1 − 0.1·s).
    case linear
    /// Position p of l weighs 1 / log₁₀(l − p + 1.7); s clicks back weighs 1 / log₁₀(s + 1.7).
    case log
    /// Position p of l weighs (p / l)²; s clicks back weighs 1 / s².
    case quadratic

    /// The weight of the click at 1-based `position` of a session of `length` clicks.
    public func positionWeight(position: Int, length: Int) -> Double {
        let p = Double(position)
        let l = Double(length)
        switch self {
        case .same: return 1
        case .div: return p / l
        case .linear: return max(0, 1 - 0.1 * (l - p))
        case .log: return 1 / log10(l - p + 1.7)
        case .quadratic: return (p / l) * (p / l)
        }
    }

    /// The weight of a neighbour whose most recent click shared with the current session is the
    /// current session's `step`-th click from the end (1 = the last click).
    public func stepWeight(step: Int) -> Double {
        let s = Double(step)
        switch self {
        case .same: return 1
        case .div: return 1 / s
        case .linear: return max(0, 1 - 0.1 * s)
        case .log: return 1 / log10(s + 1.7)
        case .quadratic: return 1 / (s * s)
        }
    }
}
