import Foundation
import Testing

@testable import SwitchboardPhoneNumbers

/// Unit tests of the parser's steps; the expected values are libphonenumber's (phonenumbers 9.0.43).
@Suite struct PhoneNumberParsingTests {
    static func e164(_ raw: String, _ region: String?) throws -> String {
        try PhoneNumber(parsing: raw, defaultRegion: region).e164
    }

    static func reason(_ raw: String, _ region: String?) -> PhoneNumberError.Reason? {
        do {
            _ = try PhoneNumber(parsing: raw, defaultRegion: region)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test(
        arguments: [
            ("+33 1 23 45 67 89", nil, "+33123456789"),
            ("01 23 45 67 89", "FR", "+33123456789"),
            ("tel:+33-1-23-45-67-89", nil, "+33123456789"),
            ("+44 (0)20 7946 0018", nil, "+442079460018"),
            ("020 7946 0018", "GG", "+442079460018"),
            ("(416) 555-0123", "CA", "+14165550123"),
            ("253-0000", "US", "+12530000"),
            ("+39 06 1234 5678", nil, "+390612345678"),
        ] as [(String, String?, String)])
    func parsesCommonForms(raw: String, region: String?, expected: String) throws {
        #expect(try Self.e164(raw, region) == expected)
    }

    @Test func keepsItalianLeadingZeros() throws {
        let number = try PhoneNumber(parsing: "+39 06 1234 5678", defaultRegion: nil)
        #expect(number.countryCode == 39)
        #expect(number.nationalNumber == "0612345678")
        #expect(number.description == "+390612345678")
    }

    @Test func differentWritingsOfOneNumberAreEqual() throws {
        let a = try PhoneNumber(parsing: "+33 1 23 45 67 89", defaultRegion: nil)
        let b = try PhoneNumber(parsing: "0033 1 23 45 67 89", defaultRegion: "FR")
        let c = try PhoneNumber(parsing: "01.23.45.67.89", defaultRegion: "fr")
        #expect(a == b && b == c)
        #expect(Set([a, b, c]).count == 1)
    }

    @Test func internationalPrefixOfTheDefaultRegion() throws {
        #expect(try Self.e164("011 44 20 7946 0018", "US") == "+442079460018")
        #expect(try Self.e164("8 10 44 20 7946 0018", "RU") == "+442079460018")
        // "00" is not the US prefix: the digits are a (long) US national number, as libphonenumber says.
        #expect(try Self.e164("00 44 20 7946 0018", "US") == "+100442079460018")
        // No country code starts with 0, so "011" followed by 0 is not taken as the prefix.
        #expect(try Self.e164("011 0 123 456", "US") == "+10110123456")
        // A "+" in front of an IDD is dropped and the IDD used.
        #expect(try Self.e164("+011 44 20 7946 0018", "US") == "+442079460018")
    }

    @Test func ownCountryCodeWithoutPlus() throws {
        #expect(try Self.e164("33 1 23 45 67 89", "FR") == "+33123456789")
        #expect(try Self.e164("0033 1 23 45 67 89", "US") == "+10033123456789")
    }

    @Test func nationalPrefixAndTransformRules() throws {
        // Argentina: trunk 0, area code, the mobile "15" becomes the international "9".
        #expect(try Self.e164("011 15-1234-5678", "AR") == "+5491112345678")
        #expect(try Self.e164("+54 11 15 1234 5678", nil) == "+5491112345678")
        // Brazil: trunk 0 with a carrier selection code (21) is dropped.
        #expect(try Self.e164("0 21 11 98765 4321", "BR") == "+5511987654321")
        #expect(try Self.e164("(11) 98765-4321", "BR") == "+5511987654321")
        #expect(PhoneNumberParser.applyTransformRule("9\\1", groups: ["01115", "11"]) == "911")
        #expect(PhoneNumberParser.applyTransformRule("\\2", groups: ["x", nil, "123"]) == "123")
        #expect(PhoneNumberParser.applyTransformRule("268\\1", groups: ["1234567", nil]) == "268")
    }

    @Test func digitsOfOtherScriptsAndVanityNumbers() throws {
        #expect(try Self.e164("１２３ ４５６ ７８９０", "US") == "+11234567890")
        #expect(try Self.e164("٠١٢٣٤٥٦٧٨٩", "EG") == "+20123456789")
        #expect(try Self.e164("1-800-FLOWERS", "US") == "+18003569377")
        #expect(PhoneSyntax.normalize(Array("1-800-FLOWERS".unicodeScalars)) == "18003569377")
        #expect(PhoneSyntax.normalize(Array("+١٢ 3".unicodeScalars)) == "123")
        // Two letters are not a vanity number, and make the text no number at all.
        #expect(Self.reason("12ab34", "US") == .notANumber)
    }

    @Test func extensionsAreDropped() throws {
        #expect(try Self.e164("+44 20 7946 0018 ext. 12", nil) == "+442079460018")
        #expect(try Self.e164("+1 650 253 0000 x12", nil) == "+16502530000")
        #expect(try Self.e164("tel:+1-650-253-0000;ext=12", nil) == "+16502530000")
    }

    @Test func extractsThePossibleNumber() {
        func extract(_ text: String) -> String {
            PhoneSyntax.string(PhoneSyntax.extractPossibleNumber(Array(text.unicodeScalars)))
        }
        #expect(extract("Tel: +33 1 23.") == "+33 1 23")
        #expect(extract("(530) 583-6985 x302/x2303") == "530) 583-6985 x302")
        #expect(extract("no digits") == "")
        #expect(extract("123#") == "123#")
    }

    @Test func rfc3966PhoneContext() throws {
        #expect(try Self.e164("tel:01-23-45-67-89;phone-context=+33", nil) == "+33123456789")
        #expect(try Self.e164("tel:0123456789;phone-context=example.com", "FR") == "+33123456789")
        #expect(Self.reason("tel:0123456789;phone-context=", "FR") == .notANumber)
        #expect(Self.reason("tel:0123456789;phone-context=-a.com", "FR") == .notANumber)
    }

    @Test(
        arguments: [
            ("abc", nil, .notANumber),
            ("", "FR", .notANumber),
            ("+", nil, .notANumber),
            ("+1", nil, .notANumber),
            ("01 23 45 67 89", nil, .missingRegion),
            ("01 23 45 67 89", "ZZ", .missingRegion),
            ("01 23 45 67 89", "XX", .missingRegion),
            ("+999 123 456", nil, .invalidCountryCode),
            ("+0 123", nil, .invalidCountryCode),
            ("+33 1", "FR", .tooShort),
            ("00 33", "FR", .tooShort),
            ("+33 11111111111111111111", nil, .tooLong),
            (String(repeating: "1", count: 251), "US", .tooLong),
        ] as [(String, String?, PhoneNumberError.Reason)])
    func errorReasons(raw: String, region: String?, expected: PhoneNumberError.Reason) {
        #expect(Self.reason(raw, region) == expected)
    }

    @Test func errorsCarryTheInputAndAHelpfulMessage() {
        do {
            _ = try PhoneNumber(parsing: "01 23 45 67 89", defaultRegion: nil)
            Issue.record("parsed without a region")
        } catch {
            #expect(error.input == "01 23 45 67 89")
            #expect(error.reason == .missingRegion)
            #expect(error.message.contains("+33 1 23 45 67 89"))
            #expect(error.description == error.message)
        }
        do {
            _ = try PhoneNumber(parsing: "123", defaultRegion: "XX")
            Issue.record("parsed with an unknown region")
        } catch {
            #expect(error.message.contains("\"XX\" is not a known"))
        }
        let long = String(repeating: "9", count: 300)
        do {
            _ = try PhoneNumber(parsing: long, defaultRegion: "US")
            Issue.record("parsed 300 digits")
        } catch {
            #expect(error.reason == .tooLong)
            #expect(error.message.count < 300)
        }
    }

    @Test func parsingIsFast() throws {
        let inputs: [(String, String?)] = [
            ("+33 1 23 45 67 89", nil), ("01 23 45 67 89", "FR"), ("011 15-1234-5678", "AR"),
            ("(11) 98765-4321", "BR"), ("+1 (650) 253-0000", nil), ("020 7946 0018", "GB"),
        ]
        for (raw, region) in inputs { _ = try PhoneNumber(parsing: raw, defaultRegion: region) }
        let rounds = 300
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<rounds {
                for (raw, region) in inputs { _ = try PhoneNumber(parsing: raw, defaultRegion: region) }
            }
        }
        let perParse = elapsed / (rounds * inputs.count)
        print("parse: \(perParse) per number")
        // Generous for a debug build on a busy 2-core machine; a release build is several times faster.
        #expect(perParse < .microseconds(1000))
    }
}
