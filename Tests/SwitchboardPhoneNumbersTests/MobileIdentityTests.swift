import Testing

@testable import SwitchboardPhoneNumbers

/// `PhoneNumber.mobileIdentity`: each rule where it applies and where it must not.
@Suite struct MobileIdentityTests {
    static func identity(_ raw: String) throws -> String {
        try PhoneNumber(parsing: raw, defaultRegion: nil).mobileIdentity.e164
    }

    @Test func brazilInsertsTheNinthDigitIntoOldMobiles() throws {
        #expect(try Self.identity("+55 11 8765 4321") == "+5511987654321")
        #expect(try Self.identity("+55 21 7654 3210") == "+5521976543210")
        #expect(try Self.identity("+55 61 6123 4567") == "+5561961234567")
        let old = try PhoneNumber(parsing: "+55 11 8765-4321", defaultRegion: nil)
        let new = try PhoneNumber(parsing: "(11) 98765-4321", defaultRegion: "BR")
        #expect(old != new)
        #expect(old.mobileIdentity == new.mobileIdentity)
    }

    @Test func brazilLeavesLandlinesAndNewMobilesAlone() throws {
        #expect(try Self.identity("+55 11 3456 7890") == "+551134567890")  // landline, starts with 3
        #expect(try Self.identity("+55 21 2345 6789") == "+552123456789")  // landline, starts with 2
        #expect(try Self.identity("+55 11 98765 4321") == "+5511987654321")  // already 9 digits
        #expect(try Self.identity("+55 800 123 4567") == "+558001234567")  // 10 digits, not an area code
    }

    @Test func mexicoDropsTheOldMobileOne() throws {
        // libphonenumber's parse keeps the "1" (its MX metadata has no national prefix for parsing).
        #expect(try PhoneNumber(parsing: "+52 1 55 1234 5678", defaultRegion: nil).e164 == "+5215512345678")
        #expect(try Self.identity("+52 1 55 1234 5678") == "+525512345678")
        #expect(try Self.identity("+52 1 33 1234 5678") == "+523312345678")
    }

    @Test func mexicoLeavesTenDigitNumbersAlone() throws {
        #expect(try Self.identity("+52 55 1234 5678") == "+525512345678")
        #expect(try Self.identity("+52 155 123 4567") == "+521551234567")  // 10 digits starting with 1
    }

    @Test func argentinaAddsTheMobileNine() throws {
        #expect(try Self.identity("+54 11 1234 5678") == "+5491112345678")
        #expect(try Self.identity("+54 351 123 4567") == "+5493511234567")
        #expect(try Self.identity("+54 2204 12 3456") == "+5492204123456")
        let gateway = try PhoneNumber(parsing: "+54 11 1234 5678", defaultRegion: nil)
        let national = try PhoneNumber(parsing: "011 15-1234-5678", defaultRegion: "AR")
        #expect(national.e164 == "+5491112345678")
        #expect(gateway.mobileIdentity == national.mobileIdentity)
    }

    @Test func argentinaLeavesMobilesAndServiceNumbersAlone() throws {
        #expect(try Self.identity("+54 9 11 1234 5678") == "+5491112345678")  // already has the 9
        #expect(try Self.identity("+54 800 123 4567") == "+548001234567")  // toll free
        #expect(try Self.identity("+54 810 123 4567") == "+548101234567")  // shared cost
        #expect(try Self.identity("+54 600 123 4567") == "+546001234567")  // premium
    }

    @Test func otherCountriesAreUnchanged() throws {
        for raw in ["+33 6 12 34 56 78", "+1 650 253 0000", "+44 7700 900123", "+39 312 345 6789", "+800 1234 5678"] {
            let number = try PhoneNumber(parsing: raw, defaultRegion: nil)
            #expect(number.mobileIdentity == number)
        }
    }

    @Test func identityIsIdempotent() throws {
        for raw in ["+55 11 8765 4321", "+52 1 55 1234 5678", "+54 11 1234 5678", "+33 6 12 34 56 78"] {
            let once = try PhoneNumber(parsing: raw, defaultRegion: nil).mobileIdentity
            #expect(once.mobileIdentity == once)
        }
    }
}
