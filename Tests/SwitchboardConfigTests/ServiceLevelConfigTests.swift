import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// `business_hours:` and `sla:`: good values load, and `config check` names each mistake.
struct ServiceLevelConfigTests {
    let loader = ConfigLoader(registry: BuiltinAdapters.registry, environment: ["SECRET": "0123456789abcdef0123"])
    let base =
        "storage: {sqlite: {path: x}}\nchannels:\n  - id: shop\n    type: webhook\n    settings:\n      secret: ${SECRET}\n"

    func problems(_ yaml: String) -> [String] {
        loader.load(yaml: base + yaml, file: "t.yaml").diagnostics.map(\.description)
    }

    @Test func hoursAndPoliciesLoad() throws {
        let yaml = """
            business_hours:
              time_zone: Europe/Paris
              days: { mon: "09:00-12:00, 13:00-17:00", fri: "09:00-24:00" }
              holidays: [2026-12-25]
            sla:
              - name: shop
                channels: [shop]
                tags: [vip]
                first_response: 30m
                resolution: 2d
                business_hours: false
              - name: standard
                next_response: 4h

            """
        let config = try #require(loader.load(yaml: base + yaml, file: "t").config)
        #expect(config.businessHours.timeZone.identifier == "Europe/Paris")
        #expect(
            config.businessHours.week[2]
                == [.init(start: 540, end: 720), .init(start: 780, end: 1020)])
        #expect(config.businessHours.week[6] == [.init(start: 540, end: 1440)])
        #expect(config.businessHours.holidays == ["2026-12-25"])
        #expect(
            config.slaPolicies == [
                SLAPolicy(
                    name: "shop", channels: ["shop"], tags: ["vip"], firstResponse: 1800, resolution: 172_800,
                    businessHoursOnly: false),
                SLAPolicy(name: "standard", nextResponse: 14_400),
            ])
        // Absent sections: every hour counts, and there are no targets.
        let plain = try #require(loader.load(yaml: base, file: "t").config)
        #expect(plain.businessHours == .always && plain.slaPolicies.isEmpty)
    }

    @Test(arguments: [
        (
            "business_hours: {time_zone: Mars/Olympus, days: {mon: \"09:00-17:00\"}}\n",
            "'Mars/Olympus' is not a time zone"
        ),
        (
            "business_hours: {time_zone: UTC, days: {mon: \"17:00-09:00\"}}\n",
            "mon: '17:00-09:00' is not a list of hours"
        ),
        ("business_hours: {time_zone: UTC, days: {monday: \"09:00-17:00\"}}\n", "'monday' is not a day"),
        ("business_hours: {time_zone: UTC, days: {}}\n", "name at least one day"),
        (
            "business_hours: {time_zone: UTC, days: {mon: \"09:00-17:00\"}, holidays: [christmas]}\n",
            "'christmas' is not a date"
        ),
        (
            "business_hours: {time_zone: UTC, days: {mon: \"09:00-17:00\"}, holidays: [2026-02-30]}\n",
            "'2026-02-30' is not a date"
        ),
        ("sla:\n  - name: x\n", "SLA 'x' sets no target"),
        ("sla:\n  - name: x\n    first_response: soon\n", "expected a duration"),
        ("sla:\n  - name: x\n    first_response: 0s\n", "longer than 0s"),
        (
            "sla:\n  - name: x\n    channels: [shopp]\n    resolution: 1d\n",
            "no channel 'shopp' in channels:; known: shop"
        ),
        (
            "sla:\n  - name: x\n    resolution: 1d\n  - name: x\n    resolution: 2d\n",
            "SLA name 'x' is already used on line 8"
        ),
    ])
    func mistakesAreExplained(yaml: String, expected: String) {
        let found = problems(yaml)
        #expect(found.count == 1 && found.first?.contains(expected) == true, "\(found)")
    }
}
