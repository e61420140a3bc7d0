// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import Logging
import RecVecCore
import Synchronization

/// Holds the model being served and replaces it on reload.
///
/// Readers take the current ``ServingModel`` reference under a lock held only for the copy, and use
/// it for their whole request: a reload that lands meanwhile swaps the reference, never the
/// instance, so in-flight requests finish on the old model. Loading runs on its own queue, off the
/// request threads; a file that fails to load leaves the old model in place.
public final class ModelStore: Sendable {
    private let model: Mutex<ServingModel>
    private let loading = DispatchQueue(label: "recvec.serve.reload")
    let metrics: ServerMetrics
    let logger: Logger

    public init(
        _ initial: ServingModel,
        metrics: ServerMetrics = ServerMetrics(),
        logger: Logger = Logger(label: "recvec.serve")
    ) {
        model = Mutex(initial)
        self.metrics = metrics
        self.logger = logger
    }

    /// The model to answer the current request with.
    public var current: ServingModel { model.withLock { $0 } }

    /// Re-reads the current model's files and swaps the new model in; on failure keeps serving the
    /// old one, logs why, counts a failed reload and rethrows.
    @discardableResult
    public func reload() async throws -> ServingModel {
        let source = current.source
        let result: Result<ServingModel, any Error> = await withCheckedContinuation { continuation in
            loading.async { continuation.resume(returning: Result { try ServingModel.load(source) }) }
        }
        switch result {
        case .success(let fresh):
            model.withLock { $0 = fresh }
            metrics.countReload(ok: true)
            logger.info(
                "reloaded model",
                metadata: [
                    "file": "\(source.modelPath)", "vocabulary": "\(fresh.vocabulary.count)",
                    "items": "\(fresh.itemCount)",
                ]
            )
            return fresh
        case .failure(let error):
            metrics.countReload(ok: false)
            logger.error(
                "reload failed; still serving the previous model",
                metadata: ["file": "\(source.modelPath)", "error": "\(error)"]
            )
            throw error
        }
    }
}
