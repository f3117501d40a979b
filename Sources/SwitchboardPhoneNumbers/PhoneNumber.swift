import Synchronization

/// A phone number as libphonenumber reads it: country calling code + national significant number.
///
/// It exists so that every channel files a customer's number under one canonical key, the E.164
/// form ("+33123456789"), whichever way the number was written ("01 23 45 67 89" in France,
/// "+33 (0)1 23 45 67 89", "tel:+33-1-23-45-67-89", "0033 1 23 45 67 89"). Parsing follows
/// Google's libphonenumber `parse()` exactly (see docs/phone-numbers.md); like libphonenumber's
/// parse, it checks that the text is a plausible number, not that the number is in service or
/// even valid for its region.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public let countryCode: Int
    /// The national significant number, digits only, leading zeros kept (Italian numbers).
    public let nationalNumber: String

    init(countryCode: Int, nationalNumber: String) {
        self.countryCode = countryCode
        self.nationalNumber = nationalNumber
    }

    /// "+" + countryCode + nationalNumber
    public var e164: String { "+\(countryCode)\(nationalNumber)" }

    public var description: String { e164 }

    /// libphonenumber's parse(): `defaultRegion` is an ISO 3166 alpha-2 code ("FR", case-insensitive) or nil.
    ///
    /// The default region is used only for numbers written without a country calling code (national
    /// form, or after the region's international prefix such as "00" or "011"). Extensions
    /// ("ext. 12", ";ext=12") are recognised and dropped, as E.164 has none.
    public init(parsing raw: String, defaultRegion: String?) throws(PhoneNumberError) {
        let region = defaultRegion.map(PhoneRegions.normalizedCode)
        let key = PhoneParseCache.Key(raw: raw, region: region)
        if let known = PhoneParseCache.shared.answer(for: key) {
            self = try known.get()
            return
        }
        let answer: Result<PhoneNumber, PhoneNumberError>
        do {
            let parsed = try PhoneNumberParser.parse(raw, region: region)
            answer = .success(PhoneNumber(countryCode: parsed.countryCode, nationalNumber: parsed.nationalNumber))
        } catch {
            answer = .failure(PhoneNumberError(input: raw, failure: error, defaultRegion: defaultRegion))
        }
        PhoneParseCache.shared.remember(answer, for: key)
        self = try answer.get()
    }
}

/// Answers of ``PhoneNumber/init(parsing:defaultRegion:)`` already given, by input and region.
///
/// Parsing is pure and costly (metadata patterns, regular expressions): in the HTTP ingest profile
/// (docs/benchmarks.md) it was an eighth of the hub's time, because a hub sees the same customers'
/// numbers again and again and every number is parsed twice on the way in (by the channel's
/// adapter, then by the store's address normalisation).
///
/// Bounded by two generations: when the newer one is full it becomes the older one and the
/// oldest answers are dropped; an answer found in the older generation moves to the newer. So a
/// working set up to `capacity` stays cached, and memory stays under twice that.
final class PhoneParseCache: Sendable {
    struct Key: Hashable, Sendable {
        var raw: String
        var region: String?
    }

    private struct Generations {
        var newer: [Key: Result<PhoneNumber, PhoneNumberError>] = [:]
        var older: [Key: Result<PhoneNumber, PhoneNumberError>] = [:]
    }

    static let shared = PhoneParseCache(capacity: 16384)
    /// Inputs longer than this are parsed each time (a number is far shorter; this keeps junk out).
    static let maxKeyLength = 64

    let capacity: Int
    private let generations = Mutex(Generations())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func answer(for key: Key) -> Result<PhoneNumber, PhoneNumberError>? {
        guard key.raw.utf8.count <= Self.maxKeyLength else { return nil }
        return generations.withLock { cache in
            if let answer = cache.newer[key] { return answer }
            guard let answer = cache.older[key] else { return nil }
            Self.insert(answer, for: key, into: &cache, capacity: capacity)
            return answer
        }
    }

    func remember(_ answer: Result<PhoneNumber, PhoneNumberError>, for key: Key) {
        guard key.raw.utf8.count <= Self.maxKeyLength else { return }
        generations.withLock { Self.insert(answer, for: key, into: &$0, capacity: capacity) }
    }

    /// How many answers are held, in both generations (tests check the bound).
    var count: Int { generations.withLock { $0.newer.count + $0.older.count } }

    private static func insert(
        _ answer: Result<PhoneNumber, PhoneNumberError>, for key: Key, into cache: inout Generations, capacity: Int
    ) {
        if cache.newer.count >= capacity {
            cache.older = cache.newer
            cache.newer = [:]
        }
        cache.newer[key] = answer
    }
}
