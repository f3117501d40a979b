import EmailAdapter
import KannelAdapter
import MatrixAdapter
import SMSGatewayAdapter
import SwitchboardAdapterKit
import SwitchboardCore
import TwilioAdapter
import WebhookAdapter

/// The one list of in-tree channel adapters. A new plugin adds its type here (and its line in
/// `Package.swift`'s `plugins` list); nothing else in the hub changes.
public enum BuiltinAdapters {
    public static let types: [any ChannelAdapter.Type] = [
        WebhookAdapter.self,
        EmailAdapter.self,
        TwilioAdapter.self,
        KannelAdapter.self,
        SMSGatewayAdapter.self,
        MatrixAdapter.self,
    ]

    /// A registry with every in-tree adapter.
    public static var registry: AdapterRegistry { AdapterRegistry(types) }
}
