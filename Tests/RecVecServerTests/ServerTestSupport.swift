// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// A fresh temporary folder, removed when the value is released.
final class TemporaryFolder: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "recvec-server-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Tiny models trained once per test process on planted groups: `groups` groups of 6 items
/// ("g<group>_<item>"), each sequence drawn from one group.
enum TestModels {
    static func train(groups: Int, seed: UInt64) -> EmbeddingModel {
        var rng = FastRandom(seed: seed)
        var lines: [[String]] = []
        for _ in 0..<800 {
            let g = rng.next(below: groups)
            lines.append((0..<10).map { _ in "g\(g)_\(rng.next(below: 6))" })
        }
        var c = TrainingConfig()
        c.dim = 16
        c.window = 3
        c.epochs = 4
        c.sample = 0
        c.threads = 1
        c.seed = seed
        return try! Trainer(config: c).train(try! Corpus.from(lines, minCount: 1))
    }

    /// 6 groups (36 items), plus two users: `user:a` (group 0's vector) and `user:b` (group 1's).
    static let main: EmbeddingModel = {
        let items = train(groups: 6, seed: 3)
        let n = items.vocabulary.count
        let users = ["user:a", "user:b"]
        let input = EmbeddingMatrix(rows: n + 2, dim: items.dim)
        let output = EmbeddingMatrix(rows: n + 2, dim: items.dim)
        for r in 0..<n {
            input.setVector(r, items.input.vector(r))
            output.setVector(r, items.output!.vector(r))
        }
        for (u, g) in [(0, "g0_"), (1, "g1_")] {
            for r in 0..<n where items.vocabulary.tokens[r].hasPrefix(g) {
                Kernels.add(items.input.row(r), input.row(n + u), count: input.stride)
            }
        }
        return EmbeddingModel(
            vocabulary: Vocabulary(tokens: items.vocabulary.tokens + users, counts: items.vocabulary.counts + [1, 1]),
            input: input,
            output: output,
            config: items.config,
            summary: items.summary,
            sections: [TokenSection(kind: .item, start: 0, count: n), TokenSection(kind: .user, start: n, count: 2)]
        )
    }()

    /// A different model (4 groups, 24 items) for reloads.
    static let other: EmbeddingModel = train(groups: 4, seed: 9)

    /// Metadata for the main model: a title per item and a genre per group (none for group 5).
    static func metadata() -> String {
        var rows = ["item_id\tfield\tvalue"]
        for g in 0..<6 {
            for i in 0..<6 {
                rows.append("g\(g)_\(i)\ttitle\tFilm \(g)-\(i)")
                if g < 5 { rows.append("g\(g)_\(i)\tgenre\tgenre\(g)") }
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }
}

/// Log messages, kept for assertions.
final class LogCapture: Sendable {
    let messages = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let text =
                "\(event.level) \(event.message) "
                + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.messages.withLock { $0.append(text) }
        }
    }
}

/// A served model in a temporary folder: the files, the store and the application.
struct TestServer {
    let folder = TemporaryFolder()
    let modelPath: String
    let metadataPath: String
    let store: ModelStore
    let log = LogCapture()
    var configuration = ServerConfiguration(maxBodyBytes: 4096, adminToken: TestServer.adminToken)
    /// The admin token of the test servers.
    static let adminToken = "test-token-0123456789abcdef"
    /// Where the CPU-heavy requests run; `nil`: a limiter made from `configuration`.
    var compute: ComputeLimiter?

    /// `loader` reads the files on reload (``ServingModel/load(_:)`` unless given).
    init(
        model: EmbeddingModel = TestModels.main,
        metadata: Bool = true,
        loader: (@Sendable (ModelSource) throws -> ServingModel)? = nil
    ) throws {
        modelPath = folder.file("model.rvmodel")
        metadataPath = folder.file("metadata.tsv")
        try ModelFile.write(model, to: modelPath)
        try TestModels.metadata().write(toFile: metadataPath, atomically: true, encoding: .utf8)
        let source = ModelSource(modelPath: modelPath, metadataPath: metadata ? metadataPath : nil, labelField: "title")
        store = ModelStore(try ServingModel.load(source), logger: log.logger, loader: loader ?? ServingModel.load)
    }

    /// Runs `body` against the application through HummingbirdTesting's in-process router client.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = RecVecServer.application(
            store: store,
            configuration: configuration,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            compute: compute
        )
        try await app.test(.router, body)
    }
}

/// A parsed response.
struct Reply: @unchecked Sendable {
    var status: Int
    var contentType: String
    /// The Allow header.
    var allow: String?
    /// The WWW-Authenticate header.
    var authenticate: String?
    var text: String
    var json: [String: Any]

    subscript(key: String) -> Any? { json[key] }

    /// The `items` array's ids.
    var ids: [String] { (json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    /// The error object of an error reply.
    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    var errorMessage: String { error["message"] as? String ?? "" }
}

extension TestClientProtocol {
    func get(_ uri: String) async throws -> Reply { try await send(uri, method: .get) }

    func post(_ uri: String, _ body: String) async throws -> Reply {
        try await send(uri, method: .post, body: body)
    }

    /// Sends `body` (as JSON, unless `headers` give another content type) with `headers`.
    func send(
        _ uri: String,
        method: HTTPRequest.Method,
        body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers: HTTPFields = body == nil || extra[.contentType] != nil ? [:] : [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        let response = try await execute(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
        let text = String(buffer: response.body)
        let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return Reply(
            status: Int(response.status.code),
            contentType: response.headers[.contentType] ?? "",
            allow: response.headers[.allow],
            authenticate: response.headers[.wwwAuthenticate],
            text: text,
            json: json
        )
    }
}

extension TestClientProtocol {
    /// POST /admin/reload with `Authorization: Bearer token` (none when `nil`) and `headers`.
    func reload(
        token: String? = TestServer.adminToken,
        body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws
        -> Reply
    {
        var all = headers
        if let token { all[.authorization] = "Bearer " + token }
        return try await send("/admin/reload", method: .post, body: body, headers: all)
    }
}

/// Asserts a JSON error reply with `status`.
func expectError(
    _ reply: Reply,
    _ status: Int,
    containing text: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.error["status"] as? Int == status, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.contentType.hasPrefix("application/json"), sourceLocation: sourceLocation)
    if !text.isEmpty {
        #expect(reply.errorMessage.contains(text), "\(reply.errorMessage)", sourceLocation: sourceLocation)
    }
}
