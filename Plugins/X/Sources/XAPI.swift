import Foundation
import SwitchboardAdapterKit

/// The X API v2 calls the adapter makes, over the hub's HTTP client, with the brand account's
/// user-context token. Reads and writes fail with a classified ``SendError`` whose message never
/// contains the token.
struct XAPI: Sendable {
    let http: any HTTPClient
    let baseURL: String
    let accessToken: String

    /// A JSON object as X returned it.
    typealias Object = [String: Any]

    var authorization: (name: String, value: String) { ("Authorization", "Bearer \(accessToken)") }

    /// `GET path?query` and its JSON object.
    func get(_ path: String, query: [(name: String, value: String)], action: String) async throws(SendError) -> Object {
        let url = baseURL + path + (query.isEmpty ? "" : "?" + Self.encode(query))
        let request = HTTPClientRequest(
            method: "GET", url: url, headers: [authorization, ("Accept", "application/json")], timeout: .seconds(30))
        return try await object(from: execute(request), action: action)
    }

    /// `POST path` with a JSON body, and the answer's JSON object.
    func post(_ path: String, json: Object, action: String) async throws(SendError) -> Object {
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        } catch {
            throw SendError(.permanent, "could not encode the request for \(action): \(error)")
        }
        let request = HTTPClientRequest(
            method: "POST", url: baseURL + path,
            headers: [authorization, ("Content-Type", "application/json"), ("Accept", "application/json")],
            body: Array(body), timeout: .seconds(30))
        return try await object(from: execute(request), action: action)
    }

    private func execute(_ request: HTTPClientRequest) async throws(SendError) -> HTTPClientResponse {
        do {
            return try await http.execute(request)
        } catch {
            throw error.asSendError
        }
    }

    private func object(from response: HTTPClientResponse, action: String) throws(SendError) -> Object {
        guard (200..<300).contains(response.status) else {
            throw XErrors.classify(response, action: action)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? Object else {
            throw SendError(
                .transient, "X answered \(action) with HTTP \(response.status) but a body that is not a JSON object")
        }
        return object
    }

    /// Query parameters percent-encoded as RFC 3986 unreserved characters (a search query has
    /// spaces, quotes and colons).
    static func encode(_ query: [(name: String, value: String)]) -> String { URLText.query(query) }
}
