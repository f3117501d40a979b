import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import Testing

/// Satisfaction surveys on both backends: asked once per resolved conversation, answered by a bare
/// number on SMS (the conversation stays resolved) or on the rating page of an email's link, and
/// counted in reports; never asked of automatic senders.
struct SatisfactionTests {
    let survey = SatisfactionSurvey(publicBaseURL: "https://hub.example.test/")

    /// The text queued for the channel (the timeline's copy has no token).
    func sentText(_ store: SQLStore, _ message: Message) async throws -> String {
        let due = try await store.claimDue(now: Date().addingTimeInterval(3600), limit: 100, lease: .seconds(60))
        return due.first { $0.message.messageID == message.id }?.message.text ?? ""
    }

    func resolved(_ store: SQLStore, _ envelope: InboundEnvelope) async throws -> Conversation {
        let stored = try await store.ingestOne(envelope)
        return try await store.setStatus(conversationID: stored.conversation.id, to: .resolved, actor: "Bo")
    }

    @Test func aNumberRepliedOnSMSIsTheRatingAndLeavesTheConversationResolved() async throws {
        try await withTemporaryStore { store in
            let now = Date()
            let conversation = try await resolved(
                store, try inbound("s1", from: "tel:+15550100", channel: "sms", thread: "s", at: now))
            let question = try #require(
                try await store.askForRating(conversationID: conversation.id, survey: survey, now: now))
            #expect(question.text == SatisfactionSurvey.defaultQuestion && question.isAutomatic)
            #expect(try await store.askForRating(conversationID: conversation.id, survey: survey, now: now) == nil)

            let answer = try await store.ingestOne(
                try inbound("s2", from: "tel:+15550100", channel: "sms", thread: "s", text: " 4. ", at: now))
            #expect(answer.rating == 4 && !answer.reopened && answer.conversation.status == .resolved)
            #expect(try await store.conversation(id: conversation.id)?.status == .resolved)
            let rating = try #require(try await store.rating(conversationID: conversation.id))
            #expect(rating.score == 4 && rating.answeredAt != nil)
            let log = try await store.activity(ofConversations: [conversation.id])
            #expect(log.contains { $0.kind == .ratingAsked && $0.isAutomatic })
            #expect(log.filter { $0.kind == .rating }.map(\.value) == ["4"])
            let rows = try await ServiceLevels().report(
                store, start: now.addingTimeInterval(-60), end: now.addingTimeInterval(60), grouping: .all,
                now: now.addingTimeInterval(1))
            let all = try #require(rows.first { $0.channel == "all" })
            #expect(all.ratings == 1 && all.ratingMean == 4)

            // Answered: the next "5" is a message like any other, and reopens.
            let next = try await store.ingestOne(
                try inbound("s3", from: "tel:+15550100", channel: "sms", thread: "s", text: "5", at: now))
            #expect(next.rating == nil && next.reopened)
        }
    }

    @Test func anEmailLinksToTheRatingPageWhichTakesOneAnswerInItsWindow() async throws {
        try await withTemporaryStore { store in
            let now = Date()
            let conversation = try await resolved(
                store, try inbound("e1", from: "email:ann@example.com", thread: "e", at: now))
            let question = try #require(
                try await store.askForRating(conversationID: conversation.id, survey: survey, now: now))
            // The timeline shows the question without the token; the channel gets the link.
            #expect(
                question.text == "How did we do? Rate this conversation from 1 to 5: https://hub.example.test/csat/…")
            #expect(
                try await store.messages(conversationID: conversation.id).first { $0.id == question.id }?.text
                    == question.text)
            let sent = try await sentText(store, question)
            #expect(sent.hasPrefix("How did we do? Rate this conversation from 1 to 5: https://hub.example.test/csat/"))
            let token = String(try #require(sent.split(separator: "/").last))
            #expect(token.count > 40)
            #expect(try await store.rating(token: token)?.conversationID == conversation.id)
            await expectStoreError(.notFound) {
                _ = try await store.rate(token: "nope", score: 3, window: .seconds(60), now: now)
            }
            await expectStoreError(.invalid) {
                _ = try await store.rate(token: token, score: 6, window: .seconds(60), now: now)
            }
            let rated = try await store.rate(token: token, score: 5, window: .seconds(60), now: now)
            #expect(rated.score == 5)
            await expectStoreError(.conflict) {
                _ = try await store.rate(token: token, score: 1, window: .seconds(60), now: now)
            }
            #expect(try await store.rating(conversationID: conversation.id)?.score == 5)

            // Past the window the page refuses, and a bare number on the channel is a message.
            let late = try await resolved(store, try inbound("e2", from: "email:bo@example.com", thread: "f", at: now))
            let lateQuestion = try #require(
                try await store.askForRating(conversationID: late.id, survey: survey, now: now))
            let lateToken = String(try #require(try await sentText(store, lateQuestion).split(separator: "/").last))
            await expectStoreError(.conflict) {
                _ = try await store.rate(
                    token: lateToken, score: 4, window: .seconds(60), now: now.addingTimeInterval(61))
            }
        }
    }

    @Test func aRatingIsNotACustomerWaitingForTheNextResponse() async throws {
        try await withTemporaryStore { store in
            let opened = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 7200)
            let first = try await store.ingestOne(
                try inbound("w1", from: "tel:+15550111", channel: "sms", thread: "w", at: opened))
            _ = try await store.enqueueReply(
                ReplyRequest(conversationID: first.conversation.id, text: "Done", author: "Bo"),
                at: opened.addingTimeInterval(60))
            _ = try await store.setStatus(
                conversationID: first.conversation.id, to: .resolved, actor: "Bo", at: opened.addingTimeInterval(120))
            _ = try await store.askForRating(
                conversationID: first.conversation.id, survey: survey, now: opened.addingTimeInterval(120))
            let answer = try await store.ingestOne(
                try inbound(
                    "w2", from: "tel:+15550111", channel: "sms", thread: "w", text: "5",
                    at: opened.addingTimeInterval(600)))
            #expect(answer.rating == 5)
            let levels = ServiceLevels(policies: [SLAPolicy(name: "p", nextResponse: 300, businessHoursOnly: false)])
            let conversation = try #require(try await store.conversation(id: first.conversation.id))
            let status = try #require(try await levels.status(of: [conversation], store, now: Date())[conversation.id])
            #expect(status.state == .met, "\(status.checks)")
        }
    }

    @Test func automaticSendersAndNoReplyAddressesAreNeverAsked() async throws {
        try await withTemporaryStore { store in
            var ooo = try inbound("a1", from: "email:ann@example.com", thread: "a")
            ooo.isAutomatic = true
            let automatic = try await resolved(store, ooo)
            #expect(try await store.askForRating(conversationID: automatic.id, survey: survey, now: Date()) == nil)
            let noReply = try await resolved(store, try inbound("n1", from: "email:noreply@shop.example", thread: "n"))
            #expect(try await store.askForRating(conversationID: noReply.id, survey: survey, now: Date()) == nil)
            #expect(try await store.rating(conversationID: automatic.id) == nil)
            #expect(SatisfactionSurvey.score(of: "⭐⭐⭐⭐") == 4 && SatisfactionSurvey.score(of: "3/5") == 3)
            #expect(SatisfactionSurvey.score(of: "0") == nil && SatisfactionSurvey.score(of: "4 stars, thanks") == nil)
        }
    }
}
