import Foundation

// What the end-to-end tests ask a running hub about a customer, through the CLI's JSON: one copy
// each, for every suite.

/// The messages of a customer's timeline (newest first); none while the customer does not exist.
/// Without `limit`, the CLI's default page (50).
func timeline(_ hub: HubProcess, _ address: String, limit: Int? = nil) throws -> [[String: Any]] {
    let run = try hub.cli(["customers", "timeline", address, "--json"] + (limit.map { ["--limit", "\($0)"] } ?? []))
    guard run.status == 0 else { return [] }
    return try items(run.output).compactMap { $0["message"] as? [String: Any] }
}

/// The texts of a customer's timeline (newest first); none while the customer does not exist.
func timelineTexts(_ hub: HubProcess, _ address: String, limit: Int? = nil) throws -> [String] {
    try timeline(hub, address, limit: limit).compactMap { $0["text"] as? String }
}

/// The hub's view of one customer (identities, conversations, opt-outs), or nil when it has none.
func customerView(_ hub: HubProcess, _ address: String) throws -> [String: Any]? {
    let show = try hub.cli(["customers", "show", address, "--json"])
    guard show.status == 0 else { return nil }
    return try jsonObject(show.output) as? [String: Any]
}

/// A customer's conversations, newest first; none when the customer does not exist.
func conversations(_ hub: HubProcess, _ address: String) throws -> [[String: Any]] {
    try customerView(hub, address)?["conversations"] as? [[String: Any]] ?? []
}
