import Foundation

/// A structured MIME header value such as `Content-Type` or `Content-Disposition`:
/// `value; name=token; name="quoted"`, with RFC 2231 continuations and charset encoding
/// (`filename*0*=utf-8''%E2%82%AC; filename*1*=...`) joined and decoded.
struct HeaderParameters {
    /// The part before the first `;`, lowercased and trimmed.
    var value: String
    /// Parameters by lowercased name, decoded. The first occurrence of a name wins.
    var parameters: [String: String]

    init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    subscript(_ name: String) -> String? { parameters[name] }

    /// Parses `raw` (a header value as text). Encoded words inside plain parameter values are
    /// decoded too, because many mailers write `name="=?UTF-8?B?...?="` for non-ASCII filenames.
    init(parsing raw: String, warnings: inout Warnings) {
        let scalars = Array(raw.unicodeScalars)
        var index = 0
        value = Self.readUntilSemicolon(scalars, &index).trimmingCharacters(in: .whitespaces).asciiLowercased
        var plain: [String: String] = [:]
        // name -> [(section, encoded, value)] for RFC 2231 parameters.
        var extended: [String: [(section: Int, encoded: Bool, value: String)]] = [:]
        while index < scalars.count {
            index += 1  // the ';'
            let rawName = Self.readName(scalars, &index)
            Self.skipSpace(scalars, &index)
            guard index < scalars.count, scalars[index] == "=" else {
                _ = Self.readUntilSemicolon(scalars, &index)
                continue
            }
            index += 1
            Self.skipSpace(scalars, &index)
            let paramValue: String
            if index < scalars.count, scalars[index] == "\"" {
                paramValue = Self.readQuoted(scalars, &index)
                _ = Self.readUntilSemicolon(scalars, &index)
            } else {
                paramValue = Self.readUntilSemicolon(scalars, &index).trimmingCharacters(in: .whitespaces)
            }
            let name = rawName.asciiLowercased
            guard !name.isEmpty else { continue }
            if let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                var rest = name[name.index(after: star)...]
                let encoded = rest.hasSuffix("*") || rest.isEmpty
                if rest.hasSuffix("*") { rest = rest.dropLast() }
                let section = rest.isEmpty ? 0 : Int(rest) ?? -1
                guard section >= 0, section < 10_000 else { continue }
                extended[base, default: []].append((section, encoded, paramValue))
            } else if plain[name] == nil {
                plain[name] = paramValue
            }
        }
        var parameters: [String: String] = [:]
        for (name, value) in plain {
            parameters[name] = value.contains("=?") ? EncodedWord.decode(value, warnings: &warnings) : value
        }
        for (name, sections) in extended {
            parameters[name] = Self.joinRFC2231(sections, warnings: &warnings)
        }
        self.parameters = parameters
    }

    /// Joins RFC 2231 sections in order; encoded sections are percent-decoded and the whole is
    /// decoded in the charset named by the first section (`charset'language'text`).
    private static func joinRFC2231(
        _ sections: [(section: Int, encoded: Bool, value: String)], warnings: inout Warnings
    ) -> String {
        var seen = Set<Int>()
        let ordered = sections.sorted { $0.section < $1.section }.filter { seen.insert($0.section).inserted }
        var charset: String?
        var bytes: [UInt8] = []
        for (position, part) in ordered.enumerated() {
            var text = Substring(part.value)
            if part.encoded, position == 0 {
                let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3 {
                    charset = pieces[0].isEmpty ? nil : String(pieces[0])
                    text = pieces[2]
                }
            }
            if part.encoded {
                bytes.append(contentsOf: percentDecode(text))
            } else {
                bytes.append(contentsOf: text.utf8)
            }
        }
        let (text, warning) = Charsets.decode(bytes[...], label: charset ?? "utf-8")
        if let warning { warnings.add("RFC 2231 parameter: \(warning)") }
        return text
    }

    private static func percentDecode(_ text: Substring) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x25, index + 2 < utf8.count, let high = Byte.hexValue(utf8[index + 1]),
                let low = Byte.hexValue(utf8[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(utf8[index])
                index += 1
            }
        }
        return output
    }

    private static func skipSpace(_ scalars: [Unicode.Scalar], _ index: inout Int) {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
    }

    private static func readName(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String {
        skipSpace(scalars, &index)
        var name = String.UnicodeScalarView()
        while index < scalars.count, scalars[index] != "=", scalars[index] != ";" {
            if scalars[index] != " " && scalars[index] != "\t" { name.append(scalars[index]) }
            index += 1
        }
        return String(name)
    }

    /// Reads up to (not including) the next `;` outside quotes.
    private static func readUntilSemicolon(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String {
        var text = String.UnicodeScalarView()
        var inQuotes = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\"" { inQuotes.toggle() }
            if scalar == ";" && !inQuotes { break }
            text.append(scalar)
            index += 1
        }
        return String(text)
    }

    /// Reads a quoted string starting at the opening quote; backslash escapes are removed.
    private static func readQuoted(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String {
        var text = String.UnicodeScalarView()
        index += 1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                text.append(scalars[index + 1])
                index += 2
                continue
            }
            index += 1
            if scalar == "\"" { break }
            text.append(scalar)
        }
        return String(text)
    }
}
