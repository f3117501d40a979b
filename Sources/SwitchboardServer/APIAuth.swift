import Foundation
import Hummingbird
import SwitchboardAdapterKit
import SwitchboardCore

/// Lets an API request through only with a token whose user may do what the routes behind it
/// need: 401 without a token or with one that is unknown or revoked, 403 with an agent's token on
/// an admin's route.
///
/// Tokens are users' (`switchboard users add`, stored hashed) or the config's `server.api_token`,
/// which acts as an admin (the hub's own tools and scripts use it).
struct APIAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let required: User.Role
    let configToken: String?
    let users: any UserStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7 else {
            return JSONResponse.error(
                .unauthorized,
                "send Authorization: Bearer <token>: a user's token (switchboard users add NAME) or server.api_token")
        }
        let token = String(header.dropFirst(7))
        let role: User.Role
        let who: String
        if let configToken, HMACSignature.constantTimeEquals(token, configToken) {
            (role, who) = (.admin, "server.api_token")
        } else if let user = try await users.user(forToken: token) {
            (role, who) = (user.role, user.name)
        } else {
            return JSONResponse.error(.unauthorized, "the token is unknown or revoked")
        }
        guard role.includes(required) else {
            return JSONResponse.error(.forbidden, "this needs an admin; \(who) is an agent")
        }
        return try await next(request, context)
    }
}

/// User management, for admins: users, and their tokens (shown once, when issued).
struct UserRoutes: Sendable {
    /// The API's error mapping and body decoding.
    let api: APIRoutes
    var store: any SwitchboardStore { api.store }

    func mount(on routes: RouterGroup<BasicRequestContext>) {
        routes.get("users") { _, _ in
            try await api.guarded { try JSONResponse.make(try await store.users()) }
        }
        routes.post("users") { request, _ in
            try await api.guarded {
                let body: NewUserBody = try await api.decode(request)
                guard let role = User.Role(rawValue: body.role ?? "agent") else {
                    throw StoreError(.invalid, "'role' must be agent or admin")
                }
                let user = try await store.createUser(name: body.name, role: role)
                let issued = try await store.issueToken(forUser: user.id)
                return try JSONResponse.make(NewUserResponse(user: user, token: issued.token), status: .created)
            }
        }
        routes.post("users/:id/tokens") { _, context in
            try await api.guarded {
                try JSONResponse.make(
                    try await store.issueToken(forUser: try context.parameters.require("id")), status: .created)
            }
        }
        routes.post("tokens/:id/revoke") { _, context in
            try await api.guarded {
                try JSONResponse.make(try await store.revokeToken(id: try context.parameters.require("id")))
            }
        }
    }
}

struct NewUserBody: Decodable {
    var name: String
    var role: String?
}

/// A new user and their first token, shown this once.
struct NewUserResponse: Encodable {
    var user: User
    var token: String
}
