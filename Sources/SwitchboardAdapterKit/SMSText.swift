/// How much text fits in one SMS, and how many SMS a longer text becomes.
///
/// An SMS carries 140 bytes: 160 characters of the GSM 03.38 7-bit alphabet (the characters of the
/// extension table, such as `€` and `{`, take two), or 70 UTF-16 code units in UCS-2 when any
/// character is outside that alphabet. A longer text is sent as concatenated parts of 153 or 67,
/// which the phone shows as one message. Gateways split; adapters use ``encoding(of:)`` to ask
/// for the right coding and ``segmentCount(_:)`` to refuse what a gateway would cut.
public enum SMSText {
    /// The encoding a text needs.
    public enum Encoding: Sendable, Hashable {
        /// GSM 03.38 7-bit: 160 septets per SMS.
        case gsm7
        /// UCS-2 (UTF-16): 70 code units per SMS.
        case ucs2
    }

    /// The GSM 03.38 basic alphabet (one septet each).
    static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
            + "abcdefghijklmnopqrstuvwxyzäöñüà")
    /// The extension table (an escape and the character: two septets each).
    static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    public static func encoding(of text: String) -> Encoding {
        text.allSatisfy { basic.contains($0) || extended.contains($0) } ? .gsm7 : .ucs2
    }

    /// The units a character takes in `encoding`: septets for GSM-7, UTF-16 code units for UCS-2.
    static func units(of character: Character, in encoding: Encoding) -> Int {
        switch encoding {
        case .gsm7: extended.contains(character) ? 2 : 1
        case .ucs2: character.utf16.count
        }
    }

    /// The units one SMS holds on its own, and per part of a concatenated message (the rest is the
    /// concatenation header).
    public static func capacity(_ encoding: Encoding, concatenated: Bool) -> Int {
        switch (encoding, concatenated) {
        case (.gsm7, false): 160
        case (.gsm7, true): 153
        case (.ucs2, false): 70
        case (.ucs2, true): 67
        }
    }

    /// How many SMS a carrier bills for `text` when it is sent as one concatenated message.
    public static func segmentCount(_ text: String) -> Int {
        let encoding = encoding(of: text)
        let total = text.reduce(0) { $0 + units(of: $1, in: encoding) }
        if total <= capacity(encoding, concatenated: false) { return 1 }
        let perPart = capacity(encoding, concatenated: true)
        return (total + perPart - 1) / perPart
    }
}
