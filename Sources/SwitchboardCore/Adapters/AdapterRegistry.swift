import SwitchboardAdapterKit

/// The adapter types a hub knows, by config `type`. The application builds one and passes it in;
/// nothing is process-global, so tests can build hubs with any set of adapters.
public struct AdapterRegistry: Sendable {
    struct Entry: Sendable {
        var validate: @Sendable (any Decoder) throws -> Void
        var make: @Sendable (any Decoder, AdapterContext) throws -> any ChannelAdapter
    }

    private var entries: [ChannelKind: Entry] = [:]

    public init() {}

    public init(_ types: [any ChannelAdapter.Type]) {
        for type in types { register(type) }
    }

    /// Adds an adapter type under its ``ChannelAdapter/kind``; a later registration of the same kind wins.
    public mutating func register<Adapter: ChannelAdapter>(_ type: Adapter.Type) {
        entries[Adapter.kind] = Entry(
            validate: { decoder in _ = try Adapter.Configuration(from: decoder) },
            make: { decoder, context in
                try Adapter(configuration: Adapter.Configuration(from: decoder), context: context)
            })
    }

    /// Every known `type`, sorted.
    public var kinds: [ChannelKind] { entries.keys.sorted { $0.rawValue < $1.rawValue } }

    public func knows(_ kind: ChannelKind) -> Bool { entries[kind] != nil }

    /// Decodes a channel's settings without creating the adapter (`config check`).
    public func validateSettings(kind: ChannelKind, from decoder: any Decoder) throws {
        try entry(kind).validate(decoder)
    }

    /// Creates the adapter for one configured channel instance.
    public func make(kind: ChannelKind, settings decoder: any Decoder, context: AdapterContext) throws
        -> any ChannelAdapter
    {
        try entry(kind).make(decoder, context)
    }

    private func entry(_ kind: ChannelKind) throws(UnknownChannelKind) -> Entry {
        guard let entry = entries[kind] else { throw UnknownChannelKind(kind: kind, known: kinds) }
        return entry
    }
}

/// A config `type` no registered adapter serves.
public struct UnknownChannelKind: Error, Sendable, CustomStringConvertible {
    public var kind: ChannelKind
    public var known: [ChannelKind]
    public var description: String {
        "unknown channel type '\(kind)'; known types: \(known.map(\.rawValue).joined(separator: ", "))"
    }
}
