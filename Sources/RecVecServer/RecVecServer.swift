// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import Logging

/// How `recvec serve` listens, and the limits it puts on each request.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Larger request bodies are refused with 413.
    public var maxBodyBytes: Int
    /// The most ids one query may name (`item` parameters, `items`, `history`); more: 400.
    public var maxIDs: Int
    /// The bearer token that /admin/* requires; `nil` (or empty) turns those endpoints off (403).
    public var adminToken: String?
    /// How many CPU-heavy requests (map, search, a `k` or a number of ids over 100) run at once, on
    /// threads of their own.
    public var computeThreads: Int
    /// How long a CPU-heavy request may wait for a compute thread and run before it is answered 503.
    public var requestTimeout: Duration

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = 1 << 20,
        maxIDs: Int = 1000,
        adminToken: String? = nil,
        computeThreads: Int = ProcessInfo.processInfo.activeProcessorCount,
        requestTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxIDs = maxIDs
        self.adminToken = adminToken
        self.computeThreads = computeThreads
        self.requestTimeout = requestTimeout
    }
}

/// The HTTP API over a model: JSON endpoints under /v1, /health, /metrics, /openapi.yaml, the
/// explorer page at /, and /admin/reload.
public enum RecVecServer {
    /// A router with every endpoint, behind the metrics and JSON-error middleware.
    public static func router(
        store: ModelStore,
        configuration: ServerConfiguration = .init()
    ) -> Router<BasicRequestContext> {
        router(store: store, configuration: configuration, compute: nil)
    }

    /// The router, running its CPU-heavy requests on `compute` (tests fill one up), else on a new
    /// limiter of `configuration.computeThreads` threads.
    static func router(
        store: ModelStore,
        configuration: ServerConfiguration,
        compute: ComputeLimiter?
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: store.metrics))
        let routes = RouteTable()
        router.add(middleware: ErrorMiddleware(routes: routes))
        RecVecAPI(
            store: store,
            maxBodyBytes: configuration.maxBodyBytes,
            maxIDs: configuration.maxIDs,
            compute: compute
                ?? ComputeLimiter(limit: configuration.computeThreads, timeout: configuration.requestTimeout),
            admin: AdminGuard(token: configuration.adminToken)
        ).register(on: router)
        routes.set(router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
        return router
    }

    /// The application: run it with `runService()` (stops gracefully on SIGINT/SIGTERM).
    public static func application(
        store: ModelStore,
        configuration: ServerConfiguration = .init(),
        logger: Logger? = nil
    )
        -> some ApplicationProtocol
    {
        application(store: store, configuration: configuration, logger: logger, compute: nil)
    }

    static func application(
        store: ModelStore,
        configuration: ServerConfiguration,
        logger: Logger?,
        compute: ComputeLimiter?
    )
        -> some ApplicationProtocol
    {
        Application(
            router: router(store: store, configuration: configuration, compute: compute),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "recvec"
            ),
            logger: logger ?? store.logger
        )
    }
}
