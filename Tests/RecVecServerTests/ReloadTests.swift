// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import HummingbirdTesting
import Testing
internal import _RecVecPlatform

@testable import RecVecCore
@testable import RecVecServer

/// Hot reload: a good file is swapped in; a bad one leaves the old model serving.
@Suite(.serialized) struct ReloadTests {
    @Test func reloadSwapsInTheNewFile() async throws {
        let server = try TestServer()
        let before = server.store.current
        try ModelFile.write(TestModels.other, to: server.modelPath)
        try await server.test { client in
            #expect(try await client.get("/health")["items"] as? Int == 36)
            let reply = try await client.reload()
            #expect(reply.status == 200 && reply["status"] as? String == "reloaded")
            #expect((reply["model"] as? [String: Any])?["items"] as? Int == 24)
            #expect(
                try await client.get("/v1/info")["model"].flatMap { ($0 as? [String: Any])?["vocabulary"] as? Int }
                    == 24
            )
            // g5_0 existed only in the old model.
            expectError(try await client.get("/v1/similar?item=g5_0"), 404)
            #expect(try await client.get("/v1/similar?item=g3_0&k=3").ids.count == 3)
            let metrics = try await client.get("/metrics").text
            #expect(metrics.contains("recvec_model_reloads_total{result=\"ok\"} 1"))
            #expect(metrics.contains("recvec_model_items 24"))
        }
        // A request that took the old model before the swap still answers from it.
        #expect(server.store.current !== before)
        #expect(before.itemCount == 36 && before.vocabulary.id(of: "g5_0") != nil)
        #expect(server.log.messages.withLock { $0 }.contains { $0.contains("reloaded model") })
    }

    @Test(arguments: ["corrupt", "truncated", "missing", "not a model"])
    func aBadFileKeepsTheOldModel(damage: String) async throws {
        let server = try TestServer()
        let before = server.store.current
        switch damage {
        case "corrupt":
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: server.modelPath)))
            bytes[bytes.count / 2] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: server.modelPath))
        case "truncated":
            let bytes = try Data(contentsOf: URL(fileURLWithPath: server.modelPath))
            try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: server.modelPath))
        case "missing":
            try FileManager.default.removeItem(atPath: server.modelPath)
        default:
            try "hello\n".write(toFile: server.modelPath, atomically: true, encoding: .utf8)
        }
        try await server.test { client in
            let reply = try await client.reload()
            expectError(reply, 500, containing: "reload failed, still serving")
            // The file's name, not where it is.
            #expect(reply.errorMessage.contains("model.rvmodel") && !reply.text.contains(server.folder.path))
            // The old model still answers.
            #expect(try await client.get("/v1/similar?item=g5_0&k=3").ids.count == 3)
            #expect(try await client.get("/health")["items"] as? Int == 36)
            let metrics = try await client.get("/metrics").text
            #expect(metrics.contains("recvec_model_reloads_total{result=\"failed\"} 1"))
            #expect(metrics.contains("recvec_model_reloads_total{result=\"ok\"} 0"))
        }
        #expect(server.store.current === before)
        let logged = server.log.messages.withLock { $0 }
        #expect(logged.contains { $0.hasPrefix("error reload failed") && $0.contains(server.modelPath) })
    }

    @Test func aBadMetadataFileKeepsTheOldModel() async throws {
        let server = try TestServer()
        try "item_id\tfield\tvalue\nonly-two\tfields\n".write(
            toFile: server.metadataPath,
            atomically: true,
            encoding: .utf8
        )
        await #expect(throws: InputError.self) { try await server.store.reload() }
        #expect(server.store.current.label(of: "g0_0") == "Film 0-0")
        #expect(server.store.metrics.reloads == (ok: 0, failed: 1))
    }

    @Test func hangupReloads() async throws {
        let server = try TestServer()
        let signal = server.store.reloadOnHangup()
        defer { signal.cancel() }
        try ModelFile.write(TestModels.other, to: server.modelPath)
        // The dispatch source starts watching the signal asynchronously after `resume()`: a signal
        // sent before that is ignored, so send it again every 0.5 s until the reload shows (≤ ~20 s;
        // on a loaded CI machine the first one was once lost).
        for attempt in 0..<2000 where server.store.current.itemCount != 24 {
            if attempt % 50 == 0 { kill(getpid(), SIGHUP) }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.store.current.itemCount == 24)
        #expect(server.store.metrics.reloads.ok >= 1)
    }
}
