import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// One conversation as an agent works it: the customer's whole timeline across channels (each
/// message with its channel, public or private, and delivery state; internal notes set apart),
/// the customer panel (identities, attributes, merges), the conversation's settings, and the reply
/// box (channel choice, canned replies, the checklist before sending).
struct ConversationView {
    var conversation: Conversation
    var profile: CustomerProfile
    /// The customer's timeline, oldest first.
    var timeline: [TimelineEntry]
    /// Whether older entries exist than those shown.
    var hasOlder: Bool
    /// The customer's conversations, to pick the channel a reply leaves on.
    var conversations: [Conversation]
    var merges: [MergeRecord]
    var suggestions: [MergeSuggestion]
    var users: [User]
    var canned: [(name: String, text: String)]
    var csrf: String

    var customerName: String { profile.customer.displayName ?? conversation.customerAddress.description }
    var path: String { "/inbox/conversations/\(HTMLPage.escape(conversation.id))" }

    func body() -> String {
        let subject = conversation.subject ?? "Conversation with \(customerName)"
        return """
            <p><a href="/inbox">← Inbox</a></p>
            <h1>\(HTMLPage.escape(subject))</h1>
            <div class="conversation" data-conversation-id="\(HTMLPage.escape(conversation.id))" data-customer-id="\(HTMLPage.escape(conversation.customerID))">
            <section class="thread" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline of \(HTMLPage.escape(customerName)), every channel</h2>
            \(hasOlder ? "<p class=\"older\">Older entries are in the API (GET /api/v1/customers/…/timeline).</p>" : "")
            <ol id="timeline" data-live-timeline="\(path)/timeline">\(timelineItems())</ol>
            \(replyForm())
            \(noteForm())
            </section>
            \(customerPanel())
            </div>
            """
    }

    func timelineItems() -> String {
        timeline.map(entry).joined(separator: "\n")
    }

    private func entry(_ entry: TimelineEntry) -> String {
        switch entry {
        case .message(let message):
            let direction = message.direction.rawValue
            let state =
                message.direction == .outbound
                ? " <span class=\"delivery-state state-\(HTMLPage.escape(message.deliveryStatus ?? "queued"))\">\(HTMLPage.escape(message.deliveryStatus ?? "queued"))</span>"
                : ""
            let here = message.conversationID == conversation.id ? " current" : ""
            let subject = message.subject.map { "<div class=\"subject\">\(HTMLPage.escape($0))</div>" } ?? ""
            let automatic = message.isAutomatic ? " <span class=\"automatic\">automatic</span>" : ""
            return """
                <li class="entry message \(direction)\(here)" data-message-id="\(HTMLPage.escape(message.id))" data-channel="\(HTMLPage.escape(message.channel.rawValue))">
                <div class="meta"><span class="channel-badge">\(HTMLPage.escape(message.channel.rawValue))</span>
                <span class="visibility visibility-\(message.visibility.rawValue)">\(message.visibility.rawValue)</span>
                <span class="author">\(HTMLPage.escape(message.author))</span> \(HTMLPage.time(message.sentAt))\(automatic)\(state)</div>
                \(subject)<div class="text">\(HTMLPage.escape(message.text))</div>
                </li>
                """
        case .event(let event) where event.kind == "note":
            return """
                <li class="entry note" data-event-id="\(HTMLPage.escape(event.id))">
                <div class="meta"><span class="note-label">Internal note</span> by <span class="author">\(HTMLPage.escape(event.actor))</span> \(HTMLPage.time(event.at))</div>
                <div class="text">\(HTMLPage.escape(event.detail))</div>
                </li>
                """
        case .event(let event):
            return """
                <li class="entry event" data-event-id="\(HTMLPage.escape(event.id))"><span class="kind">\(HTMLPage.escape(event.kind))</span>
                \(HTMLPage.escape(event.detail)) · \(HTMLPage.escape(event.actor)) \(HTMLPage.time(event.at))</li>
                """
        }
    }

    private func replyForm() -> String {
        // One option per channel the customer has written on; the newest conversation there gets it.
        var seen: Set<ChannelID> = [conversation.channel]
        var options = [
            "<option value=\"\(HTMLPage.escape(conversation.channel.rawValue))\" selected>\(HTMLPage.escape(conversation.channel.rawValue)) (this conversation)</option>"
        ]
        for other in conversations where !seen.contains(other.channel) {
            seen.insert(other.channel)
            options.append(
                "<option value=\"\(HTMLPage.escape(other.channel.rawValue))\">\(HTMLPage.escape(other.channel.rawValue))</option>"
            )
        }
        let cannedOptions = canned.map {
            "<option value=\"\(HTMLPage.escape($0.name))\" data-text=\"\(HTMLPage.escape($0.text))\">\(HTMLPage.escape($0.name))</option>"
        }.joined()
        return """
            <form id="reply-form" method="post" action="\(path)/reply" class="reply" data-check="\(path)/reply-check">
            <h2>Reply</h2>
            <input type="hidden" name="_csrf" value="\(HTMLPage.escape(csrf))">
            <div class="row">
            <label for="reply-channel">Leaves on</label>
            <select id="reply-channel" name="channel">\(options.joined())</select>
            <label for="canned-reply">Canned reply</label>
            <select id="canned-reply"><option value="">—</option>\(cannedOptions)</select>
            </div>
            <label for="reply-text" class="visually-hidden">Reply text</label>
            <textarea id="reply-text" name="text" rows="6" required></textarea>
            <ul id="checklist" aria-live="polite"></ul>
            <p id="reply-status" role="status"></p>
            <button id="send-reply" type="submit">Send</button>
            </form>
            """
    }

    private func noteForm() -> String {
        """
        <form id="note-form" method="post" action="\(path)/notes" class="note">
        <input type="hidden" name="_csrf" value="\(HTMLPage.escape(csrf))">
        <label for="note-text">Internal note (agents only)</label>
        <textarea id="note-text" name="text" rows="2" required></textarea>
        <button type="submit">Add note</button>
        </form>
        """
    }

    private func customerPanel() -> String {
        let customer = profile.customer
        let identities = profile.identities.map { identity in
            "<li><span class=\"address\">\(HTMLPage.escape(identity.address.description))</span>"
                + (identity.firstSeenChannel.map {
                    " <span class=\"channel-badge\">\(HTMLPage.escape($0.rawValue))</span>"
                }
                    ?? "") + (identity.verified ? " <span class=\"verified\">verified</span>" : "") + "</li>"
        }.joined()
        let attributes = customer.attributes.sorted { $0.key < $1.key }.map {
            "<dt>\(HTMLPage.escape($0.key))</dt><dd>\(HTMLPage.escape($0.value))</dd>"
        }.joined()
        let standing = merges.filter { $0.unmergedAt == nil && $0.targetCustomerID == customer.id }.map { merge in
            """
            <li>Merged \(HTMLPage.escape(merge.sourceCustomerID)) (\(HTMLPage.escape(merge.reason)))
            <form method="post" action="/inbox/merges/\(HTMLPage.escape(merge.id))/undo" class="inline">
            <input type="hidden" name="_csrf" value="\(HTMLPage.escape(csrf))"><input type="hidden" name="back" value="\(path)">
            <button type="submit">Un-merge</button></form></li>
            """
        }.joined()
        let suggested = suggestions.map { suggestion in
            let other = suggestion.customerID == customer.id ? suggestion.otherCustomerID : suggestion.customerID
            return """
                <li>Maybe the same as \(HTMLPage.escape(other)): \(HTMLPage.escape(suggestion.reason))
                <form method="post" action="/inbox/merges" class="inline">
                <input type="hidden" name="_csrf" value="\(HTMLPage.escape(csrf))"><input type="hidden" name="back" value="\(path)">
                <input type="hidden" name="source" value="\(HTMLPage.escape(other))"><input type="hidden" name="target" value="\(HTMLPage.escape(customer.id))">
                <input type="hidden" name="reason" value="\(HTMLPage.escape(suggestion.reason))">
                <button type="submit">Merge into this customer</button></form></li>
                """
        }.joined()
        return """
            <aside id="customer" aria-labelledby="customer-heading">
            <h2 id="customer-heading">\(HTMLPage.escape(customerName))</h2>
            <h3>Identities</h3><ul id="identities">\(identities)</ul>
            \(attributes.isEmpty ? "" : "<h3>Attributes</h3><dl class=\"attributes\">\(attributes)</dl>")
            \(standing.isEmpty ? "" : "<h3>Merges</h3><ul id=\"merges\">\(standing)</ul>")
            \(suggested.isEmpty ? "" : "<h3>Merge suggestions</h3><ul id=\"merge-suggestions\">\(suggested)</ul>")
            \(settingsForm())
            </aside>
            """
    }

    private func settingsForm() -> String {
        let statuses = Conversation.Status.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0 == conversation.status ? " selected" : "")>\($0.rawValue)</option>"
        }.joined()
        let assignees =
            "<option value=\"\">nobody</option>"
            + users.map {
                "<option value=\"\(HTMLPage.escape($0.name))\"\($0.name == conversation.assignee ? " selected" : "")>\(HTMLPage.escape($0.name))</option>"
            }.joined()
        let priorities = ConversationChange.priorities.map {
            "<option value=\"\($0)\"\($0 == conversation.priority ? " selected" : "")>\(["normal", "high", "higher", "urgent"][$0])</option>"
        }.joined()
        return """
            <h3>Conversation</h3>
            <form id="conversation-settings" method="post" action="\(path)/settings" class="settings">
            <input type="hidden" name="_csrf" value="\(HTMLPage.escape(csrf))">
            <label for="set-status">Status</label><select id="set-status" name="status">\(statuses)</select>
            <label for="set-assignee">Assignee</label><select id="set-assignee" name="assignee">\(assignees)</select>
            <label for="set-priority">Priority</label><select id="set-priority" name="priority">\(priorities)</select>
            <label for="set-tags">Tags (comma-separated)</label>
            <input id="set-tags" name="tags" value="\(HTMLPage.escape(conversation.tags.joined(separator: ", ")))">
            <button type="submit">Save</button>
            </form>
            """
    }
}
