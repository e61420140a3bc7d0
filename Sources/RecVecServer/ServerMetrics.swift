// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Foundation
import Synchronization

/// The server's counters and latency histograms, rendered in Prometheus's text format.
///
/// Hand-written rather than swift-metrics + swift-prometheus: those bootstrap one process-wide
/// metrics system, which several servers in one test process cannot each own, and we need only a
/// counter and a fixed-bucket histogram, a few lines each. One lock, held for a few additions.
public final class ServerMetrics: Sendable {
    /// Upper bounds (seconds) of the latency buckets; `+Inf` is implicit.
    public static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]

    struct RequestKey: Hashable, Comparable {
        var route: String
        var method: String
        var status: Int
        static func < (a: Self, b: Self) -> Bool { (a.route, a.method, a.status) < (b.route, b.method, b.status) }
    }

    struct Histogram {
        /// Counts per bucket (not cumulative); the last one is `+Inf`.
        var counts = [Int](repeating: 0, count: ServerMetrics.latencyBuckets.count + 1)
        var sum = 0.0
        var count = 0

        mutating func observe(_ x: Double) {
            let i = ServerMetrics.latencyBuckets.firstIndex { x <= $0 } ?? ServerMetrics.latencyBuckets.count
            counts[i] += 1
            sum += x
            count += 1
        }
    }

    struct State {
        var requests: [RequestKey: Int] = [:]
        var latency: [String: Histogram] = [:]
        var reloads: (ok: Int, failed: Int) = (0, 0)
        var itemsServed: [String: Int] = [:]
    }

    private let state = Mutex(State())
    /// Requests being answered: an atomic, not `state`, so that a request takes the lock once.
    private let inFlight = Atomic<Int>(0)

    public init() {}

    /// Counts a request being answered, until ``endRequest()``.
    public func beginRequest() {
        inFlight.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts a request begun with ``beginRequest()`` as answered.
    public func endRequest() {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Counts one answered request and its latency.
    public func observeRequest(route: String, method: String, status: Int, seconds: Double) {
        state.withLock {
            $0.requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            $0.latency[route, default: Histogram()].observe(seconds)
        }
    }

    /// Counts one model reload.
    public func countReload(ok: Bool) {
        state.withLock { if ok { $0.reloads.ok += 1 } else { $0.reloads.failed += 1 } }
    }

    /// Counts items returned by a query endpoint.
    public func countItems(_ n: Int, endpoint: String) {
        state.withLock { $0.itemsServed[endpoint, default: 0] += n }
    }

    /// Reloads so far.
    public var reloads: (ok: Int, failed: Int) { state.withLock { $0.reloads } }

    /// The Prometheus text exposition (format 0.0.4); `gauges` are appended as they are.
    public func render(gauges: [(name: String, help: String, value: Double)] = []) -> String {
        let s = state.withLock { $0 }
        var out = ""
        out += "# HELP recvec_http_requests_total HTTP requests answered, by route, method and status.\n"
        out += "# TYPE recvec_http_requests_total counter\n"
        for (key, n) in s.requests.sorted(by: { $0.key < $1.key }) {
            out +=
                "recvec_http_requests_total{route=\"\(escape(key.route))\",method=\"\(escape(key.method))\",status=\"\(key.status)\"} \(n)\n"
        }
        out += "# HELP recvec_http_requests_in_flight HTTP requests being answered now (a scrape counts itself).\n"
        out += "# TYPE recvec_http_requests_in_flight gauge\n"
        out += "recvec_http_requests_in_flight \(inFlight.load(ordering: .relaxed))\n"
        out += "# HELP recvec_http_request_duration_seconds Time to answer a request, by route.\n"
        out += "# TYPE recvec_http_request_duration_seconds histogram\n"
        for (route, h) in s.latency.sorted(by: { $0.key < $1.key }) {
            let r = escape(route)
            var cumulative = 0
            for (i, bound) in Self.latencyBuckets.enumerated() {
                cumulative += h.counts[i]
                out += "recvec_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "recvec_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"+Inf\"} \(h.count)\n"
            out += "recvec_http_request_duration_seconds_sum{route=\"\(r)\"} \(h.sum)\n"
            out += "recvec_http_request_duration_seconds_count{route=\"\(r)\"} \(h.count)\n"
        }
        out += "# HELP recvec_model_reloads_total Model reloads, by result.\n"
        out += "# TYPE recvec_model_reloads_total counter\n"
        out += "recvec_model_reloads_total{result=\"ok\"} \(s.reloads.ok)\n"
        out += "recvec_model_reloads_total{result=\"failed\"} \(s.reloads.failed)\n"
        out += "# HELP recvec_items_served_total Items returned by the query endpoints, by endpoint.\n"
        out += "# TYPE recvec_items_served_total counter\n"
        for (endpoint, n) in s.itemsServed.sorted(by: { $0.key < $1.key }) {
            out += "recvec_items_served_total{endpoint=\"\(escape(endpoint))\"} \(n)\n"
        }
        for g in gauges {
            let value = g.value == g.value.rounded() && abs(g.value) < 1e15 ? String(Int64(g.value)) : String(g.value)
            out += "# HELP \(g.name) \(g.help)\n# TYPE \(g.name) gauge\n\(g.name) \(value)\n"
        }
        return out
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
