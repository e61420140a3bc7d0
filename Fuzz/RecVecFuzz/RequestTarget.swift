// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import Logging
import NIOEmbedded
import RecVecCore
import RecVecServer

/// The server's request handling, through the real router and its middleware (the responder
/// called in-process, no sockets) over `Fuzz/Fixtures/model.rvmodel` and its metadata.
///
/// Every request gets a context on one testing channel made at start-up. (HummingbirdTesting's
/// router client makes a channel per request and never closes it: 4 GB after 500 k requests.)
///
/// The first byte of an input picks the endpoint; the rest is the JSON body, the query string
/// (percent-encoded) or the path parameter. A 500 is a finding: every bad request must be
/// answered with a 4xx that says what is wrong (503 is the compute limiter's timeout).
enum RequestTarget {
    static let requests = FuzzTarget(
        "requests",
        setUp: { session.start() },
        run: { input in session.send(input) }
    )

    static let session = Session()

    /// One endpoint and how an input becomes a request to it.
    struct Route: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let payload: Payload
        enum Payload: Sendable { case body, query, pathParameter }
    }

    static let routes: [Route] = [
        Route(method: .post, path: "/v1/similar", payload: .body),
        Route(method: .post, path: "/v1/recommend", payload: .body),
        Route(method: .post, path: "/v1/analogy", payload: .body),
        Route(method: .get, path: "/v1/similar?", payload: .query),
        Route(method: .get, path: "/v1/search?", payload: .query),
        Route(method: .get, path: "/v1/map?", payload: .query),
        Route(method: .get, path: "/v1/vector/", payload: .pathParameter),
        Route(method: .post, path: "/admin/reload", payload: .body),
    ]

    /// The bridge between libFuzzer's thread and the responder's task: inputs go in
    /// through an async stream, each answer's status comes back through a semaphore.
    final class Session: @unchecked Sendable {
        private let answered = DispatchSemaphore(value: 0)
        private var status = 0
        private let (inputs, continuation) = AsyncStream.makeStream(of: (Route, [UInt8]).self)
        /// RECVEC_FUZZ_VERBOSE=1 prints each request's status (for `scripts/fuzz.sh replay`).
        private let verbose = ProcessInfo.processInfo.environment["RECVEC_FUZZ_VERBOSE"] != nil

        func start() {
            let source = ModelSource(
                modelPath: "Fuzz/Fixtures/model.rvmodel",
                metadataPath: "Fuzz/Fixtures/metadata.tsv"
            )
            let store: ModelStore
            do {
                store = ModelStore(try ServingModel.load(source))
            } catch {
                fail("cannot load the fixture model (run from the repository's root): \(error)")
            }
            let configuration = ServerConfiguration(adminToken: "fuzz-token", computeThreads: 2)
            let responder = RecVecServer.router(store: store, configuration: configuration).buildResponder()
            let channel = NIOAsyncTestingChannel()
            let logger = Logger(label: "recvec.fuzz")
            let inputs = self.inputs
            Task.detached {
                for await (route, payload) in inputs {
                    let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
                    let status: Int
                    do {
                        status = Int(
                            try await responder.respond(to: Self.request(route, payload), context: context).status.code
                        )
                    } catch {
                        status = 500
                    }
                    self.status = status
                    self.answered.signal()
                }
            }
        }

        func send(_ input: UnsafeRawBufferPointer) {
            guard let first = input.first else { return }
            let route = RequestTarget.routes[Int(first) % RequestTarget.routes.count]
            continuation.yield((route, Array(input[1...])))
            answered.wait()
            if verbose { print("\(route.method) \(route.path) → \(status)") }
            if status >= 500 && status != 503 {
                fail("\(route.method) \(route.path) answered \(status)")
            }
        }

        /// The request `route` makes of `payload`.
        static func request(_ route: Route, _ payload: [UInt8]) -> Request {
            var headers: HTTPFields = [:]
            if route.path.hasPrefix("/admin") { headers[.authorization] = "Bearer fuzz-token" }
            let path: String
            var body = ByteBuffer()
            switch route.payload {
            case .body:
                headers[.contentType] = "application/json"
                headers[.contentLength] = String(payload.count)
                path = route.path
                body = ByteBuffer(bytes: payload)
            case .query, .pathParameter:
                path = route.path + percentEncoded(payload, keeping: route.payload == .query ? "=&" : "")
            }
            return Request(
                head: HTTPRequest(
                    method: route.method,
                    scheme: "http",
                    authority: "localhost",
                    path: path,
                    headerFields: headers
                ),
                body: RequestBody(buffer: body)
            )
        }
    }

    /// `bytes` with everything but letters, digits, `-._~` and `kept` percent-encoded.
    static func percentEncoded(_ bytes: [UInt8], keeping kept: String) -> String {
        let plain = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~\(kept)".utf8))
        var out = ""
        for b in bytes {
            if plain.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
