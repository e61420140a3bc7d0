// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import HummingbirdTesting
import Synchronization
import Testing

@testable import RecVecCore
@testable import RecVecServer

/// CPU-heavy requests: the map cache keyed on a few sizes, bounded concurrency off the request
/// threads, and 503 when a request is not answered in time.
struct ComputeLimitTests {
    @Test func theMapCacheIsKeyedOnAFewSizes() async throws {
        let server = try TestServer(model: RequestLimitTests.wideModel(items: 2500), metadata: false)
        try await server.test { client in
            // Every limit up to 100 is cut from one map of 100 items.
            let ten = try #require(try await client.get("/v1/map?limit=10")["points"] as? [[String: Any]])
            let seventy = try #require(try await client.get("/v1/map?limit=70")["points"] as? [[String: Any]])
            #expect(ten.count == 10 && seventy.count == 70)
            for (a, b) in zip(ten, seventy) {
                #expect(a["id"] as? String == b["id"] as? String)
                #expect(a["x"] as? Double == b["x"] as? Double && a["y"] as? Double == b["y"] as? Double)
            }
            // Twenty-odd different limits compute one map per size they round up to.
            for limit in [
                1, 2, 3, 50, 99, 100, 101, 250, 499, 500, 501, 999, 1000, 1001, 1500, 2000, 2001, 2400, 2500, 20000,
            ] {
                let points = try #require(try await client.get("/v1/map?limit=\(limit)")["points"] as? [[String: Any]])
                #expect(points.count == min(limit, 2500))
            }
        }
        #expect(server.store.current.cachedMapSizes == [100, 500, 1000, 2000, 2500])
        // The points are those of the map of all the items the request's size covers.
        let model = server.store.current
        let full = Projection(matrix: model.model.input, rows: Array(0..<100))
        let cut = model.projection(covering: 42)
        #expect(cut.x == full.x && cut.y == full.y)
    }

    @Test func theVariancesAreThoseOfThePointsReturned() async throws {
        let server = try TestServer()
        try await server.test { client in
            let reply = try await client.get("/v1/map?limit=12")
            let points = try #require(reply["points"] as? [[String: Any]])
            let x = points.map { $0["x"] as! Double }
            let mean = x.reduce(0, +) / Double(x.count)
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
            let reported = try #require((reply["variances"] as? [Double])?.first)
            #expect(abs(reported - variance) <= 1e-5 * max(1, variance))
        }
    }

    @Test func atMostLimitJobsRunAtOnce() async throws {
        let limiter = ComputeLimiter(limit: 2, timeout: .seconds(60))
        let running = Concurrency()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try await limiter.run {
                        running.enter()
                        // Wait (at most 10 s) until two run, so the peak does not depend on the scheduling.
                        for _ in 0..<1000 where running.peak < 2 { usleep(10_000) }
                        usleep(20_000)
                        running.leave()
                        return i
                    }
                }
            }
            var done: [Int] = []
            for try await i in group { done.append(i) }
            #expect(done.sorted() == Array(0..<8))
        }
        #expect(running.peak == 2)
        #expect(limiter.counts == (started: 8, peak: 2))
    }

    @Test func aJobNotDoneInTimeIsBusyAndAWaitingOneNeverRuns() async throws {
        let limiter = ComputeLimiter(limit: 1, timeout: .milliseconds(100))
        let ran = Concurrency()
        let slowJob = Concurrency()
        let slow = Task {
            try await limiter.run {
                slowJob.enter()
                slowJob.waitForGate()
                slowJob.leave()
            }
        }
        try await slowJob.wait()
        await #expect(throws: ComputeLimiter.Busy.self) { try await limiter.run { ran.enter() } }
        await #expect(throws: ComputeLimiter.Busy.self) { try await slow.value }
        slowJob.openGate()
        try await slowJob.waitUntilDone()
        #expect(ran.peak == 0)
        // The slot is free again.
        #expect(try await limiter.run { 7 } == 7)
    }

    @Test func heavyRequestsGet503WhenTheComputeThreadsAreBusy() async throws {
        var server = try TestServer()
        let limiter = ComputeLimiter(limit: 1, timeout: .milliseconds(200))
        server.compute = limiter
        // Hold the only compute thread for a while.
        let blocking = Concurrency()
        let blocker = Task {
            try? await limiter.run {
                blocking.enter()
                blocking.waitForGate()
            }
        }
        try await blocking.wait()
        try await server.test { client in
            let map = try await client.get("/v1/map?limit=10")
            expectError(map, 503, containing: "busy")
            #expect(map.errorMessage.contains("0.2 s"))
            expectError(try await client.get("/v1/search?q=g1"), 503)
            expectError(try await client.post("/v1/recommend", #"{"history": ["g0_0"], "k": 500}"#), 503)
            expectError(try await client.get("/v1/similar?item=g0_0&k=101"), 503)
            // Light requests do not wait for the compute threads.
            #expect(try await client.get("/health").status == 200)
            #expect(try await client.get("/v1/similar?item=g0_0&k=3").ids.count == 3)
            #expect(try await client.post("/v1/recommend", #"{"history": ["g0_0"], "k": 5}"#).ids.count == 5)
        }
        blocking.openGate()
        _ = await blocker.value
        try await server.test { client in
            let map = try await client.get("/v1/map?limit=10")
            #expect(map.status == 200)
            #expect(try await client.get("/v1/search?q=g1").status == 200)
        }
        #expect(limiter.counts.peak == 1)
    }

    @Test func aBusyReplyHasRetryAfter() async throws {
        var server = try TestServer()
        let limiter = ComputeLimiter(limit: 1, timeout: .milliseconds(100))
        server.compute = limiter
        let blocking = Concurrency()
        let blocker = Task {
            try? await limiter.run {
                blocking.enter()
                blocking.waitForGate()
            }
        }
        try await blocking.wait()
        try await server.test { client in
            let response = try await client.execute(uri: "/v1/map", method: .get)
            #expect(response.status == .serviceUnavailable && response.headers[.retryAfter] == "1")
        }
        blocking.openGate()
        _ = await blocker.value
    }
}

/// How many jobs run at once and the most that did; and a gate jobs can wait at.
final class Concurrency: Sendable {
    private let state = Mutex((now: 0, peak: 0, entered: 0, open: false))

    func enter() {
        state.withLock {
            $0.now += 1
            $0.entered += 1
            $0.peak = max($0.peak, $0.now)
        }
    }
    func leave() { state.withLock { $0.now -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
    /// How many times a job entered.
    var count: Int { state.withLock { $0.entered } }

    /// Returns once a job has entered (polling, for at most 10 s).
    func wait() async throws {
        for _ in 0..<1000 where peak == 0 { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Returns once every job that entered has left (polling, for at most 10 s).
    func waitUntilDone() async throws {
        for _ in 0..<1000 where state.withLock({ $0.now }) > 0 { try await Task.sleep(for: .milliseconds(10)) }
    }

    func openGate() { state.withLock { $0.open = true } }

    /// Blocks the calling thread until ``openGate()`` (at most 3 minutes: the limit only keeps a failed
    /// test from hanging; 30 s opened the gate too early on a loaded CI machine, where the requests made
    /// while it should be shut took that long).
    func waitForGate() {
        for _ in 0..<36_000 where !state.withLock({ $0.open }) { usleep(5000) }
    }
}
