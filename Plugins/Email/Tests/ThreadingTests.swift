import Foundation
import SwitchboardAdapterKit
import Synchronization
import Testing

@testable import EmailAdapter

struct OurMessageIDTests {
    let ids = OurMessageIDs(hubSecret: "s3cret", domain: "example.test")

    @Test func anIdWeMadeCarriesItsThreadKey() {
        let id = ids.make(threadKey: "t-0123456789abcdef01234567", messageID: "msg_01abc")
        #expect(id.hasPrefix("sb.t-0123456789abcdef01234567.msg_01abc."))
        #expect(id.hasSuffix("@example.test"))
        #expect(ids.threadKey(in: id) == "t-0123456789abcdef01234567")
    }

    @Test func realHubMessageIdsKeepEveryCharacter() {
        // Sortable ids are upper-case Crockford base32: no two may share a Message-ID.
        let first = ids.make(threadKey: "t-1", messageID: "msg_01M84707EJS9CQZGPPMPZJNJRB")
        let second = ids.make(threadKey: "t-1", messageID: "msg_01M84707EJS9CQZGPPMPZJNJRC")
        let third = ids.make(threadKey: "t-1", messageID: "msg_01N84707EJS9CQZGPPMPZJNJRB")
        #expect(first.hasPrefix("sb.t-1.msg_01M84707EJS9CQZGPPMPZJNJRB."))
        #expect(Set([first, second, third]).count == 3)
        #expect(ids.threadKey(in: third) == "t-1")
    }

    @Test func theSameMessageAlwaysGetsTheSameId() {
        #expect(ids.make(threadKey: "t-1", messageID: "msg_1") == ids.make(threadKey: "t-1", messageID: "msg_1"))
    }

    @Test func anyThreadKeySurvivesTheRoundTrip() {
        for key in ["webhook:Order #42", "x-starts-with-x", "ÜNICODE thread", String(repeating: "k", count: 80)] {
            let id = ids.make(threadKey: key, messageID: "msg_1")
            #expect(ids.threadKey(in: id) == key)
            #expect(id.unicodeScalars.allSatisfy { $0.isASCII && $0 != " " && $0 != "<" && $0 != ">" })
        }
    }

    @Test func aForgedOrAlteredIdIsNotOurs() {
        let id = ids.make(threadKey: "t-aaaa", messageID: "msg_1")
        #expect(ids.threadKey(in: id.replacingOccurrences(of: "t-aaaa", with: "t-bbbb")) == nil)
        #expect(ids.threadKey(in: id.replacingOccurrences(of: "msg_1", with: "msg_2")) == nil)
        #expect(OurMessageIDs(hubSecret: "other", domain: "example.test").threadKey(in: id) == nil)
        #expect(ids.threadKey(in: "sb.t-aaaa.msg_1.000000000000000000000000@example.test") == nil)
        #expect(ids.threadKey(in: "CAF=abc@mail.gmail.com") == nil)
        #expect(ids.threadKey(in: "") == nil)
    }
}

struct ThreadingTests {
    let ana = "Ana Lima <ana@example.org>"

    @Test func aReplyToOurMessageJoinsTheConversation() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(from: ana, subject: "Order 42", messageID: "first@example.org"))
        _ = try await adapter.pollOnce()
        let opened = try #require(hub.stored.first)
        _ = try await adapter.send(try outbound(threadKey: opened.threadKey, inReplyTo: opened.externalID))
        let sent = try #require(mail.state.withLock { $0.sent.first })
        let ourID = try #require(header("Message-ID", in: sent.data)).trimmingCharacters(in: ["<", ">"])
        #expect(header("In-Reply-To", in: sent.data) == "<first@example.org>")
        #expect(header("References", in: sent.data) == "<first@example.org>")
        // Ana's client answers with only In-Reply-To (some do) and a new subject line.
        mail.append(letter(from: ana, subject: "Re: Order 42", messageID: "second@example.org", inReplyTo: ourID))
        _ = try await adapter.pollOnce()
        #expect(hub.stored[1].threadKey == opened.threadKey)
        #expect(hub.conversation(ofSubject: "Re: Order 42") == hub.conversation(ofSubject: "Order 42"))
    }

    @Test func referencesCarryTheWholeChainIntoTheNextReply() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(from: ana, messageID: "one@example.org"))
        _ = try await adapter.pollOnce()
        let first = try #require(hub.stored.first)
        _ = try await adapter.send(try outbound(threadKey: first.threadKey, inReplyTo: first.externalID))
        let ours = try #require(header("Message-ID", in: mail.state.withLock { $0.sent[0].data }))
        let ourID = ours.trimmingCharacters(in: ["<", ">"])
        mail.append(
            letter(
                from: ana, subject: "Re: Order 42", messageID: "three@example.org", inReplyTo: ourID,
                references: ["one@example.org", ourID]))
        _ = try await adapter.pollOnce()
        let answer = hub.stored[1]
        #expect(answer.threadKey == first.threadKey)
        _ = try await adapter.send(try outbound(threadKey: answer.threadKey, inReplyTo: answer.externalID))
        let second = mail.state.withLock { $0.sent[1].data }
        #expect(header("References", in: second) == "<one@example.org> <\(ourID)> <three@example.org>")
        #expect(header("In-Reply-To", in: second) == "<three@example.org>")
    }

    @Test func anotherSenderQuotingOurIdGetsTheThreadKeyButTheStoreKeepsThemApart() async throws {
        // The store files by (thread key, sender address): the fake hub does the same.
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(from: ana, messageID: "one@example.org"))
        _ = try await adapter.pollOnce()
        let first = try #require(hub.stored.first)
        _ = try await adapter.send(try outbound(threadKey: first.threadKey, inReplyTo: first.externalID))
        let ourID = try #require(header("Message-ID", in: mail.state.withLock { $0.sent[0].data }))
            .trimmingCharacters(in: ["<", ">"])
        mail.append(
            letter(
                from: "Mallory <mallory@example.net>", subject: "Re: Order 42", messageID: "m@example.net",
                inReplyTo: ourID))
        _ = try await adapter.pollOnce()
        #expect(hub.conversation(ofSubject: "Re: Order 42") != hub.conversation(ofSubject: "Order 42"))
    }

    @Test func aFreshMailWithAChangedSubjectStartsANewThread() async throws {
        for subjectThreading in [false, true] {
            let mail = FakeMail()
            let hub = FakeHub()
            let adapter = try makeAdapter(mail: mail, hub: hub, subjectThreading: subjectThreading)
            mail.append(letter(from: ana, subject: "Order 42", messageID: "a@example.org"))
            mail.append(letter(from: ana, subject: "Invoice please", messageID: "b@example.org"))
            _ = try await adapter.pollOnce()
            #expect(hub.stored[0].threadKey != hub.stored[1].threadKey)
        }
    }

    @Test func subjectThreadingJoinsOnlyWhenSwitchedOn() async throws {
        for subjectThreading in [false, true] {
            let mail = FakeMail()
            let hub = FakeHub()
            let adapter = try makeAdapter(mail: mail, hub: hub, subjectThreading: subjectThreading)
            mail.append(letter(from: ana, subject: "Order 42", messageID: "a@example.org"))
            // A client that sends no In-Reply-To or References.
            mail.append(letter(from: ana, subject: "RE: [External] Re:  order   42", messageID: "b@example.org"))
            _ = try await adapter.pollOnce()
            #expect((hub.stored[0].threadKey == hub.stored[1].threadKey) == subjectThreading)
        }
    }

    @Test func aReplyToMailWeNeverSawIsNamedByItsThreadRoot() async throws {
        let mail = FakeMail()
        let hub = FakeHub()
        let adapter = try makeAdapter(mail: mail, hub: hub)
        mail.append(letter(from: ana, messageID: "c@example.org", inReplyTo: "b@x", references: ["root@x", "b@x"]))
        mail.append(letter(from: ana, messageID: "d@example.org", inReplyTo: "c2@x", references: ["root@x", "c2@x"]))
        _ = try await adapter.pollOnce()
        #expect(hub.stored[0].threadKey == ThreadResolver.threadKey(forRoot: "root@x"))
        #expect(hub.stored[1].threadKey == hub.stored[0].threadKey)
    }

    @Test(arguments: [
        ("Re: Order 42", "order 42"), ("RE: re: Fwd: Order 42", "order 42"), ("AW: WG: Bestellung", "bestellung"),
        ("Re[2]: Order", "order"), ("Réf. : Commande", "commande"), ("[Ticket #9] Re: Help", "help"),
        ("SV:  Hej   där", "hej där"), ("Regarding: the order", "regarding: the order"), ("", ""),
    ])
    func subjectsAreNormalised(subject: String, expected: String) {
        #expect(ThreadResolver.normalisedSubject(subject) == expected)
    }
}
