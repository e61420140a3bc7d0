// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Hummingbird

/// Counts every request by route template (`/v1/vector/{id}`, not the id) and status, and times it;
/// counts the requests being answered (what a graceful stop waits for).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        metrics.beginRequest()
        defer {
            metrics.endRequest()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
            metrics.observeRequest(route: route, method: request.method.rawValue, status: status, seconds: seconds)
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
