// The sentiment scorer's cost per inbound message, against a baseline measured in the same run:
// lowercasing the text, splitting it into words and one dictionary lookup per word (the least
// any word-list scorer does). The scorer runs on every inbound message before the store writes it.
//
// usage (a release build):
//   swift build -c release --product SentimentBenchmark --scratch-path .build-bench
//   .build-bench/release/SentimentBenchmark [--messages 20000] [--write docs/benchmarks.md]
import BenchmarkSupport
import Foundation
import SwitchboardCore

var messages = 20_000
var write: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--messages": messages = arguments.next().flatMap(Int.init) ?? messages
    case "--write": write = arguments.next()
    default:
        FileHandle.standardError.write(Data("SentimentBenchmark: unknown argument \(argument)\n".utf8))
        exit(2)
    }
}

/// A deterministic generator (SplitMix64), so every run scores the same texts.
struct Seeded {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

let vocabulary = [
    "Hello", "my", "order", "parcel", "refund", "still", "has", "not", "arrived", "and", "the", "tracking", "link",
    "is", "broken", "thanks", "for", "your", "help", "very", "quick", "answer", "I", "was", "charged", "twice",
    "please", "check", "invoice", "account", "password", "doesn't", "work", "great", "service", "disappointed",
    "late", "again", "when", "will", "it", "ship", "Bestellung", "nicht", "angekommen", "pedido", "gracias",
    "commande", "merci", "👍", ":)", "😡",
]
func message(characters: Int, random: inout Seeded) -> String {
    var text = ""
    while text.count < characters {
        text += random.pick(vocabulary)
        text += random.next() % 9 == 0 ? ".\n" : " "
    }
    return text + "\n\nOn Mon, Jan 1, 2026 at 10:00 Support <help@shop.example> wrote:\n> Thanks for writing to us.\n"
}

let sizes = [("a short message (about 300 characters)", 300), ("a long mail (about 3,000 characters)", 3_000)]
let scorer = SentimentScorer.standard
let words = Set(vocabulary.map { $0.lowercased() })
var rows: [String] = []
var checksum = 0.0
for (name, size) in sizes {
    var random = Seeded(state: 7)
    let texts = (0..<messages).map { _ in message(characters: size, random: &random) }
    // The baseline: lowercase, split into words, one lookup per word.
    var clock = ContinuousClock.now
    var found = 0
    for text in texts {
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) where words.contains(String(word)) {
            found += 1
        }
    }
    let baseline = ContinuousClock.now - clock
    clock = ContinuousClock.now
    for text in texts { checksum += scorer.score(text).score }
    let scored = ContinuousClock.now - clock
    let micros = { (duration: Duration) in
        Double(duration.components.seconds) * 1e6 / Double(messages) + Double(duration.components.attoseconds)
            / 1e12 / Double(messages)
    }
    let ratio = micros(scored) / micros(baseline)
    rows.append(
        "| \(name) | \(String(format: "%.1f", micros(baseline))) µs | \(String(format: "%.1f", micros(scored))) µs | "
            + "\(String(format: "%.2f", ratio))× |")
    _ = found
}

let begin = "<!-- sentiment-benchmark:begin -->"
let end = "<!-- sentiment-benchmark:end -->"
let markdown = """
    \(begin)
    Measured \(Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt))) on \(Machine.describe()).
    Workload: \(messages) generated messages of each size (English, German, Spanish and French support words, \
    emoji, a quoted reply), scored one after another on one core.

    | message | baseline: lowercase, split, one lookup per word | `SentimentScorer.score` | ratio |
    |---|---:|---:|---:|
    \(rows.joined(separator: "\n"))
    \(end)
    """
print(markdown)
print("checksum \(checksum)")
if let path = write { try MarkdownSection.replace(begin: begin, end: end, with: markdown, in: path) }
