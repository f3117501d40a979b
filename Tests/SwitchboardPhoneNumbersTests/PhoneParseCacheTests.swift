import Testing

@testable import SwitchboardPhoneNumbers

/// Parsing goes through a cache (``PhoneParseCache``): the answers must be the parser's own, for
/// numbers and for errors, and the cache must stay within its bound.
struct PhoneParseCacheTests {
    @Test func aCachedAnswerIsTheParsersAnswer() throws {
        for _ in 0..<3 {
            #expect(try PhoneNumber(parsing: "01 23 45 67 89", defaultRegion: "FR").e164 == "+33123456789")
            // The same text in another region is another number.
            #expect(try PhoneNumber(parsing: "01 23 45 67 89", defaultRegion: "fr").e164 == "+33123456789")
            #expect(try PhoneNumber(parsing: "0161 496 0000", defaultRegion: "GB").e164 == "+441614960000")
        }
    }

    @Test func aCachedErrorIsTheParsersError() {
        var messages: [String] = []
        for _ in 0..<2 {
            do {
                _ = try PhoneNumber(parsing: "0612345678", defaultRegion: nil)
                Issue.record("a national number without a region parsed")
            } catch {
                #expect(error.reason == .missingRegion)
                messages.append(error.description)
            }
        }
        #expect(messages.count == 2 && messages[0] == messages[1])
    }

    @Test func theCacheKeepsItsBoundAndItsWorkingSet() {
        let cache = PhoneParseCache(capacity: 100)
        func key(_ n: Int) -> PhoneParseCache.Key { .init(raw: "+33612\(n)", region: nil) }
        let number = Result<PhoneNumber, PhoneNumberError>.success(PhoneNumber(countryCode: 33, nationalNumber: "6"))
        for round in 0..<5 {
            for n in 0..<150 {
                if cache.answer(for: key(n)) == nil { cache.remember(number, for: key(n)) }
                #expect(cache.count <= 200, "round \(round)")
            }
        }
        // The 60 most recent keys are still there after the churn.
        #expect((90..<150).allSatisfy { cache.answer(for: key($0)) != nil })
        let long = PhoneParseCache.Key(raw: String(repeating: "1", count: 65), region: nil)
        cache.remember(number, for: long)
        #expect(cache.answer(for: long) == nil)
    }
}
