import EmailMIME
import Foundation

/// Shared helpers for the EmailMIME tests.
enum Support {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let corpus = root.appendingPathComponent("Plugins/Email/MIMETests/Corpus")

    /// Every mail in the corpus (not the reply-text expectations, HTML fragments or SOURCES.md).
    static func corpusMails() -> [URL] {
        let enumerator = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            let name = url.lastPathComponent
            if name.hasSuffix(".eml") || url.deletingLastPathComponent().lastPathComponent == "spamassassin" {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func bytes(_ url: URL) -> [UInt8] {
        Array(FileManager.default.contents(atPath: url.path) ?? Data())
    }

    /// A message written with `\n` line ends, sent as CR LF (the wire form).
    static func crlf(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    static func parse(_ text: String, crlf useCRLF: Bool = true) -> ParsedMail {
        MIMEParser.parse(useCRLF ? crlf(text) : Array(text.utf8))
    }

    /// Collapses every run of whitespace to one space and trims: the comparison used against Python.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "\u{FEFF}" }).joined(separator: " ")
    }
}
