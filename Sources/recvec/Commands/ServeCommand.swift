// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import Logging
import RecVecCore
import RecVecServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over HTTP: similar items, recommendations, analogies, search, a 2-D map, metrics.",
        discussion: """
            Endpoints: GET /health, /v1/info, /v1/similar?item=ID&k=10, /v1/vector/ID, /v1/search?q=TEXT, \
            /v1/map?field=genre, /metrics, /openapi.yaml, / (explorer); POST /v1/similar, /v1/recommend, \
            /v1/analogy, /admin/reload.

            SIGHUP or POST /admin/reload re-reads the model file (and the metadata); a file that fails to \
            load leaves the old model serving. /admin/* is off unless RECVEC_ADMIN_TOKEN (or \
            --admin-token) gives the token it then requires (Authorization: Bearer TOKEN). SIGTERM or \
            SIGINT stops the server once the requests under way are answered.
            """
    )

    @Argument(help: "A RecVec model file.")
    var model: String

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: "Item metadata (TSV: item_id, field, value) whose --label-field labels the items.")
    var metadata: String?

    @Option(help: "The metadata field that labels items.")
    var labelField = "title"

    @Option(help: "Largest request body accepted, in bytes (larger: 413).")
    var maxBodyBytes = 1 << 20

    @Option(help: "The most ids one query may name (item=, items, history; more: 400).")
    var maxIds = 1000

    @Option(
        help: ArgumentHelp(
            "The token /admin/* requires (Authorization: Bearer TOKEN); without it or RECVEC_ADMIN_TOKEN, /admin/* is off.",
            discussion: "Prefer the environment variable: other users can read a command line.",
            valueName: "token"
        )
    )
    var adminToken: String?

    @Option(help: "CPU-heavy requests (map, search, k or ids over 100) answered at once (default: the cores).")
    var computeThreads: Int?

    @Option(help: "Seconds a CPU-heavy request may wait and run before it gets 503.")
    var requestTimeout = 10.0

    func run() async throws {
        guard (1...65535).contains(port) else { throw ConfigurationError(setting: "port", "must be in 1...65535") }
        guard maxBodyBytes >= 1 else { throw ConfigurationError(setting: "max_body_bytes", "must be at least 1") }
        guard maxIds >= 1 else { throw ConfigurationError(setting: "max_ids", "must be at least 1") }
        let computeThreads = self.computeThreads ?? ProcessInfo.processInfo.activeProcessorCount
        guard computeThreads >= 1 else { throw ConfigurationError(setting: "compute_threads", "must be at least 1") }
        guard requestTimeout > 0, requestTimeout <= 86_400 else {
            throw ConfigurationError(setting: "request_timeout", "must be in (0, 86400] seconds")
        }
        if adminToken?.isEmpty == true { throw ConfigurationError(setting: "admin_token", "must not be empty") }
        let token =
            adminToken ?? ProcessInfo.processInfo.environment["RECVEC_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "recvec.serve")
        let source = ModelSource(modelPath: model, metadataPath: metadata, labelField: labelField)
        MemoryRelease.mapLargeBlocks()
        let store = ModelStore(try ServingModel.load(source), logger: logger)
        let hangup = store.reloadOnHangup()
        defer { hangup.cancel() }
        let current = store.current
        logger.info(
            "serving \(model): \(current.itemCount) items, \(current.vocabulary.count) tokens, dim \(current.model.dim) on http://\(host):\(port)"
        )
        if let token {
            logger.info("POST /admin/reload is on (it needs the admin token)")
            if token.utf8.count < 16 { logger.warning("the admin token is short: use 16 characters or more") }
        } else {
            logger.info("/admin/* is off (set RECVEC_ADMIN_TOKEN or --admin-token to turn it on)")
        }
        let app = RecVecServer.application(
            store: store,
            configuration: ServerConfiguration(
                host: host,
                port: port,
                maxBodyBytes: maxBodyBytes,
                maxIDs: maxIds,
                adminToken: token,
                computeThreads: computeThreads,
                requestTimeout: .milliseconds(Int64((requestTimeout * 1000).rounded(.up)))
            ),
            logger: logger
        )
        try await app.runService()
    }
}
