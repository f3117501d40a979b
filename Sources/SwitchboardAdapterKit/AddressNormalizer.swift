import Foundation
import SwitchboardPhoneNumbers

/// The per-kind normalisation rules behind ``Address``. Pure functions, no locale, no I/O.
enum AddressNormalizer {
    static func normalize(_ raw: String, kind: AddressKind) throws(AddressError) -> String {
        let value = raw.trimmingWhitespace()
        guard !value.isEmpty else { throw AddressError(raw, "the \(kind.rawValue) handle is empty") }
        switch kind {
        case .email: return try email(value, raw: raw)
        case .tel: return try e164(value, raw: raw, mobile: false)
        case .whatsapp: return try e164(value, raw: raw, mobile: true)
        case .telegram: return try integer(value, raw: raw, allowNegative: true, what: "a Telegram chat or user id")
        case .x: return try integer(value, raw: raw, allowNegative: false, what: "an X user id")
        case .whatsappUser: return try businessScopedUserID(value, raw: raw)
        case .messenger, .instagram: return try scoped(value, raw: raw, kind: kind)
        case .matrix: return try matrix(value, raw: raw)
        case .webchat: return try token(value, raw: raw)
        default:
            guard kind.rawValue.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }),
                !kind.rawValue.isEmpty
            else {
                throw AddressError(raw, "the kind '\(kind.rawValue)' must be lower-case letters, digits or '-'")
            }
            guard !value.contains(where: \.isWhitespace) else {
                throw AddressError(raw, "a \(kind.rawValue) handle may not contain white space")
            }
            return value
        }
    }

    /// `local@domain`: the domain is lower-cased (it is case-insensitive by RFC 5321); the local part
    /// is kept as given, because a mailbox's local part may be case-sensitive.
    static func email(_ value: String, raw: String) throws(AddressError) -> String {
        var value = value
        if value.lowercased().hasPrefix("mailto:") { value.removeFirst(7) }
        if let open = value.lastIndex(of: "<"), value.hasSuffix(">") {
            value = String(value[value.index(after: open)..<value.index(before: value.endIndex)])
        }
        guard let at = value.lastIndex(of: "@") else {
            throw AddressError(raw, "an email address needs an '@', for example ana@example.com")
        }
        let local = value[..<at]
        let domain = value[value.index(after: at)...].lowercased().trimmingSuffix(".")
        guard !local.isEmpty, !domain.isEmpty else {
            throw AddressError(raw, "an email address needs text on both sides of the '@'")
        }
        guard !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }) else {
            throw AddressError(raw, "an email address may not contain spaces, '<', '>' or ','")
        }
        guard domain.contains("."), !domain.hasPrefix("."), !domain.contains("..") else {
            throw AddressError(raw, "the domain '\(domain)' is not a fully qualified domain name")
        }
        return "\(local)@\(domain)"
    }

    /// E.164, read the way libphonenumber reads an international number (`+`, or the prefix 00),
    /// with its separators, a `(0)` trunk prefix and `tel:` forms. National numbers need a default
    /// region: SMS channels build their addresses with ``Address/mobile(_:defaultRegion:kind:)``.
    /// A WhatsApp id always belongs to a mobile, so it also gets the mobile identity form.
    static func e164(_ value: String, raw: String, mobile: Bool) throws(AddressError) -> String {
        var text = value
        if text.hasPrefix("00") { text = "+" + text.dropFirst(2) }
        guard text.hasPrefix("+") || text.hasPrefix("\u{FF0B}") else {
            throw AddressError(raw, "write the number in international form, with '+' and the country code")
        }
        let e164: String
        do {
            let number = try PhoneNumber(parsing: text, defaultRegion: nil)
            e164 = (mobile ? number.mobileIdentity : number).e164
        } catch {
            throw AddressError(raw, error.message)
        }
        // E.164 itself (ITU-T): at most 15 digits; no assigned number is shorter than 7.
        guard (7...15).contains(e164.count - 1) else {
            throw AddressError(raw, "an international number has a country code and 7 to 15 digits in all")
        }
        return e164
    }

    static func integer(_ value: String, raw: String, allowNegative: Bool, what: String) throws(AddressError) -> String
    {
        var body = Substring(value)
        if allowNegative, body.first == "-" { body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), body.count <= 20 else {
            throw AddressError(raw, "expected \(what): a whole number")
        }
        let trimmed = body.drop { $0 == "0" }
        let canonical = trimmed.isEmpty ? "0" : String(trimmed)
        return value.first == "-" && canonical != "0" ? "-" + canonical : canonical
    }

    /// `<page-or-account-id>/<scoped-user-id>`: page-scoped ids only mean something with their page.
    static func scoped(_ value: String, raw: String, kind: AddressKind) throws(AddressError) -> String {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else {
            throw AddressError(raw, "a \(kind.rawValue) address is <page or account id>/<scoped user id>, both numeric")
        }
        return value
    }

    /// A BSUID: an ISO country code, a period and up to 128 letters or digits (`BR.1502576394655843`),
    /// or a parent BSUID with `ENT` between (`US.ENT.11815799212886844830`). The country code is
    /// upper-cased; the rest is kept as WhatsApp sent it (it must be sent back exactly).
    static func businessScopedUserID(_ value: String, raw: String) throws(AddressError) -> String {
        var parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let isParent = parts.count == 3 && parts[1] == "ENT"
        guard parts.count == 2 || isParent, parts[0].count == 2, parts[0].allSatisfy({ $0.isASCII && $0.isLetter }),
            let id = parts.last, (1...128).contains(id.count),
            id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw AddressError(
                raw,
                "a WhatsApp business-scoped user id is a country code, '.', and letters or digits: US.13491208655302741918"
            )
        }
        parts[0] = parts[0].uppercased()
        return parts.joined(separator: ".")
    }

    /// `@localpart:server`: the server name is lower-cased; local parts are lower-case by the spec.
    static func matrix(_ value: String, raw: String) throws(AddressError) -> String {
        guard value.hasPrefix("@"), let colon = value.firstIndex(of: ":") else {
            throw AddressError(raw, "a Matrix user id looks like @ana:example.org")
        }
        let local = value[value.index(after: value.startIndex)..<colon]
        let server = value[value.index(after: colon)...]
        guard !local.isEmpty, !server.isEmpty, !value.contains(where: \.isWhitespace) else {
            throw AddressError(raw, "a Matrix user id looks like @ana:example.org")
        }
        return "@\(local.lowercased()):\(server.lowercased())"
    }

    static func token(_ value: String, raw: String) throws(AddressError) -> String {
        guard value.count <= 128,
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw AddressError(raw, "a visitor id is 1 to 128 letters, digits, '-' or '_'")
        }
        return value
    }
}

extension StringProtocol {
    /// The string without leading and trailing white space and newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? first
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : String(self)
    }
}
