// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RecVecCore

/// The line train, evaluate and tune print before GRU4Rec trains: which kernel its matrix products
/// run on (``VectorKernel/active``), so that a timing can say what it measured.
enum KernelNote {
    /// The note when `models` names gru4rec, else `nil`.
    static func line(models: [String]) -> String? {
        guard models.contains(where: { $0 == "gru4rec" || $0.hasPrefix("gru4rec:") }) else { return nil }
        let supported = VectorKernel.supported.map(\.rawValue).joined(separator: ", ")
        return "gru4rec: matrix products on the \(VectorKernel.active.rawValue) kernel "
            + "(this CPU runs \(supported); RECVEC_KERNEL=portable|avx2|avx512 chooses)"
    }
}
