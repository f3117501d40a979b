import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// The inbox's first screen: conversations with filters (status, channel, assignee, tag), latest
/// activity first, a page at a time. The table body is also served alone, for the script to swap
/// in when an event says something changed.
struct InboxListView {
    var page: Page<Conversation>
    var customers: [String: Customer]
    var filter: ConversationFilter
    var channels: [ChannelID]
    var users: [User]
    /// SLA states of the page's conversations that a policy covers (``ServiceLevels``).
    var sla: [String: SLAStatus] = [:]
    /// The query string of the current filter (for the next page's link and live refresh).
    var query: String

    func body() -> String {
        let statusOptions = Conversation.Status.allCases.map { status in
            option(status.rawValue, status.rawValue, selected: filter.statuses == [status])
        }.joined()
        let channelOptions = channels.map { option($0.rawValue, $0.rawValue, selected: filter.channel == $0) }.joined()
        let userOptions = users.map { option($0.name, $0.name, selected: filter.assignee == $0.name) }.joined()
        let next =
            page.nextCursor.map {
                "<p><a class=\"next\" href=\"/inbox?\(HTMLPage.escape(query))&amp;cursor=\(HTMLPage.escape(FormEncoding.escape($0)))\">Older conversations</a></p>"
            } ?? ""
        return """
            <h1>Inbox</h1>
            <form id="filters" method="get" action="/inbox" class="filters">
            <label>Status <select name="status"><option value="">any</option>\(statusOptions)</select></label>
            <label>Channel <select name="channel"><option value="">any</option>\(channelOptions)</select></label>
            <label>Assignee <select name="assignee"><option value="">anyone</option>\(userOptions)</select></label>
            <label>Tag <input name="tag" value="\(HTMLPage.escape(filter.tag ?? ""))" size="12"></label>
            <button type="submit">Filter</button>
            </form>
            <table id="conversations" data-live-list="/inbox/list?\(HTMLPage.escape(query))">
            <caption class="visually-hidden">Conversations, latest activity first</caption>
            <thead><tr><th scope="col">Customer</th><th scope="col">Subject</th><th scope="col">Channel</th>
            <th scope="col">Status</th><th scope="col">Assignee</th><th scope="col">Last activity</th></tr></thead>
            <tbody id="conversation-rows">\(rows())</tbody>
            </table>
            \(next)
            """
    }

    func rows() -> String {
        guard !page.items.isEmpty else {
            return "<tr class=\"empty\"><td colspan=\"6\">No conversations match.</td></tr>"
        }
        return page.items.map { conversation in
            let customer = customers[conversation.customerID]
            let name = customer?.displayName ?? conversation.customerAddress.description
            let tags = conversation.tags.map { "<span class=\"tag\">\(HTMLPage.escape($0))</span>" }.joined(
                separator: " ")
            let priority = conversation.priority > 0 ? " <span class=\"priority\">P\(conversation.priority)</span>" : ""
            let sla = slaBadge(conversation)
            return """
                <tr class="conversation-row status-\(conversation.status.rawValue)" data-conversation-id="\(HTMLPage.escape(conversation.id))" data-channel="\(HTMLPage.escape(conversation.channel.rawValue))">
                <td><a class="conversation-link" href="/inbox/conversations/\(HTMLPage.escape(conversation.id))">\(HTMLPage.escape(name))</a></td>
                <td>\(HTMLPage.escape(conversation.subject ?? "(no subject)"))\(priority) \(tags)</td>
                <td><span class="channel-badge">\(HTMLPage.escape(conversation.channel.rawValue))</span></td>
                <td>\(conversation.status.rawValue)\(sla)</td>
                <td>\(HTMLPage.escape(conversation.assignee ?? "—"))</td>
                <td>\(HTMLPage.time(conversation.lastMessageAt))</td>
                </tr>
                """
        }.joined(separator: "\n")
    }

    /// "SLA breached" or "SLA at risk" (with the policy and the first target in that state) on an
    /// unresolved conversation; nothing when it is on time or no policy covers it.
    func slaBadge(_ conversation: Conversation) -> String {
        guard conversation.status != .resolved, let status = sla[conversation.id],
            status.state == .breached || status.state == .atRisk,
            let check = status.checks.first(where: { $0.state == status.state })
        else { return "" }
        let label = status.state == .breached ? "SLA breached" : "SLA at risk"
        let target = check.target.rawValue.replacingOccurrences(of: "_", with: " ")
        let due = check.due.map { ", due \($0.formatted(.iso8601))" } ?? ""
        return
            " <span class=\"sla sla-\(status.state.rawValue)\" title=\"\(HTMLPage.escape("\(status.policy): \(target)\(due)"))\">\(label)</span>"
    }

    private func option(_ value: String, _ label: String, selected: Bool) -> String {
        "<option value=\"\(HTMLPage.escape(value))\"\(selected ? " selected" : "")>\(HTMLPage.escape(label))</option>"
    }
}
