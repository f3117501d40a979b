import Foundation

/// Makes time-sortable ids: 48 bits of milliseconds since 1970 and 80 random bits, in Crockford
/// base32 (26 characters, as ULIDs are), so ids sort in the order they were made and never collide.
public enum SortableID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new id for the moment `date`, with a prefix naming what it identifies (`msg_`, `cus_`, …).
    public static func make(_ prefix: String, at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix, at: date, using: &generator)
    }

    /// A fast generator for making several ids at once: seeded with 64 bits from the system's
    /// generator (one system call), then SplitMix64. Ids stay unique in practice: each carries 80
    /// bits from a stream whose seed is itself random.
    public struct FastGenerator: RandomNumberGenerator {
        private var state: UInt64

        public init() {
            var system = SystemRandomNumberGenerator()
            state = system.next()
        }

        /// A reproducible stream, for benchmarks and tests.
        public init(seed: UInt64) {
            state = seed
        }

        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    public static func make(_ prefix: String, at date: Date, using generator: inout some RandomNumberGenerator)
        -> String
    {
        let millis = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        var out = [UInt8](repeating: 0, count: 26)
        var time = millis & 0xFFFF_FFFF_FFFF
        for index in stride(from: 9, through: 0, by: -1) {
            out[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        var high = UInt64.random(in: 0...UInt64.max, using: &generator)
        var low = UInt64.random(in: 0...UInt64.max, using: &generator)
        for index in 10..<26 {
            let bits: UInt64
            if index < 22 {
                bits = high & 31
                high >>= 5
            } else {
                bits = low & 31
                low >>= 5
            }
            out[index] = alphabet[Int(bits)]
        }
        return prefix + String(decoding: out, as: UTF8.self)
    }
}
