// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Hummingbird
import Logging
import Synchronization

/// Turns every error a route throws (and the router's "not found") into a JSON ``APIError``
/// response, so no client ever sees an empty or plain-text error.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The registered routes, to tell "no such path" (404) from "not with this method" (405).
    let routes: RouteTable

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            if error.status == .notFound, context.endpointPath == nil || context.endpointPath == "NotFound" {
                let allowed = routes.methods(forPath: request.uri.path)
                if !allowed.isEmpty {
                    var response = try APIError(
                        .methodNotAllowed,
                        "\(request.method) is not allowed on \(request.uri.path) (allowed: \(allowed.joined(separator: ", ")))"
                    ).response(from: request, context: context)
                    response.headers[.allow] = allowed.joined(separator: ", ")
                    return response
                }
            }
            let message: String
            switch error.status {
            case .notFound: message = "no route for \(request.method) \(request.uri.path)"
            case .contentTooLarge: message = "request body too large"
            default: message = error.body ?? error.status.reasonPhrase
            }
            return try APIError(error.status, message).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let message = error.status == .contentTooLarge ? "request body too large" : error.status.reasonPhrase
            return try APIError(error.status, message).response(from: request, context: context)
        } catch {
            context.logger.error("internal error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return try APIError(
                .internalServerError,
                "internal error: " + PathRedaction.redactAbsolutePaths("\(error)")
            )
            .response(
                from: request,
                context: context
            )
        }
    }
}

/// The paths and methods the router serves, filled in once the routes are registered.
final class RouteTable: Sendable {
    private let routes = Mutex<[(components: [Substring], method: String)]>([])

    func set(_ list: [(path: String, method: String)]) {
        routes.withLock { $0 = list.map { (components: $0.path.split(separator: "/"), method: $0.method) } }
    }

    /// The methods of the routes whose template (`{name}` matches any one component) matches `path`, sorted.
    func methods(forPath path: String) -> [String] {
        let parts = path.split(separator: "/")
        let all = routes.withLock { $0 }
        let matching = all.filter { route in
            route.components.count == parts.count
                && zip(route.components, parts).allSatisfy { template, part in
                    template.hasPrefix("{") || template == part
                }
        }
        return Set(matching.map(\.method)).sorted()
    }
}
