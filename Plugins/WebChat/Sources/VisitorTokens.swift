import Foundation
import SwitchboardAdapterKit

/// Visitors' ids and the signed tokens that prove them: `<visitor id>.<HMAC>` under a key derived
/// from the hub's secret and the channel, so a visitor cannot claim another's id and a token of
/// one channel is no good on another.
///
/// A new visitor's id is derived from their first message's `client_id`: a first message sent
/// twice (the network failed after the hub stored it) is the same visitor and the same message.
struct VisitorTokens: Sendable {
    let key: String

    init(hubSecret: String, channel: ChannelID) {
        key = "switchboard-webchat:\(channel.rawValue):\(hubSecret)"
    }

    func newVisitorID(clientID: String) -> String {
        "v" + String(HMACSignature.sha256Hex(secret: key, body: Array("visitor:\(clientID)".utf8)).prefix(24))
    }

    func token(for visitorID: String) -> String {
        visitorID + "." + signature(visitorID)
    }

    /// The visitor a token proves, or `nil` when it is malformed or signed with another key.
    func visitor(from token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, token.utf8.count <= 100 else { return nil }
        let id = String(parts[0])
        guard id.hasPrefix("v"), id.count == 25, id.dropFirst().allSatisfy({ $0.isHexDigit }),
            HMACSignature.constantTimeEquals(String(parts[1]), signature(id))
        else { return nil }
        return id
    }

    private func signature(_ visitorID: String) -> String {
        String(HMACSignature.sha256Hex(secret: key, body: Array("token:\(visitorID)".utf8)).prefix(32))
    }
}
