import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// A deterministic mix: per ten envelopes, three from new customers, three from returning
/// customers on a new thread, three replies in an existing conversation, one exact duplicate.
struct Workload: Sendable {
    var envelopes: [InboundEnvelope] = []
    /// Which envelopes the baseline inserts, with the rows each implies.
    var rows: [Row] = []
    var customers = 0
    var conversations = 0
    var uniqueMessages: Int { rows.count }

    struct Row: Sendable {
        var envelope: Int
        var customer: Int
        var newCustomer: Bool
        var conversation: Int
        var newConversation: Bool
    }

    init(count: Int) throws {
        var generator = SortableID.FastGenerator(seed: 42)
        var threads: [(customer: Int, conversation: Int, thread: String)] = []
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        for index in 0..<count {
            let kind = index % 10
            let sentAt = base.addingTimeInterval(Double(index))
            if kind == 9, !envelopes.isEmpty {
                envelopes.append(envelopes[Int(generator.next() % UInt64(envelopes.count))])
                continue
            }
            var customer: Int
            var conversation: Int
            var thread: String
            var newCustomer = false
            var newConversation = true
            if kind < 3 || threads.isEmpty {
                customer = customers
                customers += 1
                newCustomer = true
                conversation = conversations
                thread = "t-\(conversation)"
            } else if kind < 6 {
                customer = threads[Int(generator.next() % UInt64(threads.count))].customer
                conversation = conversations
                thread = "t-\(conversation)"
            } else {
                let pick = threads[Int(generator.next() % UInt64(threads.count))]
                (customer, conversation, thread) = (pick.customer, pick.conversation, pick.thread)
                newConversation = false
            }
            if newConversation {
                conversations += 1
                threads.append((customer, conversation, thread))
            }
            let address =
                customer % 2 == 0
                ? try Address(kind: .email, value: "customer\(customer)@example.com")
                : try Address(kind: .tel, value: "+1415\(String(format: "%07d", customer))")
            envelopes.append(
                InboundEnvelope(
                    channel: "shop", externalID: "m-\(index)", from: address, threadKey: thread,
                    subject: "Order \(conversation)",
                    text: "Message \(index): where is my order? " + String(repeating: "x", count: 200),
                    sentAt: sentAt, hints: IdentityHints(displayName: "Customer \(customer)")))
            rows.append(
                Row(
                    envelope: envelopes.count - 1, customer: customer, newCustomer: newCustomer,
                    conversation: conversation, newConversation: newConversation))
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
