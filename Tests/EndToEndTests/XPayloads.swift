import Foundation

// X's documented payloads for the end-to-end tests: the same examples the plugin's own tests use
// (Plugins/X/Tests/Fixtures, loaded from there), each with its documentation source.

/// The payloads, by name.
enum XPayloads {
    /// The "tweet_create_events" wrapper of https://docs.x.com/x-api/account-activity/introduction for
    /// account 4337869213 (the DM example's account), with the v1.1 Tweet object of
    /// https://docs.x.com/x-api/v1/data-dictionary/object-model/example-payloads whose `user` is
    /// replaced by Jordan Brinks (3001969357, from the DM example's `users`), and the DM example
    /// beside it: one customer's mention and DM in one delivery.
    static let accountActivityMentionAndDM = fixture("X", "account-activity-mention-and-dm.json")

    /// `GET /2/tweets?ids=…&tweet.fields=conversation_id` for the reply above, in the form of the
    /// "Requesting conversation_id" response of https://docs.x.com/x-api/fundamentals/conversation-id.
    static let conversationLookup = fixture("X", "conversation-lookup.json")

    /// "Step four" response of https://docs.x.com/x-api/posts/manage-tweets/quickstart (`POST /2/tweets`).
    static let createPostResponse = fixture("X", "create-post-response.json")

    /// "Step five" response of https://docs.x.com/x-api/direct-messages/manage/quickstart.
    static let createDMResponse = fixture("X", "create-dm-response.json")

    /// "Add fields and expansions" → "Response" of
    /// https://docs.x.com/x-api/posts/search/quickstart/recent-search (a post by @pythondev,
    /// 9876543210: the same user as the DM quickstart's sender).
    static let recentSearchWithExpansions = fixture("X", "recent-search-with-expansions.json")
}
