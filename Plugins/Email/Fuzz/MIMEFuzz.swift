import EmailMIME
import Foundation

#if FUZZING
    /// libFuzzer's entry point: parses the input and runs the text helpers over the result, so any
    /// trap, overflow or runaway loop in the parser shows up as a crash or a timeout.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        MIMEFuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
#else
    /// Replays files through the same harness the fuzzer uses (`swift run MIMEFuzz crash-…`), so a
    /// crash the fuzzer found can be reproduced and debugged in a normal build.
    @main
    struct MIMEFuzzReplay {
        static func main() {
            let paths = CommandLine.arguments.dropFirst()
            if paths.isEmpty {
                print("usage: MIMEFuzz FILE...  (replays each file through MIMEParser)")
                return
            }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read")
                    continue
                }
                let mail = MIMEFuzzHarness.run(Array(data))
                print(
                    "\(path): \(mail.contentType), \(mail.attachments.count) attachment(s), \(mail.warnings.count) warning(s)"
                )
            }
        }
    }
#endif

/// What one fuzz iteration does, shared by the fuzzer and the replay tool.
enum MIMEFuzzHarness {
    @discardableResult
    static func run(_ bytes: [UInt8]) -> ParsedMail {
        let mail = MIMEParser.parse(bytes)
        _ = ReplyText.newText(mail.text)
        if let html = mail.html { _ = HTMLText.plainText(fromHTML: html) }
        _ = HTMLText.plainText(fromHTML: String(decoding: bytes, as: UTF8.self))
        _ = EncodedWord.decode(mail.subject ?? "")
        _ = mail.header("Received")
        if let sender = mail.from.first {
            var builder = MailBuilder(
                from: sender, to: mail.to, subject: mail.subject ?? "", messageID: mail.messageID ?? "x@y",
                date: mail.date ?? Date(timeIntervalSince1970: 0))
            builder.text = mail.text
            builder.html = mail.html
            _ = MIMEParser.parse(builder.build())
        }
        return mail
    }
}
