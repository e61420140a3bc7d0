// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Hummingbird
import HummingbirdTesting
import RecVecCore
import RecVecServer

/// The server's request handling, through the real router and middleware (HummingbirdTesting's
/// in-process client, no sockets) over `Fuzz/Fixtures/model.rvmodel` and its metadata.
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

    /// The bridge between libFuzzer's thread and one long-lived test session: inputs go in
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
            let app = Application(router: RecVecServer.router(store: store, configuration: configuration))
            let inputs = self.inputs
            Task.detached {
                do {
                    try await app.test(.router) { client in
                        for await (route, payload) in inputs {
                            let response = try await Self.execute(route, payload, on: client)
                            self.status = Int(response.status.code)
                            self.answered.signal()
                        }
                    }
                } catch {
                    fail("the test session ended: \(error)")
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

        static func execute(
            _ route: Route,
            _ payload: [UInt8],
            on client: any TestClientProtocol
        ) async throws
            -> TestResponse
        {
            var headers: HTTPFields = [:]
            if route.path.hasPrefix("/admin") { headers[.authorization] = "Bearer fuzz-token" }
            switch route.payload {
            case .body:
                headers[.contentType] = "application/json"
                return try await client.execute(
                    uri: route.path,
                    method: route.method,
                    headers: headers,
                    body: ByteBuffer(bytes: payload)
                )
            case .query, .pathParameter:
                return try await client.execute(
                    uri: route.path + percentEncoded(payload, keeping: route.payload == .query ? "=&" : ""),
                    method: route.method,
                    headers: headers
                )
            }
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
