import SwitchboardAdapterKit

/// Who wrote a WhatsApp message, in the hub's addresses, following Meta's business-scoped user ids
/// (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/).
///
/// Since March 2026 every message webhook carries the sender's BSUID (`messages[].from_user_id`,
/// `contacts[].user_id`). A user who adopted a username may have no phone number in the payload at
/// all: `messages[].from` and `contacts[].wa_id` are then left out. So: with a BSUID the sender is
/// `whatsapp-user:<BSUID>`, and the phone number, only when the payload states it, is an alias of
/// the same account (`whatsapp:+<number>`); older payloads without a BSUID keep `whatsapp:+<wa_id>`.
struct WhatsAppIdentity {
    var from: Address
    var aliases: [Address]
    var displayName: String?
    var rawHandle: String?

    /// The contact entry that describes `message`'s sender: by BSUID, then by number, then the only one.
    static func contact(for message: WhatsAppWebhook.Message, in contacts: [WhatsAppWebhook.Contact])
        -> WhatsAppWebhook.Contact?
    {
        if let userID = message.fromUserID, let match = contacts.first(where: { $0.userID == userID }) {
            return match
        }
        if let from = message.from, let match = contacts.first(where: { $0.waID == from }) { return match }
        return contacts.count == 1 ? contacts.first : nil
    }

    static func resolve(_ message: WhatsAppWebhook.Message, contact: WhatsAppWebhook.Contact?)
        throws(WebhookRequestError) -> WhatsAppIdentity
    {
        let bsuid =
            nonEmpty(message.fromUserID) ?? nonEmpty(contact?.userID)
            ?? nonEmpty(message.from).flatMap {
                isPhoneNumber($0) ? nil : $0  // Defensive: a `from` that is not digits can only be a BSUID.
            }
        let phone = [contact?.waID, message.from].compactMap { nonEmpty($0) }.first(where: isPhoneNumber)
        let displayName = nonEmpty(contact?.profile?.name) ?? nonEmpty(contact?.profile?.username)
        var phoneAddress: Address?
        if let phone {
            do {
                phoneAddress = try Address(kind: .whatsapp, value: "+" + phone)
            } catch {
                throw WebhookRequestError("the sender's WhatsApp number \(error.message)")
            }
        }
        let rawHandle = phone.flatMap { digits in phoneAddress?.value == "+" + digits ? nil : "whatsapp:+" + digits }
        if let bsuid {
            let from: Address
            do {
                from = try Address(kind: .whatsappUser, value: bsuid)
            } catch {
                throw WebhookRequestError("'from_user_id' \(error.message)")
            }
            return WhatsAppIdentity(
                from: from, aliases: phoneAddress.map { [$0] } ?? [], displayName: displayName, rawHandle: rawHandle)
        }
        guard let phoneAddress else {
            throw WebhookRequestError(
                "message '\(message.id ?? "?")' names no sender: it has neither 'from_user_id' nor 'from'")
        }
        return WhatsAppIdentity(from: phoneAddress, aliases: [], displayName: displayName, rawHandle: rawHandle)
    }

    static func isPhoneNumber(_ text: String) -> Bool {
        (7...15).contains(text.count) && text.allSatisfy(\.isASCIIDigit)
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
