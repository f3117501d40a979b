extension PhoneNumber {
    /// The same person's number in the one form every channel will agree on, for numbers known to
    /// belong to a mobile phone (an SMS or WhatsApp sender): see the rules below.
    ///
    /// libphonenumber gives one E.164 form per way of writing a number, but in three countries the
    /// same mobile is written (and sent by gateways) in two E.164 forms, which would make two
    /// customers out of one person. Only call this for numbers known to be mobiles: applied to a
    /// landline or a service number it could change a working number into another one.
    /// - Brazil (+55): since the ninth-digit migration (ANATEL, completed nationwide in 2016) every
    ///   mobile has 9 digits after the 2-digit area code, starting with 9; old 8-digit mobiles
    ///   (first digit 6-9) are still sent by some senders and address books. `+55 11 8765 4321`
    ///   becomes `+55 11 98765 4321`. 8-digit numbers starting 2-5 are landlines: unchanged.
    /// - Mexico (+52): since August 2019 (IFT numbering plan) mobiles are dialled like every other
    ///   number, with 10 digits; the old mobile marker "1" after +52 is still sent by WhatsApp and
    ///   some gateways. libphonenumber's `parse()` does not remove it (its metadata has no national
    ///   prefix for parsing for MX any more: `+52 1 55 1234 5678` parses to `+5215512345678`), so
    ///   this drops the "1": `+52 1 55 1234 5678` becomes `+52 55 1234 5678`.
    /// - Argentina (+54): mobiles called from abroad take a "9" after +54 (`+54 9 11 1234 5678`),
    ///   while many gateways send them without it (`+54 11 1234 5678`); only mobiles send SMS or
    ///   WhatsApp, so a 10-digit geographic number (area code starting 1, 2 or 3) gets the "9".
    ///   Non-geographic 10-digit numbers (6xx, 8xx services) are left alone. National numbers in
    ///   the `0 11 15 1234-5678` form already parse to the "9" form through libphonenumber's rule.
    /// - Every other number is returned unchanged.
    public var mobileIdentity: PhoneNumber {
        let digits = Array(nationalNumber.unicodeScalars)
        switch countryCode {
        case 55 where Self.isOldBrazilianMobile(digits):
            let areaCode = nationalNumber.prefix(2)
            let subscriber = nationalNumber.dropFirst(2)
            return PhoneNumber(countryCode: 55, nationalNumber: areaCode + "9" + subscriber)
        case 52 where digits.count == 11 && digits[0] == "1":
            return PhoneNumber(countryCode: 52, nationalNumber: String(nationalNumber.dropFirst()))
        case 54 where digits.count == 10 && ("1"..."3").contains(digits[0]):
            return PhoneNumber(countryCode: 54, nationalNumber: "9" + nationalNumber)
        default:
            return self
        }
    }

    /// Two-digit area code (both digits 1-9), then eight digits starting with 6, 7, 8 or 9.
    private static func isOldBrazilianMobile(_ digits: [Unicode.Scalar]) -> Bool {
        digits.count == 10 && ("1"..."9").contains(digits[0]) && ("1"..."9").contains(digits[1])
            && ("6"..."9").contains(digits[2])
    }
}
