import Foundation
import SwitchboardAdapterKit
import Testing

/// The normalisation table of every address kind, beyond the basic cases in
/// `AddressNormalizationTests`: each row is (kind, raw input, expected stored form). Expectations are
/// written by hand from the standards (RFC 5321 §2.4 for the case rules of email, ITU-T E.164 for
/// phone numbers, the Matrix user id grammar), never computed by the code under test.
struct AddressTableTests {
    @Test(arguments: [
        // The local part keeps its case (it may be case-sensitive); the domain is lower-cased.
        ("email", "ANA.Lima@EXAMPLE.Com", "email:ANA.Lima@example.com"),
        ("email", "ana+tag@Sub.Example.CO.UK", "email:ana+tag@sub.example.co.uk"),
        ("email", "ana@EXAMPLE.COM.", "email:ana@example.com"),
        // Display-name and mailto: forms.
        ("email", "\"Lima, Ana\" <Ana@Example.COM>", "email:Ana@example.com"),
        ("email", "<ana@example.com>", "email:ana@example.com"),
        ("email", "MAILTO:Ana@Example.com", "email:Ana@example.com"),
        ("email", "mailto:ana@example.com", "email:ana@example.com"),
        // The last '@' separates the domain (a quoted local part may contain one).
        ("email", "\"a@b\"@Example.com", "email:\"a@b\"@example.com"),
    ])
    func emailAddresses(kind: String, raw: String, expected: String) throws {
        try expectNormalised(kind: kind, raw: raw, expected: expected)
    }

    @Test(arguments: [
        ("email", "ana.example.com", "needs an '@'"),
        ("email", "@example.com", "both sides"),
        ("email", "ana@", "both sides"),
        ("email", "ana@exa mple.com", "spaces"),
        ("email", "a,b@example.com", "spaces, '<', '>' or ','"),
        ("email", "Ana <ana@example.com", "spaces, '<', '>' or ','"),
        ("email", "ana@example", "fully qualified"),
        ("email", "ana@.example.com", "fully qualified"),
        ("email", "ana@example..com", "fully qualified"),
        ("email", "   ", "empty"),
    ])
    func invalidEmailAddresses(kind: String, raw: String, messagePart: String) {
        expectRefused(kind: kind, raw: raw, messagePart: messagePart)
    }

    @Test(arguments: [
        ("tel", "+1 415 555 0100", "tel:+14155550100"),
        ("tel", "+1-415-555-0100", "tel:+14155550100"),
        ("tel", "+1/415/555.0100", "tel:+14155550100"),
        ("tel", "+1\u{00A0}415\u{00A0}555\u{00A0}0100", "tel:+14155550100"),
        ("tel", "  +44 20 7946 0958  ", "tel:+442079460958"),
        ("tel", "00 1 415 555 0100", "tel:+14155550100"),
        ("tel", "+1234567", "tel:+1234567"),  // 7 digits: the shortest accepted
        ("tel", "+123456789012345", "tel:+123456789012345"),  // 15 digits: the E.164 maximum
        // Read as libphonenumber reads them: repeated '+', an extension (E.164 has none), full-width
        // digits, the trunk prefix written after the country code.
        ("tel", "++14155550100", "tel:+14155550100"),
        ("tel", "+1 415 555 0100 ext 5", "tel:+14155550100"),
        ("tel", "+\u{FF11}\u{FF14}\u{FF11}\u{FF15}5550100", "tel:+14155550100"),
        ("tel", "+44 020 7946 0958", "tel:+442079460958"),
        // A WhatsApp id is a mobile: Brazil's old 8-digit form gets its ninth digit, Mexico loses its 1.
        ("whatsapp", "+55 11 8765-4321", "whatsapp:+5511987654321"),
        ("whatsapp", "+52 1 55 1234 5678", "whatsapp:+525512345678"),
        ("tel", "+55 11 8765-4321", "tel:+551187654321"),  // a tel: may be a landline: kept as written
        ("whatsapp", "0049 30 1234567", "whatsapp:+49301234567"),
        ("whatsapp", "+55 (11) 91234-5678", "whatsapp:+5511912345678"),
    ])
    func phoneNumbers(kind: String, raw: String, expected: String) throws {
        try expectNormalised(kind: kind, raw: raw, expected: expected)
    }

    @Test(arguments: [
        ("tel", "4155550100", "international form"),
        ("tel", "0415 555 0100", "international form"),
        ("whatsapp", "415 555 0100", "international form"),
        ("tel", "+123456", "7 to 15 digits"),
        ("tel", "+1234567890123456", "7 to 15 digits"),
        ("tel", "00123456", "7 to 15 digits"),
        ("tel", "+0123456789", "country calling code"),  // no country code starts with 0
        ("tel", "000 44 20 7946 0958", "country calling code"),
        ("tel", "+", "not a phone number"),
        ("tel", "1+4155550100", "international form"),
        ("tel", "+999 1234 5678", "country calling code"),
        ("whatsapp", "", "empty"),
    ])
    func invalidPhoneNumbers(kind: String, raw: String, messagePart: String) {
        expectRefused(kind: kind, raw: raw, messagePart: messagePart)
    }

    @Test(arguments: [
        ("telegram", "-1001234567890", "telegram:-1001234567890"),
        ("telegram", "-00042", "telegram:-42"),
        ("telegram", "00042", "telegram:42"),
        ("telegram", "000", "telegram:0"),
        ("telegram", "-0", "telegram:0"),
        ("telegram", " 123456789 ", "telegram:123456789"),
        ("x", "007", "x:7"),
        ("x", "12", "x:12"),
        ("messenger", " 1122334455/998877 ", "messenger:1122334455/998877"),
        ("instagram", "17841400000000000/9988", "instagram:17841400000000000/9988"),
        ("matrix", "@ANA:Example.org", "matrix:@ana:example.org"),
        ("matrix", "@ana:Example.org:8448", "matrix:@ana:example.org:8448"),
        ("matrix", " @Ana.Lima_1:matrix.ORG ", "matrix:@ana.lima_1:matrix.org"),
        ("webchat", "Visitor_ABC-123", "webchat:Visitor_ABC-123"),
        ("shop", "Customer-42", "shop:Customer-42"),
        ("crm-2", "ID:7", "crm-2:ID:7"),
    ])
    func chatHandles(kind: String, raw: String, expected: String) throws {
        try expectNormalised(kind: kind, raw: raw, expected: expected)
    }

    @Test(arguments: [
        ("telegram", "+42", "whole number"),
        ("telegram", "4.2", "whole number"),
        ("telegram", "--5", "whole number"),
        ("telegram", "-", "whole number"),
        ("telegram", "123456789012345678901", "whole number"),  // 21 digits
        ("telegram", "\u{0661}\u{0662}\u{0663}", "whole number"),  // Arabic-Indic digits
        ("x", "-5", "whole number"),
        ("x", "@jack", "whole number"),
        ("messenger", "123/", "both numeric"),
        ("messenger", "/456", "both numeric"),
        ("messenger", "123/456/789", "both numeric"),
        ("messenger", "abc/456", "both numeric"),
        ("instagram", "17841400000000000", "both numeric"),
        ("matrix", "@ana", "@ana:example.org"),
        ("matrix", "@:example.org", "@ana:example.org"),
        ("matrix", "@ana:", "@ana:example.org"),
        ("matrix", "@ana lima:example.org", "@ana:example.org"),
        ("matrix", "ana@example.org", "@ana:example.org"),
        ("webchat", "a.b", "visitor id"),
        ("webchat", "a/b", "visitor id"),
        ("webchat", "\u{00FC}n\u{00EF}", "visitor id"),
        ("webchat", String(repeating: "a", count: 129), "visitor id"),
        ("Shop", "x", "lower-case"),
        ("my_crm", "x", "lower-case"),
        ("", "x", "lower-case"),
        ("shop", "two words", "white space"),
    ])
    func invalidChatHandles(kind: String, raw: String, messagePart: String) {
        expectRefused(kind: kind, raw: raw, messagePart: messagePart)
    }

    @Test func webchatTokensUpTo128CharactersAreKept() throws {
        let token = String(repeating: "a", count: 127) + "Z"
        #expect(try Address(kind: .webchat, value: token).value == token)
    }

    @Test func theLocalPartDecidesIdentityButTheDomainDoesNot() throws {
        let lower = try Address(kind: .email, value: "ana@example.com")
        #expect(try Address(kind: .email, value: "ana@EXAMPLE.com") == lower)
        #expect(try Address(kind: .email, value: "Ana Lima <ana@Example.Com>") == lower)
        #expect(try Address(kind: .email, value: "ANA@example.com") != lower)
        #expect(try Address(kind: .tel, value: "+14155550100") != Address(kind: .whatsapp, value: "+14155550100"))
    }

    @Test(arguments: [
        ("EMAIL:Ana@Example.COM", "email:Ana@example.com"),
        ("Tel:+1 (415) 555-0100", "tel:+14155550100"),
        ("whatsapp:0044 20 7946 0958", "whatsapp:+442079460958"),
        ("matrix:@Ana:Example.org", "matrix:@ana:example.org"),
        ("telegram:-000123", "telegram:-123"),
        ("messenger:1/2", "messenger:1/2"),
        ("crm-2:ID:7", "crm-2:ID:7"),
    ])
    func parsingTheStoredForm(text: String, expected: String) throws {
        let address = try Address(parsing: text)
        #expect(address.description == expected)
        let again = try Address(parsing: address.description)
        #expect(again == address)
        #expect(again.kind == address.kind && again.value == address.value)
    }

    @Test(arguments: ["ana@example.com", ":ana", "email", "tel:12", "nonsense kind:x"])
    func parsingRejectsMalformedText(text: String) {
        #expect(throws: AddressError.self) { try Address(parsing: text) }
    }

    @Test func anErrorNamesTheInputAndTheRule() {
        do {
            _ = try Address(kind: .tel, value: "415 555")
            Issue.record("accepted a national number")
        } catch {
            #expect(error.input == "415 555")
            #expect(error.description.hasPrefix("invalid address '415 555': "))
            #expect(error.description.contains("international form"))
        }
    }

    struct Holder: Codable, Equatable {
        var primary: Address
        var others: [Address]
        var optional: Address?
    }

    @Test func addressesRoundTripThroughCodableInsideOtherValues() throws {
        let holder = Holder(
            primary: try Address(parsing: "email:Ana@Example.com"),
            others: [try Address(parsing: "tel:+14155550100"), try Address(parsing: "matrix:@ana:example.org")],
            optional: nil)
        let data = try JSONEncoder().encode(holder)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""email:Ana@example.com""#))
        #expect(try JSONDecoder().decode(Holder.self, from: data) == holder)
    }

    @Test func decodingNormalisesAndRejectsBadAddresses() throws {
        let decoded = try JSONDecoder().decode([Address].self, from: Data(#"["tel:+1 415 555 0100"]"#.utf8))
        #expect(decoded.map(\.description) == ["tel:+14155550100"])
        do {
            _ = try JSONDecoder().decode([Address].self, from: Data(#"["tel:415"]"#.utf8))
            Issue.record("decoded an invalid phone number")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("international form"))
        }
    }

    @Test func addressesSortByTheirStoredForm() throws {
        let addresses = try ["tel:+2345678", "email:b@example.com", "email:a@example.com"].map(Address.init(parsing:))
        #expect(
            addresses.sorted().map(\.description) == ["email:a@example.com", "email:b@example.com", "tel:+2345678"])
    }

    // MARK: - Helpers

    func expectNormalised(
        kind: String, raw: String, expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let address = try Address(kind: AddressKind(kind), value: raw)
        #expect(address.description == expected, sourceLocation: sourceLocation)
        #expect(address.kind.rawValue == kind, sourceLocation: sourceLocation)
        // Normalising is idempotent, and the stored form parses back to the same address.
        #expect(try Address(kind: address.kind, value: address.value) == address, sourceLocation: sourceLocation)
        #expect(try Address(parsing: address.description) == address, sourceLocation: sourceLocation)
    }

    func expectRefused(
        kind: String, raw: String, messagePart: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let address = try Address(kind: AddressKind(kind), value: raw)
            Issue.record("accepted \(address)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message.contains(messagePart), "\(error.message)", sourceLocation: sourceLocation)
            #expect(error.input == raw, sourceLocation: sourceLocation)
        }
    }
}
