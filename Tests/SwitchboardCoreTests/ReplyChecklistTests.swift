import Testing

@testable import SwitchboardCore

/// The reply checklist's rules and canned replies' placeholders.
struct ReplyChecklistTests {
    let checklist = ReplyChecklist()

    func rules(_ draft: String, customer: String? = "Ana Lima", agent: String? = "Bo Berg") -> [ReplyChecklist.Finding
        .Rule]
    {
        checklist.check(draft, customerName: customer, agentName: agent).map(\.rule)
    }

    @Test func aGoodReplyHasNoFindings() {
        #expect(rules("Hi Ana,\n\nYour parcel left our warehouse today.\n\nBest,\nBo") == [])
        // The full name signs too, and the greeting may be anywhere.
        #expect(rules("Thanks for waiting, ana! It ships today.\n\n— Bo Berg") == [])
    }

    @Test func aReplyWithoutTheCustomersNameIsFlagged() {
        let findings = checklist.check("Hello,\nIt ships today.\nBo", customerName: "Ana Lima", agentName: "Bo")
        #expect(findings.map(\.rule) == [.customerName])
        #expect(findings.first?.message.contains("Ana") == true)
        // Part of a word is not the name: "Banana" does not greet Ana.
        #expect(rules("Banana shipment today.\nBo") == [.customerName])
    }

    @Test func accentsAndCaseDoNotMatter() {
        #expect(rules("Hola ana, ya salió.\nBo", customer: "Ána García") == [])
        #expect(rules("Bonjour Chloé,\nC'est parti.\nbo", customer: "CHLOE Martin") == [])
    }

    @Test func theNameIsReadFromCommonDisplayNameForms() {
        #expect(PersonName.firstName("Lima, Ana") == "Ana")
        #expect(PersonName.firstName("Dr. Ana Lima") == "Ana")
        #expect(PersonName.firstName("  Søren  ") == "Søren")
        #expect(PersonName.firstName("ana@example.com") == nil)
        #expect(PersonName.firstName("+33 6 12 34 56 78") == nil)
        #expect(PersonName.firstName("") == nil)
    }

    @Test func anUnknownCustomerNameIsNotAFinding() {
        #expect(rules("Hello,\nIt ships today.\nBo", customer: nil) == [])
        #expect(rules("Hello,\nIt ships today.\nBo", customer: "+33 6 12 34 56 78") == [])
    }

    @Test func aReplyTheAgentDidNotSignIsFlagged() {
        let findings = checklist.check("Hi Ana,\nIt ships today.", customerName: "Ana", agentName: "Bo Berg")
        #expect(findings.map(\.rule) == [.signature])
        #expect(findings.first?.message.contains("Bo Berg") == true)
        // The name high up in the text is not a signature.
        #expect(rules("Bo here. Hi Ana,\nline two\nline three\nline four\nThanks") == [.signature])
        #expect(rules("Hi Ana,\nIt ships today.", agent: nil) == [])
    }

    @Test func negativeAndBlamingPhrasesAreFlaggedWithAKinderWay() {
        let findings = checklist.check(
            "Hi Ana,\nAs I already said, you should have read our policy. Unfortunately it's your fault.\nBo",
            customerName: "Ana", agentName: "Bo")
        #expect(
            Set(findings.compactMap(\.phrase)) == [
                "as i already said", "you should have", "our policy", "unfortunately", "your fault",
            ])
        #expect(findings.allSatisfy { $0.rule == .negativePhrase && $0.message.contains("instead") })
        // Curly apostrophes and capitals are the same phrase; words inside other words are not.
        #expect(rules("Hi Ana, THAT’S IMPOSSIBLE.\nBo") == [.negativePhrase])
        #expect(rules("Hi Ana, you mustard fans will like it.\nBo") == [])
    }

    @Test func aCannedReplyRendersTheCustomersAndAgentsNames() throws {
        let reply = try CannedReply(
            name: "shipped", text: "Hi {{customer.first_name}},\n\nIt ships today.\n\n{{agent.name}}")
        let rendered = reply.render(for: .init(customerName: "Ana Lima", agentName: "Bo Berg"))
        #expect(rendered.text == "Hi Ana,\n\nIt ships today.\n\nBo Berg")
        #expect(rendered.missing.isEmpty)
        #expect(checklist.check(rendered.text, customerName: "Ana Lima", agentName: "Bo Berg").isEmpty)
    }

    @Test func anUnknownNameTakesTheFallbackOrIsReportedMissing() throws {
        let reply = try CannedReply(name: "hello", text: "Hi {{customer.first_name|there}}, {{agent.first_name}} here.")
        let anonymous = reply.render(for: .init(customerName: nil, agentName: "Bo Berg"))
        #expect(anonymous.text == "Hi there, Bo here.")
        let noAgent = reply.render(for: .init(customerName: "Ana", agentName: "  "))
        #expect(noAgent.text == "Hi Ana,  here.")
        #expect(noAgent.missing == ["agent.first_name"])
    }

    @Test func aTemplateWithAnUnknownOrUnclosedPlaceholderIsRefusedWithTheKnownOnes() {
        do {
            _ = try CannedReply(name: "typo", text: "Hi {{customer.firstname}}")
            Issue.record("a misspelled placeholder was accepted")
        } catch {
            #expect(error.message.contains("{{customer.firstname}} is not a placeholder"))
            #expect(error.message.contains("{{customer.first_name}}"))
        }
        #expect(throws: CannedReplyError.self) { try CannedReply(name: "open", text: "Hi {{agent.name") }
    }
}
