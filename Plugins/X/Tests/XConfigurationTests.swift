import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization
import Testing

@testable import XAdapter

/// Decodes settings written as JSON (the YAML loader hands adapters the same tree).
func configuration(_ json: String) throws -> XConfiguration {
    try JSONDecoder().decode(XConfiguration.self, from: Data(json.utf8))
}

/// The message a refused configuration gives the admin.
func configurationError(_ json: String) -> String? {
    do {
        _ = try configuration(json)
        return nil
    } catch DecodingError.dataCorrupted(let context) {
        return context.debugDescription
    } catch {
        return "\(error)"
    }
}

@Suite struct XConfigurationTests {
    @Test func defaults() throws {
        let settings = try configuration(#"{"account_id": "2244994945", "access_token": "\#(accessToken)"}"#)
        #expect(settings.accountID == "2244994945")
        #expect(settings.mode == .polling)
        #expect(settings.pollInterval == .seconds(60))
        #expect(settings.apiBaseURL == "https://api.x.com")
        #expect(settings.dms)
        #expect(settings.listen.isEmpty)
        #expect(settings.consumerSecret == nil)
    }

    @Test func everything() throws {
        let settings = try configuration(
            #"""
            {"account_id": 2244994945, "access_token": "\#(accessToken)", "mode": "webhook",
             "consumer_secret": "\#(consumerSecret)", "listen": ["Acme", "Acme Rocket"], "poll_interval": "2m",
             "api_base_url": "http://127.0.0.1:9000/", "dms": false}
            """#)
        #expect(settings.accountID == "2244994945")
        #expect(settings.mode == .webhook)
        #expect(settings.listen == ["Acme", "Acme Rocket"])
        #expect(settings.pollInterval == .seconds(120))
        #expect(settings.apiBaseURL == "http://127.0.0.1:9000")
        #expect(!settings.dms)
    }

    @Test func mistakesAreExplained() {
        let token = #""access_token": "\#(accessToken)""#
        #expect(configurationError(#"{"account_id": "@TwitterDev", \#(token)}"#)?.contains("numeric") == true)
        #expect(
            configurationError(#"{"account_id": "1", \#(token), "bearer_token": "AAAAbearer"}"#)?
                .contains("user-context") == true)
        let shortToken = configurationError(#"{"account_id": "1", "access_token": "abc"}"#)
        #expect(shortToken?.contains("OAuth 2.0") == true)
        #expect(shortToken?.contains("abc") == false)
        #expect(
            configurationError(#"{"account_id": "1", \#(token), "mode": "webhook"}"#)?.contains("consumer_secret")
                == true)
        #expect(configurationError(#"{"account_id": "1", \#(token), "mode": "stream"}"#) != nil)
        #expect(
            configurationError(#"{"account_id": "1", \#(token), "listen": ["@Acme"]}"#)?.contains("without the @")
                == true)
        #expect(configurationError(#"{"account_id": "1", \#(token), "listen": [" "]}"#) != nil)
        #expect(configurationError(#"{"account_id": "1", \#(token), "poll_interval": "5s"}"#)?.contains("15s") == true)
        #expect(configurationError(#"{"account_id": "1", \#(token), "poll_interval": "soon"}"#) != nil)
        #expect(configurationError(#"{"account_id": "1", \#(token), "api_base_url": "api.x.com"}"#) != nil)
        #expect(configurationError(#"{"account_id": "1"}"#) != nil)
    }
}

@Suite struct XScheduleTests {
    @Test func successWaitsTheIntervalFailuresBackOffAndCredentialsStop() {
        var schedule = XPollSchedule(interval: .seconds(60))
        #expect(schedule.decide(after: nil, for: .mentions) == .wait(.seconds(60)))
        let flaky = SendError(.transient, "HTTP 503")
        #expect(schedule.decide(after: flaky, for: .mentions) == .wait(.seconds(120)))
        #expect(schedule.decide(after: flaky, for: .mentions) == .wait(.seconds(240)))
        // Another source keeps its own count.
        #expect(schedule.decide(after: flaky, for: .directMessages) == .wait(.seconds(120)))
        for _ in 0..<10 { _ = schedule.decide(after: flaky, for: .mentions) }
        #expect(schedule.decide(after: flaky, for: .mentions) == .wait(XPollSchedule.maxBackoff))
        #expect(schedule.decide(after: nil, for: .mentions) == .wait(.seconds(60)))
        #expect(schedule.decide(after: flaky, for: .mentions) == .wait(.seconds(120)))

        #expect(
            schedule.decide(after: SendError(.rateLimited, "429"), for: .mentions) == .wait(XPollSchedule.maxBackoff))
        #expect(
            schedule.decide(after: TransportError(isRetryable: true, "timeout"), for: .listening("a"))
                == .wait(.seconds(120)))
        #expect(schedule.decide(after: SendError(.unauthorized, "401"), for: .mentions) == .stop)
        #expect(schedule.decide(after: PollError("refused"), for: .mentions) == .stop)
    }

    @Test func runStopsPromptlyWhenCancelled() async throws {
        let http = fakeXAPI()
        let adapter = makeAdapter(http: http, listen: ["Acme"])
        let started = ContinuousClock.now
        let task = Task { try await adapter.run() }
        while http.requests.withLock({ $0.count }) < 3 {
            try await Task.sleep(for: .milliseconds(10))
            // Long enough for a machine whose two cores are busy with the rest of the suite.
            if ContinuousClock.now - started > .seconds(60) { break }
        }
        // One poll of each source, then the loop sleeps for poll_interval (15s).
        #expect(Set(http.requests.withLock { $0.map(path) }).count == 3)
        let cancelled = ContinuousClock.now
        task.cancel()
        _ = await task.result
        // Well before the 15 s poll interval would end (generous: the suite runs on a loaded machine).
        #expect(ContinuousClock.now - cancelled < .seconds(10))
        #expect(http.requests.withLock { $0.count } == 3)
    }

    @Test func runStopsOnRefusedCredentials() async throws {
        let http = fakeXAPI()
        http.answer(401, #"{"title":"Unauthorized","type":"about:blank","status":401}"#)
        let adapter = makeAdapter(http: http)
        await #expect(throws: SendError.self) { try await adapter.run() }
    }
}
