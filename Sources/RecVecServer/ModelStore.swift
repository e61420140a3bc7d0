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
///
/// Reloads are merged: at most one load runs. A reload asked for while one runs waits for the next
/// load, which starts when the running one ends and which every reload asked for meanwhile shares;
/// so each caller gets a model read after it asked (a file replaced just before is seen), and a
/// burst of reloads costs at most two loads.
public final class ModelStore: Sendable {
    private let model: Mutex<ServingModel>
    private let loading = DispatchQueue(label: "recvec.serve.reload")
    private let loader: @Sendable (ModelSource) throws -> ServingModel
    private let reloads = Mutex(Reloads())
    let metrics: ServerMetrics
    let logger: Logger

    /// The load running and the one waiting for it, each with a number to recognise it by.
    private struct Reloads {
        var running: (number: Int, task: Task<ServingModel, any Error>)?
        var next: (number: Int, task: Task<ServingModel, any Error>)?
        var count = 0
        var requests = 0
    }

    public convenience init(
        _ initial: ServingModel,
        metrics: ServerMetrics = ServerMetrics(),
        logger: Logger = Logger(label: "recvec.serve")
    ) {
        self.init(initial, metrics: metrics, logger: logger, loader: ServingModel.load)
    }

    /// A store whose reloads call `loader` (tests slow it down).
    init(
        _ initial: ServingModel,
        metrics: ServerMetrics = ServerMetrics(),
        logger: Logger = Logger(label: "recvec.serve"),
        loader: @escaping @Sendable (ModelSource) throws -> ServingModel
    ) {
        model = Mutex(initial)
        self.metrics = metrics
        self.logger = logger
        self.loader = loader
    }

    /// The model to answer the current request with.
    public var current: ServingModel { model.withLock { $0 } }

    /// Re-reads the current model's files and swaps the new model in; on failure keeps serving the
    /// old one, logs why, counts a failed reload and rethrows. Merged with the other reloads asked
    /// for meanwhile (see ``ModelStore``).
    @discardableResult
    public func reload() async throws -> ServingModel {
        let task = reloads.withLock { r -> Task<ServingModel, any Error> in
            r.requests += 1
            if let next = r.next { return next.task }  // join the load that starts next
            r.count += 1
            let number = r.count
            let previous = r.running?.task
            let task = Task<ServingModel, any Error> {
                if let previous { _ = await previous.result }
                self.reloads.withLock { r in
                    if r.next?.number == number {  // it runs now; later reloads wait for the one after
                        r.running = r.next
                        r.next = nil
                    }
                }
                defer { self.reloads.withLock { r in if r.running?.number == number { r.running = nil } } }
                return try await self.load()
            }
            if previous == nil { r.running = (number, task) } else { r.next = (number, task) }
            return task
        }
        return try await task.value
    }

    /// How many reloads were asked for, and how many loads they started.
    var reloadCounts: (requests: Int, loads: Int) { reloads.withLock { ($0.requests, $0.count) } }

    /// One load of the current model's files, swapped in when it succeeds.
    private func load() async throws -> ServingModel {
        let source = current.source
        let loader = self.loader
        let result: Result<ServingModel, any Error> = await withCheckedContinuation { continuation in
            loading.async {
                // The model the previous reload replaced is gone by now (its requests took
                // milliseconds): its pages go back to the system before the new one is read.
                MemoryRelease.returnFreePages()
                continuation.resume(returning: Result { try loader(source) })
            }
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
