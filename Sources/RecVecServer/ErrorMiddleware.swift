// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Hummingbird
import Logging

/// Turns every error a route throws (and the router's "not found") into a JSON ``APIError``
/// response, so no client ever sees an empty or plain-text error.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
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
            return try APIError(.internalServerError, "internal error: \(error)").response(from: request, context: context)
        }
    }
}
