import Foundation
import SwitchboardAdapterKit
import Testing

/// Normalisation rules of every known address kind, checked against hand-written expectations
/// drawn from the standards (RFC 5321 for email domains, E.164, the Matrix user id grammar).
struct AddressNormalizationTests {
    @Test(arguments: [
        ("email", "Ana@Example.COM", "email:Ana@example.com"),
        ("email", "  ana@example.com\n", "email:ana@example.com"),
        ("email", "Ana Lima <ana@Example.com>", "email:ana@example.com"),
        ("email", "mailto:ana@example.com", "email:ana@example.com"),
        ("email", "ana@example.com.", "email:ana@example.com"),
        ("tel", "+1 (415) 555-0100", "tel:+14155550100"),
        ("tel", "0044 20 7946 0958", "tel:+442079460958"),
        ("tel", "+49.30.1234567", "tel:+49301234567"),
        ("whatsapp", "+55 11 91234-5678", "whatsapp:+5511912345678"),
        ("telegram", "-1001234567890", "telegram:-1001234567890"),
        ("telegram", "00042", "telegram:42"),
        ("x", "783214", "x:783214"),
        ("messenger", "1122334455/998877", "messenger:1122334455/998877"),
        ("instagram", "17841400000000000/123", "instagram:17841400000000000/123"),
        ("matrix", "@Ana:Example.ORG", "matrix:@ana:example.org"),
        ("webchat", "v_3f9A-x", "webchat:v_3f9A-x"),
        ("shop", " customer-42 ", "shop:customer-42"),
    ])
    func normalises(kind: String, raw: String, expected: String) throws {
        let address = try Address(kind: AddressKind(kind), value: raw)
        #expect(address.description == expected)
        #expect(try Address(parsing: address.description) == address, "the stored form parses to itself")
    }

    @Test(arguments: [
        ("email", "ana.example.com", "'@'"),
        ("email", "ana@", "both sides"),
        ("email", "ana lima@example.com", "spaces"),
        ("email", "ana@localhost", "fully qualified"),
        ("email", "", "empty"),
        ("tel", "415 555 0100", "international form"),
        ("tel", "+12", "7 to 15 digits"),
        ("tel", "+1234567890123456", "7 to 15 digits"),
        ("tel", "+1 415 CALL NOW", "only digits"),
        ("telegram", "12ab", "whole number"),
        ("messenger", "123", "<page or account id>/<scoped user id>"),
        ("matrix", "ana:example.org", "@ana:example.org"),
        ("webchat", "has space", "visitor id"),
        ("Bad Kind", "x", "lower-case"),
    ])
    func refuses(kind: String, raw: String, messagePart: String) {
        do {
            let address = try Address(kind: AddressKind(kind), value: raw)
            Issue.record("accepted \(address)")
        } catch {
            #expect(error.message.contains(messagePart), "\(error.message)")
            #expect(error.input == raw)
        }
    }

    @Test func parsingNeedsAKind() {
        #expect(throws: AddressError.self) { try Address(parsing: "ana@example.com") }
        #expect(throws: AddressError.self) { try Address(parsing: "email:") }
    }

    @Test func addressesRoundTripThroughJSON() throws {
        let address = try Address(parsing: "tel:+14155550100")
        let data = try JSONEncoder().encode([address])
        #expect(String(decoding: data, as: UTF8.self) == #"["tel:+14155550100"]"#)
        #expect(try JSONDecoder().decode([Address].self, from: data) == [address])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Address].self, from: Data(#"["nope"]"#.utf8)) }
    }

    @Test func onlyEmailAndPhoneAreStrongIdentifiers() {
        #expect(AddressKind.email.isStrongIdentifier)
        #expect(AddressKind.tel.isStrongIdentifier)
        #expect(!AddressKind.whatsapp.isStrongIdentifier)
        #expect(!AddressKind.webchat.isStrongIdentifier)
    }
}
