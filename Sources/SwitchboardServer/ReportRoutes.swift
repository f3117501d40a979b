import Foundation
import Hummingbird
import SwitchboardCore

/// `GET /api/v1/reports` (the same rows as `switchboard report`) and
/// `GET /api/v1/conversations/{id}/sla` (where one conversation stands against its policy), both
/// computed from the event log with the config's business hours and SLA policies.
struct ReportRoutes: Sendable {
    let api: APIRoutes
    var levels: ServiceLevels { api.dependencies.serviceLevels }

    /// The days of the `from` and `to` query parameters (the last seven by default), for the API and
    /// the inbox's reports page; at most 400 of them.
    func days(_ request: Request) throws -> ReportDays {
        guard let days = levels.days(from: api.queryValue(request, "from"), to: api.queryValue(request, "to")) else {
            throw StoreError(.invalid, "from and to are days written YYYY-MM-DD, and to is not before from")
        }
        guard days.end.timeIntervalSince(days.start) <= 400 * 86_400 else {
            throw StoreError(.invalid, "a report covers at most 400 days; ask for a shorter range")
        }
        return days
    }

    func mount(on routes: RouterGroup<BasicRequestContext>) {
        routes.get("reports") { request, _ in
            try await api.guarded {
                guard let grouping = ReportBuilder.Grouping(rawValue: request.uri.queryParameters.get("group") ?? "day")
                else {
                    throw StoreError(.invalid, "group must be day, week or all")
                }
                let days = try days(request)
                let rows = try await levels.report(
                    api.store, start: days.start, end: days.end, grouping: grouping)
                return try JSONResponse.make(
                    ReportAnswer(from: days.first, to: days.last, group: grouping.rawValue, rows: rows))
            }
        }
        routes.get("conversations/:id/sla") { _, context in
            try await api.guarded {
                let id = try context.parameters.require("id")
                guard let conversation = try await api.store.conversation(id: id) else {
                    throw StoreError(.notFound, "no conversation \(id)")
                }
                let status = try await levels.status(of: [conversation], api.store)[id]
                return try JSONResponse.make(
                    SLAAnswer(
                        conversationID: id, policy: status?.policy, state: status?.state, checks: status?.checks ?? []))
            }
        }
    }
}

struct ReportAnswer: Encodable {
    var from: String
    var to: String
    var group: String
    var rows: [ReportRow]
}

/// No policy covers the conversation (or it was opened before the event log began): no state.
struct SLAAnswer: Encodable {
    var conversationID: String
    var policy: String?
    var state: SLAStatus.State?
    var checks: [SLAStatus.Check]

    enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id"
        case policy, state, checks
    }
}
