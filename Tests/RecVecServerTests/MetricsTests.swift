// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import HummingbirdTesting
import Testing

@testable import RecVecServer

struct MetricsTests {
    @Test func countsRequestsLatenciesAndItems() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await client.get("/v1/similar?item=g0_0&k=3")
            _ = try await client.get("/v1/similar?item=g0_1&k=2")
            _ = try await client.get("/v1/similar?item=nope")
            _ = try await client.post("/v1/recommend", #"{"history": ["g1_0"], "k": 4}"#)
            _ = try await client.get("/v1/vector/g0_0")
            _ = try await client.get("/no/such/route")
            let reply = try await client.get("/metrics")
            #expect(reply.status == 200 && reply.contentType.hasPrefix("text/plain; version=0.0.4"))
            let text = reply.text
            for line in [
                #"recvec_http_requests_total{route="/v1/similar",method="GET",status="200"} 2"#,
                #"recvec_http_requests_total{route="/v1/similar",method="GET",status="404"} 1"#,
                #"recvec_http_requests_total{route="/v1/recommend",method="POST",status="200"} 1"#,
                #"recvec_http_requests_total{route="/v1/vector/{id}",method="GET",status="200"} 1"#,
                #"recvec_http_requests_total{route="unmatched",method="GET",status="404"} 1"#,
                #"recvec_http_request_duration_seconds_bucket{route="/v1/similar",le="+Inf"} 3"#,
                #"recvec_http_request_duration_seconds_count{route="/v1/similar"} 3"#,
                #"recvec_items_served_total{endpoint="similar"} 5"#,
                #"recvec_items_served_total{endpoint="recommend"} 4"#,
                "# TYPE recvec_http_request_duration_seconds histogram",
                "# TYPE recvec_model_reloads_total counter",
                "# TYPE recvec_http_requests_in_flight gauge",
                "recvec_http_requests_in_flight 1",  // the /metrics request itself
                "recvec_model_items 36",
                "recvec_model_vocabulary 38",
            ] {
                #expect(text.contains(line + "\n"), "missing: \(line)")
            }
            // Buckets are cumulative and end at the count.
            let buckets = text.split(separator: "\n").filter {
                $0.hasPrefix(#"recvec_http_request_duration_seconds_bucket{route="/v1/similar""#)
            }
            let counts = buckets.map { Int($0.split(separator: " ").last!)! }
            #expect(
                counts.count == ServerMetrics.latencyBuckets.count + 1 && counts == counts.sorted() && counts.last == 3
            )
        }
    }

    @Test func labelValuesAreEscaped() {
        let metrics = ServerMetrics()
        metrics.observeRequest(route: "a\"b\\c", method: "GET", status: 200, seconds: 0.002)
        let text = metrics.render()
        #expect(text.contains(#"route="a\"b\\c""#))
        #expect(text.contains(#"recvec_http_request_duration_seconds_bucket{route="a\"b\\c",le="0.001"} 0"#))
        #expect(text.contains(#"recvec_http_request_duration_seconds_bucket{route="a\"b\\c",le="0.0025"} 1"#))
    }
}
