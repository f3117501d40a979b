import Testing

@testable import SwitchboardPhoneNumbers

/// The public region API and the generated metadata.
@Suite struct PhoneRegionsAndMetadataTests {
    @Test func knownRegions() {
        #expect(PhoneRegions.isKnown("FR"))
        #expect(PhoneRegions.isKnown("fr"))
        #expect(PhoneRegions.isKnown("Gb"))
        #expect(!PhoneRegions.isKnown("ZZ"))
        #expect(!PhoneRegions.isKnown("XX"))
        #expect(!PhoneRegions.isKnown("001"))
        #expect(!PhoneRegions.isKnown(""))
    }

    @Test func countryCodes() {
        #expect(PhoneRegions.countryCode(for: "FR") == 33)
        #expect(PhoneRegions.countryCode(for: "ca") == 1)
        #expect(PhoneRegions.countryCode(for: "GG") == 44)
        #expect(PhoneRegions.countryCode(for: "ZZ") == nil)
    }

    @Test func metadataVersionIsThePinnedOne() {
        #expect(PhoneRegions.metadataVersion == "9.0.43")
    }

    @Test func allRegionsAndEntitiesAreLoaded() {
        let store = PhoneMetadataStore.shared
        #expect(store.regions.count == 245)
        #expect(store.nonGeographic.keys.sorted() == [800, 808, 870, 878, 881, 882, 883, 888, 979])
        #expect(store.mainRegion(forCountryCode: 1) == "US")
        #expect(store.mainRegion(forCountryCode: 44) == "GB")
        #expect(store.mainRegion(forCountryCode: 800) == "001")
        #expect(store.metadata(forCountryCode: 800)?.possibleLengths == [8])
        #expect(store.regions["AR"]?.nationalPrefixTransformRule == "9\\1")
        #expect(store.regions["MX"]?.nationalPrefixForParsing == nil)
    }

    @Test func everyMetadataPatternCompilesInICU() {
        var failures: [String] = []
        for metadata in PhoneMetadataStore.shared.allMetadata {
            let patterns = [metadata.internationalPrefix, metadata.nationalPrefixForParsing, metadata.generalPattern]
            for pattern in patterns.compactMap({ $0 }) where !pattern.compiles {
                failures.append("\(metadata.key): \(pattern.source)")
            }
        }
        #expect(failures.isEmpty, "patterns ICU rejects: \(failures)")
        #expect(PhoneSyntax.viablePhoneNumber.compiles)
        #expect(PhoneSyntax.extensionAtEnd.compiles)
    }

    @Test func possibleLengthTest() throws {
        let gb = try #require(PhoneMetadataStore.shared.regions["GB"])  // lengths 7, 9, 10; local only 4, 5, 6, 8
        #expect(gb.testLength("2079460018") == .isPossible)
        #expect(gb.testLength("20794600") == .isPossibleLocalOnly)
        #expect(gb.testLength("123") == .tooShort)
        #expect(gb.testLength("12345678901") == .tooLong)
        let fr = try #require(PhoneMetadataStore.shared.regions["FR"])
        #expect(fr.testLength("12345678") == .tooShort || fr.testLength("12345678") == .invalidLength)
    }

    @Test func patternMatchingFollowsPython() {
        let pattern = PhonePattern("\\d{2}|\\d{4}")
        // re.match takes the first alternative; fullmatch still finds the second.
        #expect(pattern.matchAtStart("1234")?.end == 2)
        #expect(pattern.matchesWhole("1234"))
        #expect(!pattern.matchesWhole("123"))
        let groups = PhonePattern("0(1)?(2)").matchAtStart("02")
        #expect(groups?.groupCount == 2)
        #expect(groups?.groups[1] == nil)
        #expect(groups?.groups[2] == "2")
    }
}
