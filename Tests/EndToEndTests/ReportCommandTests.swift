import Foundation
import SwitchboardAdapterKit
import Testing

/// `switchboard report` on a running hub's store: what agents did through the API shows up in
/// the CSV (from the event log), and bad options are refused with exit status 2.
struct ReportCommandTests {
    @Test func theReportCountsWhatHappenedAndRefusesBadOptions() async throws {
        let hub = try await HubProcess.start(
            extraYAML: "sla:\n  - name: shop\n    first_response: 1h\n    business_hours: false")
        do {
            _ = try await ingest(hub, #"{"id":"r-1","from":"email:rae@example.com","text":"Hello?","thread":"t-1"}"#)
            let conversation = try #require(
                (try conversations(hub, "email:rae@example.com").first)?["id"] as? String)
            #expect(
                try await hub.api(
                    "POST", "/conversations/\(conversation)/replies", json: #"{"text":"Hi Rae","author":"Bo"}"#
                ).status == 202)
            #expect(
                try await hub.api("POST", "/conversations/\(conversation)/status", json: #"{"status":"resolved"}"#)
                    .status == 200)

            let report = try hub.cli(["report", "--group", "all", "--csv"])
            #expect(report.status == 0, "\(report.error)")
            let lines = report.output.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let header = try #require(lines.first)
            let all = try #require(lines.first { $0.first == "all" && $0.dropFirst().first == "all" })
            let row = Dictionary(uniqueKeysWithValues: zip(header, all))
            #expect(row["conversations"] == "1" && row["messages_in"] == "1" && row["messages_out"] == "1")
            #expect(row["first_responses"] == "1" && row["resolved"] == "1" && row["resolution_rate"] == "1")
            #expect(row["reopen_rate"] == "0" && row["sla_breaches"] == "0")
            #expect(lines.contains { $0.dropFirst().first == "shop" })

            // The API gives the same numbers.
            let answer = try json(try await hub.api("GET", "/reports?group=all"))
            let rows = try #require(answer["rows"] as? [[String: Any]])
            #expect(rows.count == lines.count - 1)
            for (apiRow, csvRow) in zip(rows, lines.dropFirst()) {
                for (name, field) in zip(header, csvRow) {
                    let apiField = apiRow[name].map { value -> String in
                        if let number = value as? NSNumber, !(value is String) {
                            return number.doubleValue == number.doubleValue.rounded()
                                ? String(number.int64Value) : String(number.doubleValue)
                        }
                        return "\(value)"
                    }
                    #expect((apiField ?? "") == field, "\(name)")
                }
            }
            #expect(try await hub.api("GET", "/reports?from=2026-02-30").status == 400)
            // group is one of day, week, all (as the OpenAPI document says): empty is not one.
            #expect(try await hub.api("GET", "/reports?group=").status == 400)
            let sla = try json(try await hub.api("GET", "/conversations/\(conversation)/sla"))
            #expect(sla["policy"] as? String == "shop" && sla["state"] as? String == "met")
            #expect((sla["checks"] as? [[String: Any]])?.map { $0["target"] as? String } == ["first_response"])

            let table = try hub.cli(["report"])
            #expect(table.status == 0 && table.output.contains("SLA breaches") && table.output.contains("shop"))

            for bad in [
                ["--from", "2026-13-01"], ["--from", "2026-12-08", "--to", "2026-12-01"], ["--group", "month"],
            ] {
                let refused = try hub.cli(["report"] + bad)
                #expect(refused.status == 2, "\(bad)")
                #expect(refused.error.contains("error:"), "\(refused.error)")
            }
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    @Test func theInboxMarksConversationsInBreachAndAtRisk() async throws {
        // Every hour counts, so the targets run out while the test watches: 2 s for the shop's
        // conversations, 20 s for those tagged urgent (at risk in its last 5 s).
        let hub = try await HubProcess.start(
            extraYAML: """
                sla:
                  - name: urgent
                    tags: [urgent]
                    first_response: 20s
                    business_hours: false
                  - name: shop
                    first_response: 2s
                    business_hours: false
                """)
        do {
            #expect(try hub.cli(["users", "add", "Bo Agent"]).status == 0)
            #expect(try hub.cli(["users", "password", "Bo Agent"], input: "bo's long password\n").status == 0)
            _ = try await ingest(hub, #"{"id":"s-1","from":"email:sal@example.com","text":"Late?","thread":"t-1"}"#)
            let late = try #require((try conversations(hub, "email:sal@example.com").first)?["id"] as? String)
            _ = try await ingest(hub, #"{"id":"s-2","from":"email:uri@example.com","text":"Soon?","thread":"t-2"}"#)
            let soon = try #require((try conversations(hub, "email:uri@example.com").first)?["id"] as? String)
            #expect(try await hub.api("PATCH", "/conversations/\(soon)", json: #"{"tags":["urgent"]}"#).status == 200)
            let browser = WebInboxTests.Browser(hub)
            #expect(try await browser.logIn("Bo Agent", "bo's long password").status == 303)
            func row(_ id: String) async throws -> String {
                let page = try await browser.request("GET", "/inbox").text
                return page.components(separatedBy: "<tr class=\"conversation-row").first { $0.contains(id) } ?? ""
            }
            #expect(!(try await row(soon)).contains("SLA "), "on time: no badge")
            #expect(
                try await eventually(timeout: .seconds(10)) {
                    let text = try await row(late)
                    return text.contains("SLA breached") && text.contains("shop: first response")
                })
            #expect(
                try await eventually(timeout: .seconds(30)) { try await row(soon).contains("SLA at risk") },
                "the urgent conversation is at risk in its last 5 seconds")
            #expect(try json(try await hub.api("GET", "/conversations/\(late)/sla"))["state"] as? String == "breached")
            // Answered: no badge any more for the shop's conversation once it is resolved.
            #expect(
                try await hub.api("POST", "/conversations/\(late)/status", json: #"{"status":"resolved"}"#).status
                    == 200)
            #expect(!(try await row(late)).contains("SLA "))
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }
}
