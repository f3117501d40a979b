import Foundation
import SwitchboardAdapterKit

/// Reads what smsbox sends: a mobile-originated SMS through the sms-service `get-url`
/// (`from=%p&to=%P&text=%b&charset=%C&coding=%c&time=%T&id=%I&smsc=%i`) and a delivery report
/// through the `dlr-url` we gave with each reply (`status=%d&answer=%A`). Kannel's escape codes:
/// https://www.kannel.org/download/1.4.5/userguide-1.4.5/userguide.html#get-url (sms-service).
enum KannelInbound {
    static func envelope(_ request: WebhookRequest, channel: ChannelID, region: PhoneRegion?, receivedAt: Date)
        throws(WebhookRequestError) -> InboundEnvelope
    {
        let query = RawQuery(request.rawQuery)
        guard let id = query.text("id"), !id.isEmpty, id.count <= 128 else {
            throw WebhookRequestError("'id' is missing: add id=%I to the sms-service get-url")
        }
        guard let fromText = query.text("from"), !fromText.isEmpty else {
            throw WebhookRequestError("'from' is missing: add from=%p to the sms-service get-url")
        }
        let from = try sender(fromText, region: region)
        let to = query.text("to").flatMap { try? Address.mobile($0, defaultRegion: region) }
        let text = try decodeText(
            query.bytes("text") ?? [], charset: query.text("charset"), coding: query.text("coding"))
        var sentAt = receivedAt
        if let time = query.text("time"), let seconds = TimeInterval(time), seconds > 0 {
            sentAt = Date(timeIntervalSince1970: seconds)
        }
        let threadKey = [from.description, to?.description ?? query.text("to") ?? "-"].joined(separator: "|")
        return InboundEnvelope(
            channel: channel, externalID: id, from: from, to: to, threadKey: threadKey, text: text, sentAt: sentAt,
            raw: RawPayload(contentType: "application/x-www-form-urlencoded", bytes: Array(request.rawQuery.utf8)),
            hints: IdentityHints(rawHandle: fromText == from.value ? nil : fromText))
    }

    /// A phone number becomes a `tel:` address in its mobile identity form. An alphanumeric sender
    /// (`ACME`) or a short code (6 digits or fewer, no `+`) is not a phone: it is kept as an
    /// `sms-sender:` address, so its message is not lost, though replies to it cannot be sent.
    static func sender(_ text: String, region: PhoneRegion?) throws(WebhookRequestError) -> Address {
        let digits = text.filter(\.isNumber)
        let isShortCode = !text.hasPrefix("+") && !text.hasPrefix("00") && digits.count <= 6
        if isShortCode || text.contains(where: \.isLetter) {
            do {
                return try Address(kind: "sms-sender", value: text.filter { !$0.isWhitespace })
            } catch {
                throw WebhookRequestError("'from' \(error.message)")
            }
        }
        do {
            return try Address.mobile(text, defaultRegion: region)
        } catch {
            throw WebhookRequestError("'from' \(error.message)")
        }
    }

    /// Kannel passes the text in the message's own coding: UCS-2 arrives as UTF-16BE bytes, 8-bit
    /// as the bytes given, 7-bit converted to the smsbox's charset (UTF-8 unless configured).
    static func decodeText(_ bytes: [UInt8], charset: String?, coding: String?) throws(WebhookRequestError) -> String {
        let name = (charset ?? "").uppercased()
        let encoding: String.Encoding
        switch name {
        case "UTF-16BE", "UCS-2", "UCS-2BE", "UTF-16": encoding = .utf16BigEndian
        case "ISO-8859-1", "LATIN1", "ISO8859-1", "8-BIT": encoding = .isoLatin1
        case "WINDOWS-1252", "CP1252": encoding = .windowsCP1252
        case "", "UTF-8", "UTF8": encoding = coding == "2" ? .utf16BigEndian : .utf8
        default:
            throw WebhookRequestError(
                "charset '\(charset ?? "")' is not one Switchboard reads (UTF-8, UTF-16BE, ISO-8859-1)")
        }
        guard let text = String(data: Data(bytes), encoding: encoding) else {
            throw WebhookRequestError("'text' is not valid \(name.isEmpty ? "UTF-8" : name)")
        }
        return text
    }

    /// One delivery report, in the hub's terms; nil for reports that change nothing (buffered).
    /// Kannel's DLR types (userguide, dlr-mask): 1 delivered, 2 failed, 4 buffered, 8 SMSC
    /// accepted, 16 SMSC rejected. 8 and 1 may arrive in either order; the store never lets a
    /// late `sent` overwrite `delivered`.
    static func deliveryStatus(_ code: String?, answer: String?) throws(WebhookRequestError) -> DeliveryStatus? {
        guard let code, let value = Int(code) else {
            throw WebhookRequestError("'status' is missing: the dlr-url needs status=%d")
        }
        let detail = answer.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? ""
        switch value {
        case 1: return .delivered
        case 2: return .failed(reason: "Kannel reported the SMS undelivered\(detail)")
        case 16: return .failed(reason: "the SMSC rejected the SMS\(detail)")
        case 8: return .sent
        case 4: return nil
        default: throw WebhookRequestError("'status' \(value) is not a Kannel DLR type (1, 2, 4, 8 or 16)")
        }
    }

    /// A query string read component by component, so a text's bytes can be decoded in its charset.
    struct RawQuery {
        let pairs: [(name: String, value: [UInt8])]

        init(_ raw: String) { pairs = FormEncoding.parseRaw(bytes: Array(raw.utf8)) }

        func bytes(_ name: String) -> [UInt8]? { pairs.first { $0.name == name }?.value }
        func text(_ name: String) -> String? { bytes(name).map { String(decoding: $0, as: UTF8.self) } }
    }
}
