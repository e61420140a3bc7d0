// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RecVecCore

/// The line train, evaluate and tune print before a model trains: which kernel its hot loops run
/// on (``VectorKernel/active``), so that a timing can say what it measured.
enum KernelNote {
    /// GRU4Rec's matrix products, when `models` names gru4rec; else `nil`.
    static func line(models: [String]) -> String? {
        guard models.contains(where: { $0 == "gru4rec" || $0.hasPrefix("gru4rec:") }) else { return nil }
        return "gru4rec: matrix products on the \(VectorKernel.active.rawValue) kernel " + choices
    }

    /// The windows of a model of the word2vec family (skip-gram, CBOW and the 2vec models) trained
    /// by `config`; `nil` for other models (GRU4Rec: ``line(models:)``).
    static func line(training config: TrainingConfig) throws -> String? {
        let definition = try ModelRegistry.definition(for: config)
        guard definition.family == .embedding else { return line(models: [definition.name.rawValue]) }
        let loss = config.resolvedLoss
        let kernel = VectorKernel.active.windows(loss: loss, adagrad: config.optimizer == .adagrad)
        let layer =
            switch loss {
            case .negative: "negative sampling"
            case .hierarchical: "hierarchical softmax"
            case .softmax: "full softmax"
            }
        let optimizer = config.optimizer == .adagrad ? "adagrad" : "sgd"
        return "\(definition.name.rawValue): \(layer) (\(optimizer)) on the \(kernel.rawValue) kernel " + choices
    }

    /// What the CPU could run, and how to choose.
    private static var choices: String {
        let supported = VectorKernel.supported.map(\.rawValue).joined(separator: ", ")
        return "(this CPU runs \(supported); RECVEC_KERNEL=portable|avx2|avx512 chooses)"
    }
}
