// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

// The ceiling of the load tests (Benchmarks/reliability_load.sh): a Hummingbird application with
// one route that answers a small JSON body, no middleware, built with the same toolchain and
// Hummingbird version as `recvec serve`. Usage: hello-hummingbird PORT

import Hummingbird

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8080 : 8080
let router = Router()
router.get("/hello") { _, _ in
    Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"hello":"world"}"#))
    )
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
