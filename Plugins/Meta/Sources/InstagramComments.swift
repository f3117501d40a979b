import Foundation
import SwitchboardAdapterKit

/// Instagram `comments` changes (https://developers.facebook.com/docs/instagram-platform/webhooks/examples,
/// "comments"): public comments on the account's media, filed as `.public` messages in one
/// conversation per media (thread key = the media id). Comments by the account itself are our own
/// replies and are skipped, as echoes are.
///
/// Replies: a `.public` reply answers the comment in public (`POST /{comment-id}/replies`); a
/// `.private` reply in a comment conversation is a private reply, a DM addressed by the comment
/// (`recipient: {comment_id}`), which Instagram allows once per comment within seven days.
enum InstagramComments {
    static func envelopes(
        _ payload: MessagingWebhook, accountID: String, channel: ChannelID, body: [UInt8], receivedAt: Date,
        skipped: inout [String]
    ) -> [InboundEnvelope] {
        var envelopes: [InboundEnvelope] = []
        for entry in payload.entry ?? [] where entry.id == accountID {
            let time = entry.time.flatMap { PayloadTime.date(seconds: $0 > 100_000_000_000 ? $0 / 1000 : $0) }
            let at = time ?? receivedAt
            let warnings = time == nil ? entry.time.map { [PayloadTime.warning("time", "\($0)")] } ?? [] : []
            for change in entry.changes ?? [] where change.field == "comments" {
                guard let comment = change.value, let commenter = comment.from?.id, commenter != accountID else {
                    continue
                }
                guard let id = comment.id, !id.isEmpty, let media = comment.media?.id, !media.isEmpty else {
                    skipped.append("a comments change has no comment 'id' or 'media.id'")
                    continue
                }
                let from: Address
                do {
                    from = try Address(kind: .instagram, value: "\(accountID)/\(commenter)")
                } catch {
                    skipped.append("comment \(id): 'from.id' \(error.message)")
                    continue
                }
                envelopes.append(
                    InboundEnvelope(
                        channel: channel, externalID: id, from: from, threadKey: media, visibility: .public,
                        text: comment.text ?? "", inReplyTo: comment.parentID, sentAt: at,
                        raw: RawPayload(contentType: "application/json", bytes: body),
                        hints: IdentityHints(displayName: comment.from?.username), parseWarnings: warnings))
            }
        }
        return envelopes
    }

    /// A comment conversation's thread key is a media id; a DM's is the customer's address.
    static func isCommentThread(_ threadKey: String) -> Bool {
        !threadKey.isEmpty && threadKey.allSatisfy(\.isASCIIDigit)
    }

    /// The body of `POST /{comment-id}/replies`.
    struct PublicReply: Encodable, Equatable {
        var message: String
    }
}
