import Foundation

/// A report's section in docs/benchmarks.md, between its begin and end markers.
public enum MarkdownSection {
    /// Replaces the section between the markers in `path` (or appends it).
    public static func replace(begin: String, end: String, with markdown: String, in path: String) throws {
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Benchmarks\n"
        if let start = text.range(of: begin), let stop = text.range(of: end), start.lowerBound < stop.upperBound {
            text.replaceSubrange(start.lowerBound..<stop.upperBound, with: markdown)
        } else {
            text += "\n" + markdown + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// The machine a benchmark ran on, for its report.
public enum Machine {
    public static func describe() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory / (1 << 30)
        #if DEBUG
            let build = "debug build"
        #else
            let build = "release build"
        #endif
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(model)), \(memory) GiB RAM, Linux, \(build)"
    }
}
