import BridgeAdapter
import EmailAdapter
import KannelAdapter
import MatrixAdapter
import MetaAdapter
import SMSGatewayAdapter
import SwitchboardAdapterKit
import SwitchboardCore
import TelegramAdapter
import TwilioAdapter
import WebChatAdapter
import WebhookAdapter
import XAdapter

/// The one list of in-tree channel adapters. A new plugin adds its type here (and its line in
/// `Package.swift`'s `plugins` list; `scripts/new-adapter.py NAME` writes both); nothing else in
/// the hub changes.
public enum BuiltinAdapters {
    public static let types: [any ChannelAdapter.Type] = [
        WebhookAdapter.self,
        EmailAdapter.self,
        TwilioAdapter.self,
        KannelAdapter.self,
        SMSGatewayAdapter.self,
        WhatsAppAdapter.self,
        MessengerAdapter.self,
        InstagramAdapter.self,
        TelegramAdapter.self,
        XAdapter.self,
        MatrixAdapter.self,
        BridgeAdapter.self,
        WebChatAdapter.self,
        // scripts/new-adapter.py adds new adapters above this line.
    ]

    /// A registry with every in-tree adapter.
    public static var registry: AdapterRegistry { AdapterRegistry(types) }
}
