// X's documented payloads for the end-to-end tests: the same examples the plugin's own tests use
// (Plugins/X/Tests/XFixtures.swift), each with its documentation source.

/// The payloads, by name.
enum XPayloads {
    /// The v1.1 Tweet object of https://docs.x.com/x-api/v1/data-dictionary/object-model/example-payloads
    /// (developer.x.com/en/docs/x-api/v1/data-dictionary/object-model/example-payloads), abridged to
    /// the fields before `user` and the user's first fields: @TwitterDev replying to its own post.
    static func v1Tweet(userID: String = "2244994945", name: String = "Twitter Dev", screenName: String = "TwitterDev")
        -> String
    {
        #"""
        {
          "created_at": "Fri Sep 18 18:36:15 +0000 2020",
          "id": 1307025659294674945,
          "id_str": "1307025659294674945",
          "full_text": "Here’s an article that highlights the updates in the new Tweet payload v2 https:\/\/t.co\/oeF3ZHeKQQ",
          "truncated": false,
          "display_text_range": [0, 97],
          "source": "<a href=\"https:\/\/mobile.twitter.com\" rel=\"nofollow\">Twitter Web App<\/a>",
          "in_reply_to_status_id": 1304102743196356610,
          "in_reply_to_status_id_str": "1304102743196356610",
          "in_reply_to_user_id": 2244994945,
          "in_reply_to_user_id_str": "2244994945",
          "in_reply_to_screen_name": "TwitterDev",
          "user": {
            "id": \#(userID),
            "id_str": "\#(userID)",
            "name": "\#(name)",
            "screen_name": "\#(screenName)",
            "location": "127.0.0.1",
            "url": "https:\/\/t.co\/3ZX3TNiZCY"
          }
        }
        """#
    }

    /// The same wrapper for account 4337869213 (the DM example's account), with the Tweet object's
    /// `user` replaced by Jordan Brinks (3001969357, from the DM example's `users`) and the DM example
    /// beside it: one customer's mention and DM in one delivery.
    static let accountActivityMentionAndDM = #"""
        {
          "for_user_id": "4337869213",
          "user_has_blocked": "false",
          "tweet_create_events": [\#(v1Tweet(userID: "3001969357", name: "Jordan Brinks", screenName: "furiouscamper"))],
          "direct_message_events": [{
            "type": "message_create",
            "id": "954491830116155396",
            "created_timestamp": "1516403560557",
            "message_create": {
              "target": {"recipient_id": "4337869213"},
              "sender_id": "3001969357",
              "source_app_id": "13090192",
              "message_data": {"text": "Hello World!", "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}}
            }
          }],
          "users": {
            "3001969357": {"id": "3001969357", "name": "Jordan Brinks", "screen_name": "furiouscamper"}
          }
        }
        """#

    /// `GET /2/tweets?ids=…&tweet.fields=conversation_id` for the reply above, in the form of the
    /// "Requesting conversation_id" response of https://docs.x.com/x-api/fundamentals/conversation-id.
    static let conversationLookup = #"""
        {"data": [{"id": "1307025659294674945", "text": "Here’s an article", "conversation_id": "1304102743196356610"}]}
        """#

    /// "Step four" response of https://docs.x.com/x-api/posts/manage-tweets/quickstart (`POST /2/tweets`).
    static let createPostResponse = #"""
        {
          "data": {
            "id": "1445880548472328192",
            "text": "Hello world!"
          }
        }
        """#

    /// "Step five" response of https://docs.x.com/x-api/direct-messages/manage/quickstart.
    static let createDMResponse = #"""
        {
           "data": {
               "dm_conversation_id": "1582103724607971328",
               "dm_event_id": "1582106224379559940"
           }
        }
        """#

    /// "Add fields and expansions" → "Response" of
    /// https://docs.x.com/x-api/posts/search/quickstart/recent-search (a post by @pythondev,
    /// 9876543210: the same user as the DM quickstart's sender).
    static let recentSearchWithExpansions = #"""
        {
          "data": [
            {
              "id": "1234567890123456789",
              "text": "Just started learning Python and loving it!",
              "created_at": "2024-01-15T10:30:00.000Z",
              "author_id": "9876543210",
              "public_metrics": {
                "retweet_count": 5,
                "reply_count": 2,
                "like_count": 42,
                "quote_count": 1
              },
              "edit_history_tweet_ids": ["1234567890123456789"]
            }
          ],
          "includes": {
            "users": [
              {
                "id": "9876543210",
                "username": "pythondev",
                "verified": false
              }
            ]
          },
          "meta": {
            "newest_id": "1234567890123456789",
            "oldest_id": "1234567890123456789",
            "result_count": 1
          }
        }
        """#
}
