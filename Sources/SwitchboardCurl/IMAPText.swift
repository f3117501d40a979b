import SwitchboardAdapterKit

/// IMAP's text rules that libcurl leaves to us: folder names (modified UTF-7, quoting for a
/// command, percent-encoding for a URL) and the untagged `STATUS` and `SEARCH` replies.
enum IMAPText {
    /// The folder as the server names it: RFC 3501 §5.1.3 modified UTF-7, which every IMAP4rev1
    /// server understands (`Über` → `&ANw-ber`, `&` → `&-`). Fails on a name with a control
    /// character (a line break would end the command early).
    static func wireName(_ folder: String) throws(TransportError) -> String {
        guard !folder.isEmpty else { throw TransportError(isRetryable: false, "the IMAP folder name is empty") }
        guard !folder.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw TransportError(isRetryable: false, "the IMAP folder name contains a control character")
        }
        return modifiedUTF7(folder)
    }

    static func modifiedUTF7(_ text: String) -> String {
        var output = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            for unit in pending { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            output += "&" + base64(bytes) + "-"
            pending.removeAll()
        }
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                output += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return output
    }

    /// Modified base64 (RFC 3501 §5.1.3): `,` for `/`, no padding.
    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters { output.append(alphabet[(value >> (18 - 6 * position)) & 0x3F]) }
            index += 3
        }
        return output
    }

    /// An IMAP quoted string, for a folder in a command we write ourselves (`STATUS "…"`).
    static func quoted(_ wireName: String) -> String {
        var output = "\""
        for character in wireName {
            if character == "\\" || character == "\"" { output.append("\\") }
            output.append(character)
        }
        return output + "\""
    }

    /// The folder as a URL path segment: libcurl percent-decodes it and quotes it in `SELECT`.
    /// Everything but unreserved characters and the hierarchy separator `/` is escaped, so a
    /// space, `;` (libcurl's parameter separator), `%` or `?` stays part of the name.
    static func urlPath(_ wireName: String) -> String {
        var output = ""
        for byte in wireName.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                output.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                output += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0F)])"
            }
        }
        return output
    }

    /// The reply lines libcurl wrote for a custom command.
    static func lines(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" })
    }

    /// `* STATUS <name> (MESSAGES 3 UIDNEXT 9 UIDVALIDITY 1700000000)`; nil unless all three are there.
    static func parseStatus(_ bytes: [UInt8]) -> IMAPMailboxStatus? {
        for line in lines(bytes) where line.uppercased().hasPrefix("* STATUS ") {
            // The attribute list is the last parenthesised group; a quoted name may hold "(" itself.
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else {
                continue
            }
            let tokens = line[line.index(after: open)..<close].split(separator: " ")
            var values: [String: UInt64] = [:]
            var index = 0
            while index + 1 < tokens.count {
                if let value = UInt64(tokens[index + 1]) { values[tokens[index].uppercased()] = value }
                index += 2
            }
            guard let messages = values["MESSAGES"], let uidNext = values["UIDNEXT"],
                let uidValidity = values["UIDVALIDITY"], let next = UInt32(exactly: uidNext),
                let validity = UInt32(exactly: uidValidity)
            else { return nil }
            return IMAPMailboxStatus(messages: Int(clamping: messages), uidNext: next, uidValidity: validity)
        }
        return nil
    }

    /// The UIDs in `* SEARCH 1 4 9` lines that are at least `from`, ascending and without
    /// repeats. `UID SEARCH UID n:*` always matches the highest UID even when it is below `n`
    /// (`*` is the largest UID in use, and `n:*` is the same set as `*:n`), so it is filtered here.
    static func parseSearch(_ bytes: [UInt8], from: UInt32) -> [UInt32]? {
        var uids = Set<UInt32>()
        var sawSearch = false
        for line in lines(bytes) where line.uppercased().hasPrefix("* SEARCH") {
            sawSearch = true
            for token in line.dropFirst("* SEARCH".count).split(separator: " ") {
                if token.hasPrefix("(") { break }  // `(MODSEQ n)` from CONDSTORE
                if let uid = UInt32(token), uid >= from { uids.insert(uid) }
            }
        }
        return sawSearch ? uids.sorted() : nil
    }
}
