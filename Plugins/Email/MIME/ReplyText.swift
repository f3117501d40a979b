import Foundation

/// Finds the new part of a reply, so a conversation timeline shows what the customer wrote
/// this time rather than the whole quoted thread again.
///
/// Heuristic, line-based, linear: the text is cut at the first attribution line ("On … wrote:",
/// "Le … a écrit :", "Am … schrieb …:", "El … escribió:", and the other forms below, also when
/// wrapped over up to three lines), at Outlook's "-----Original Message-----" or its
/// "From: … / Sent: … / To: …" block, then `>`-quoted lines are dropped and a signature is
/// removed (after a "-- " line, and "Sent from my iPhone"-style lines at the end). When that
/// would leave nothing, the whole text is returned, trimmed.
public enum ReplyText {
    /// The new text of `text`, trimmed.
    public static func newText(_ text: String) -> String {
        let original = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var lines = TextBody.normalizeNewlines(text).split(separator: "\n", omittingEmptySubsequences: false)
        if let (cut, span) = firstHistoryLine(lines) {
            if lines[..<cut].allSatisfy({ $0.allSatisfy(\.isWhitespace) }) && span > 0 {
                // Bottom-posting ("On … wrote:", the quote, then the answer): drop only the attribution.
                lines.removeSubrange(cut..<(cut + span))
            } else {
                lines = Array(lines[..<cut])
            }
        }
        lines.removeAll { $0.drop { $0 == " " || $0 == "\t" }.hasPrefix(">") }
        if let delimiter = lines.firstIndex(where: { $0 == "-- " || $0 == "--" || $0 == "-- \u{A0}" }) {
            lines = Array(lines[..<delimiter])
        }
        stripDeviceSignature(&lines)
        let result = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return result.isEmpty ? original : result
    }

    private static let attributionVerbs = [
        "wrote:", "a écrit :", "a écrit:", "schrieb:", "escribió:", "schreef:", "ha scritto:", "escreveu:",
        "pisze:", "skrev:", "napsal:", "kirjoitti:", "написал:", "написала:", "yazdı:", "írta:", "写道：", "写道:",
        "ha escrito:", "wrote :",
    ]
    private static let originalMessageMarkers = [
        "original message", "ursprüngliche nachricht", "message d'origine", "mensaje original",
        "messaggio originale", "oorspronkelijk bericht", "mensagem original", "исходное сообщение",
    ]
    private static let fromLabels = ["from:", "*from:*", "de:", "de :", "von:", "da:", "van:", "от:", "od:"]
    private static let sentLabels = [
        "sent:", "*sent:*", "date:", "*date:*", "envoyé :", "envoyé:", "gesendet:", "enviado:", "enviado el:",
        "inviato:", "verzonden:", "datum:", "отправлено:", "data:",
    ]
    private static let toLabels = [
        "to:", "*to:*", "subject:", "*subject:*", "à :", "à:", "an:", "para:", "a:", "aan:", "objet :",
        "betreff:", "asunto:", "oggetto:", "onderwerp:", "кому:", "тема:",
    ]

    /// The first line that starts quoted history, if any, and how many lines an attribution
    /// there spans (0 for other markers).
    private static func firstHistoryLine(_ lines: [Substring]) -> (index: Int, span: Int)? {
        for index in lines.indices {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix(">") { continue }
            let lower = line.lowercased()
            if let span = attributionSpan(lines, at: index) { return (index, span) }
            if lower.hasPrefix("--"), originalMessageMarkers.contains(where: { lower.contains($0) }) {
                return (index, 0)
            }
            if line.count >= 10, line.allSatisfy({ $0 == "_" }), let next = nextNonEmpty(lines, after: index),
                hasPrefix(next, fromLabels)
            {
                return (index, 0)
            }
            if hasPrefix(lower, fromLabels), isHeaderBlock(lines, from: index) { return (index, 0) }
        }
        return nil
    }

    /// "On <date>, <name> wrote:" and its translations, on one line or wrapped over up to three:
    /// the number of lines it spans, or nil.
    private static func attributionSpan(_ lines: [Substring], at index: Int) -> Int? {
        let first = lines[index].trimmingCharacters(in: .whitespaces).lowercased()
        // English starts with "On"; other forms carry a date or an address on their first line.
        guard first.hasPrefix("on ") || first.contains(where: \.isNumber) || first.contains("@") else { return nil }
        var joined = ""
        for offset in 0..<3 where index + offset < lines.count {
            let piece = lines[index + offset].trimmingCharacters(in: .whitespaces)
            if offset > 0 && (piece.isEmpty || piece.hasPrefix(">")) { break }
            joined += (offset > 0 ? " " : "") + piece
            guard joined.count < 400 else { return nil }
            let lower = joined.lowercased()
            let german = lower.hasPrefix("am ") && lower.contains(" schrieb ") && lower.hasSuffix(":")
            if german || attributionVerbs.contains(where: { lower.hasSuffix($0) }) { return offset + 1 }
        }
        return nil
    }

    /// An Outlook/Yahoo header block: a From line followed within four lines by a Sent/Date line
    /// and a To/Subject line.
    private static func isHeaderBlock(_ lines: [Substring], from index: Int) -> Bool {
        var sawSent = false
        var sawTo = false
        for offset in 1...5 where index + offset < lines.count {
            let lower = lines[index + offset].trimmingCharacters(in: .whitespaces).lowercased()
            if hasPrefix(lower, sentLabels) { sawSent = true }
            if hasPrefix(lower, toLabels) { sawTo = true }
        }
        return sawSent && sawTo
    }

    private static func nextNonEmpty(_ lines: [Substring], after index: Int) -> String? {
        lines[(index + 1)...].lazy.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.first { !$0.isEmpty }
    }

    private static func hasPrefix(_ line: String, _ prefixes: [String]) -> Bool {
        prefixes.contains { line.hasPrefix($0) }
    }

    private static let devicePrefixes = [
        "sent from my ", "sent from mail for windows", "sent from yahoo mail", "sent from outlook",
        "sent from samsung", "sent via ", "sent with ", "get outlook for ", "envoyé de mon ", "envoyé depuis mon ",
        "enviado desde mi ", "enviado do meu ", "inviato da ", "verzonden met ", "verstuurd vanaf mijn ",
        "отправлено с ", "sent from the all new aol app",
    ]

    /// Drops a "Sent from my iPhone"-style line (and anything after it) among the last non-empty lines.
    private static func stripDeviceSignature(_ lines: inout [Substring]) {
        var seen = 0
        var index = lines.count - 1
        while index >= 0, seen < 3 {
            let lower = lines[index].trimmingCharacters(in: .whitespaces).lowercased()
            if !lower.isEmpty {
                seen += 1
                let german = lower.hasPrefix("von meinem ") && lower.hasSuffix("gesendet")
                if german || devicePrefixes.contains(where: { lower.hasPrefix($0) }) {
                    lines.removeSubrange(index...)
                }
            }
            index -= 1
        }
    }
}
