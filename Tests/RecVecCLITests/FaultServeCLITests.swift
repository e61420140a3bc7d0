// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Testing

/// `recvec serve` under faults: SIGTERM while requests are under way, reloads under load.
extension FaultCLITests {
    /// SIGTERM while requests are under way: the server stops accepting, answers every request it
    /// accepted in full, then exits 0. A map (about half a second in a debug build) holds the one
    /// compute thread while six large `similar` requests queue behind it; the signal goes once
    /// /metrics counts them all in flight.
    @Test func aStopAnswersTheRequestsUnderWayAndExitsZero() throws {
        let wide = wideCorpus()
        let model = cli.file("w.rvmodel")
        try train(wide.path, model, ["--dim", "128", "--window", "1", "--negative", "1", "--sample", "0"])
        let server = try ServeProcess([model, "--compute-threads", "1", "--request-timeout", "600"])
        try #require(server.waitUntilListening(), "\(server.log.value)")
        let port = server.port
        let targets = ["/v1/map?limit=500"] + (0..<6).map { _ in "/v1/similar?item=\(wide.token)&k=1000" }
        let answers = Locked([Int: Result<RawHTTP.Answer, RawHTTP.Failure>]())
        let group = DispatchGroup()
        func send(_ i: Int) {
            group.enter()
            Thread {
                let answer = RawHTTP.exchange(port: port, "GET", targets[i])
                answers.withLock { $0[i] = answer }
                group.leave()
            }.start()
        }
        func inFlight() -> Int { Int(server.metric("recvec_http_requests_in_flight") ?? 0) }
        send(0)
        // The map first, so that it holds the compute thread; then the rest. (A scrape counts itself.)
        for _ in 0..<6000 {
            if inFlight() >= 2 || !answers.withLock({ $0.isEmpty }) { break }
            usleep(10_000)
        }
        for i in 1..<targets.count { send(i) }
        var seen = 0
        for _ in 0..<6000 {
            seen = max(seen, inFlight() - 1)
            if seen >= targets.count || group.wait(timeout: .now()) == .success { break }
            usleep(10_000)
        }
        kill(server.process.processIdentifier, SIGTERM)
        #expect(group.wait(timeout: .now() + 600) == .success)
        #expect(server.waitForExit(), "\(server.log.value)")
        #expect(server.process.terminationReason == .exit, "\(server.log.value)")
        #expect(server.process.terminationStatus == 0, "\(server.log.value)")
        let all = answers.withLock { $0 }
        #expect(all.count == targets.count)
        for (i, answer) in all.sorted(by: { $0.key < $1.key }) {
            switch answer {
            case .success(let a):
                #expect(a.status == 200, "\(targets[i]): \(a.body.prefix(300))")
                let json = try JSONSerialization.jsonObject(with: Data(a.body.utf8)) as? [String: Any]
                let expected = i == 0 ? "points" : "items"
                #expect((json?[expected] as? [Any])?.isEmpty == false, "\(targets[i]): \(a.body.prefix(300))")
            case .failure(let failure):
                Issue.record("\(targets[i]): \(failure)")
            }
        }
        if seen < targets.count { print("note: SIGTERM went with \(seen) of \(targets.count) requests in flight") }
        guard case .failure = RawHTTP.exchange(port: server.port, "GET", "/health") else {
            Issue.record("the server still answers after it exited")
            return
        }
    }

    /// Reloads while clients send requests without pause: no request fails (every answer a complete
    /// 200), every reload succeeds. Each reload renames a model file over the served one, as
    /// `recvec train --output` does, then asks for it with POST /admin/reload.
    @Test func reloadsUnderLoadFailNoRequest() throws {
        let corpus = cli.plantedCorpus()
        let a = cli.file("a.rvmodel")
        let b = cli.file("b.rvmodel")
        let model = cli.file("live.rvmodel")
        try train(corpus, a, ["--dim", "16", "--seed", "1"])
        try train(corpus, b, ["--dim", "16", "--seed", "2"])
        try FileManager.default.copyItem(atPath: a, toPath: model)
        let token = "fault-test-token-0123456789"
        let server = try ServeProcess([model], environment: ["RECVEC_ADMIN_TOKEN": token])
        try #require(server.waitUntilListening(), "\(server.log.value)")

        let port = server.port
        let stop = Locked(false)
        let outcome = Locked((ok: 0, failures: [String]()))
        let group = DispatchGroup()
        for client in 0..<4 {
            group.enter()
            Thread {
                var n = client
                while !stop.withLock({ $0 }) {
                    let answer =
                        n % 2 == 0
                        ? RawHTTP.exchange(port: port, "GET", "/v1/similar?item=g1_0&k=5")
                        : RawHTTP.exchange(
                            port: port,
                            "POST",
                            "/v1/recommend",
                            headers: ["Content-Type: application/json"],
                            body: #"{"history": ["g0_0", "g2_1"], "k": 5}"#
                        )
                    outcome.withLock {
                        switch answer {
                        case .success(let a) where a.status == 200: $0.ok += 1
                        case .success(let a): $0.failures.append("status \(a.status): \(a.body.prefix(200))")
                        case .failure(let failure): $0.failures.append("\(failure)")
                        }
                    }
                    n += 1
                }
                group.leave()
            }.start()
        }
        func answered() -> Int { outcome.withLock { $0.ok + $0.failures.count } }
        /// Waits for `count` more answers (up to ~60 s: a bound, not a timing check), so that
        /// requests run between two reloads.
        func waitForAnswers(_ count: Int) {
            let start = answered()
            for _ in 0..<6000 {
                if answered() >= start + count { break }
                usleep(10_000)
            }
        }
        let reloads = 8
        for n in 0..<reloads {
            waitForAnswers(20)
            let next = cli.file("next.rvmodel")
            try FileManager.default.copyItem(atPath: n % 2 == 0 ? b : a, toPath: next)
            #expect(rename(next, model) == 0)
            let reply = RawHTTP.exchange(
                port: server.port,
                "POST",
                "/admin/reload",
                headers: ["Authorization: Bearer \(token)"]
            )
            switch reply {
            case .success(let r):
                let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
                #expect(r.status == 200 && json?["status"] as? String == "reloaded", "\(r.body)")
            case .failure(let failure):
                Issue.record("reload \(n): \(failure)")
            }
        }
        waitForAnswers(20)
        stop.withLock { $0 = true }
        #expect(group.wait(timeout: .now() + 600) == .success)
        let result = outcome.withLock { $0 }
        #expect(result.failures.isEmpty, "\(result.failures.count) failed, e.g. \(result.failures.prefix(3))")
        #expect(result.ok >= (reloads + 1) * 20)
        #expect(server.metric(#"recvec_model_reloads_total{result="ok"}"#) == Double(reloads))
        #expect(server.metric(#"recvec_model_reloads_total{result="failed"}"#) == 0)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitForExit() && server.process.terminationStatus == 0, "\(server.log.value)")
    }
}
