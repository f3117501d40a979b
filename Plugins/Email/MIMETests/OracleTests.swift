import EmailMIME
import Foundation
import Testing

/// Compares MIMEParser with Python's `email` package (`policy.default`) on the real-world corpus
/// in `Corpus/` (see `Corpus/SOURCES.md`), through `scripts/mime-oracle.py`.
///
/// Compared per file: the decoded subject, the From addr-specs, and the body text. Text is
/// compared after collapsing whitespace runs and trimming (line-break conventions differ).
/// When Python finds no text/plain body it reports the HTML body; that HTML is run through our
/// `HTMLText` and compared with our `text`, so both sides go through the same HTML-to-text step
/// and the comparison checks part selection, transfer decoding and charsets, not two different
/// HTML renderers. `HTMLText` has its own tests.
///
/// Every genuine difference is listed in `knownDifferences` with the reason; the test asserts
/// that the set of differing (file, field) pairs is exactly that list, so a new difference (or
/// a fixed one) fails.
@Suite struct OracleTests {
    struct Difference {
        var file: String
        var field: String
        var ours: String
        var python: String
        var why: String
    }

    // | file                 | field   | ours                          | Python                     |
    // |----------------------|---------|-------------------------------|----------------------------|
    // | mail_malformed_3.eml | text    | the HTML part's text          | "" (no body found)         |
    // | mail_test_12.eml     | text    | 你好！我公司可代开…            | mojibake with U+FFFD       |
    // | mail_test_17.eml     | text    | "Test" (from the HTML part)   | "" (the empty plain part)  |
    // | mail_test_19.eml     | from    | bob@example.com               | alice@example.com          |
    // | mail_test_9.eml      | subject | …是什么屄，这种…               | …是什么�拢�这种…           |
    // | mail_test_9.eml      | text    | same character                | same U+FFFD                |
    static let knownDifferences: [Difference] = [
        Difference(
            file: "mail_malformed_3.eml", field: "text", ours: "Problemas para visualizar | Ver on-line …",
            python: "",
            why: """
                The declared boundary (--=_HsWzsKVZkho) never occurs; the body uses ----=_GlSzQZUbRbpVOpy.                 We recover the boundary from the first `--token` line followed by a Content- header (with a                 warning) and read the HTML part; Python gives up and finds no body. Ours is the better reading.
                """),
        Difference(
            file: "mail_test_12.eml", field: "text", ours: "你好！我公司可代开各类增值税发票…",
            python: "浣�濂斤���…",
            why: """
                Declared charset=GB2312 but the bytes are UTF-8 (a mislabelled template). Long valid UTF-8                 is improbable in GB2312/GBK text, so we decode as UTF-8 (with a warning); Python decodes                 as declared and produces mojibake.
                """),
        Difference(
            file: "mail_test_17.eml", field: "text", ours: "Test", python: "",
            why: """
                multipart/alternative whose text/plain part is blank and whose HTML part says "Test".                 A blank plain alternative is not a suitable body, so we derive the text from the HTML;                 Python returns the blank plain part.
                """),
        Difference(
            file: "mail_test_19.eml", field: "from", ours: "bob@example.com", python: "alice@example.com",
            why: """
                `From: alice@example.com <bob@example.com>`: the addr-spec is the one in angle brackets;                 the unquoted display name is invalid but clearly a name. mail-parser's own test expects                 bob@example.com for this file (tests/test_mail_parser.py, "display name is itself an                 email address").
                """),
        Difference(
            file: "mail_test_9.eml", field: "subject", ours: "…是什么屄，这种场合…", python: "…是什么�拢�这种场合…",
            why: """
                Encoded words declared gb2312 carry a GBK-only character. Like browsers (WHATWG) and mail                 clients we decode gb2312 with the GB18030 superset; Python's strict gb2312 codec replaces                 the bytes with U+FFFD.
                """),
        Difference(
            file: "mail_test_9.eml", field: "text", ours: "…是什么屄，这种场合…", python: "…是什么�拢�这种场合…",
            why: "The same GBK-only character in the gb2312 HTML body; see the subject row."),
    ]

    struct OracleRecord: Decodable {
        var file: String
        var subject: String?
        var from: [String]
        var text: String?
        var html: String?
        var error: String?
    }

    static func runOracle(_ files: [URL]) throws -> [String: OracleRecord] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", Support.root.appendingPathComponent("scripts/mime-oracle.py").path] + files.map(\.path)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleFailure(message: "python3 oracle failed (\(process.terminationStatus)): \(errorText)")
        }
        var records: [String: OracleRecord] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let record = try JSONDecoder().decode(OracleRecord.self, from: Data(line))
            records[URL(fileURLWithPath: record.file).lastPathComponent] = record
        }
        return records
    }

    struct OracleFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @Test func corpusMatchesPythonEmail() throws {
        let files = Support.corpusMails()
        #expect(files.count >= 30)
        let oracle = try Self.runOracle(files)
        #expect(oracle.count == files.count, "python3 must read every corpus file")
        var differing: [String: (ours: String, python: String)] = [:]
        for url in files {
            let name = url.lastPathComponent
            let record = try #require(oracle[name], "no oracle output for \(name)")
            #expect(record.error == nil, "python failed on \(name): \(record.error ?? "")")
            let mail = MIMEParser.parse(Support.bytes(url))
            let subject = Support.normalized(mail.subject ?? "")
            let pythonSubject = Support.normalized(record.subject ?? "")
            if subject != pythonSubject { differing["\(name)|subject"] = (subject, pythonSubject) }
            let from = mail.from.map(\.address)
            if from != record.from {
                differing["\(name)|from"] = (from.joined(separator: ", "), record.from.joined(separator: ", "))
            }
            let pythonText: String
            if let text = record.text {
                pythonText = Support.normalized(text)
            } else if let html = record.html {
                pythonText = Support.normalized(HTMLText.plainText(fromHTML: html))
            } else {
                pythonText = ""
            }
            let text = Support.normalized(mail.text)
            if text != pythonText { differing["\(name)|text"] = (text, pythonText) }
        }
        let expected = Set(Self.knownDifferences.map { "\($0.file)|\($0.field)" })
        for key in differing.keys.sorted() where !expected.contains(key) {
            let pair = differing[key] ?? ("", "")
            Issue.record(
                "new difference \(key):\n  ours:   \(pair.ours.prefix(600))\n  python: \(pair.python.prefix(600))")
        }
        for key in expected.sorted() where differing[key] == nil {
            Issue.record("listed difference \(key) no longer differs; remove it from knownDifferences")
        }
    }
}
