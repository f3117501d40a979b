// Payloads as X publishes them in its documentation (docs.x.com; the Markdown sources are the
// xdevplatform/docs repository). Where a test needs a change (one customer on two payloads, an
// older event), the comment above the fixture says exactly what was changed.

/// Mentions timeline response, "Step five: Make your request and review your response" of
/// https://docs.x.com/x-api/posts/timelines/quickstart/user-mention-quickstart
/// (every post is by @TwitterDev, 2244994945; `meta.next_token` asks for a second page).
let mentionsQuickstartPage = #"""
    {
        "data": [
            {
                "author_id": "2244994945",
                "created_at": "2020-09-03T17:31:39.000Z",
                "id": "1301573587187331074",
                "text": "Starting today, you can see your monthly Tweet usage for the v2 API in the developer portal. ✨📊\n\nThis tracks how many Tweets you’ve received from filtered stream and recent search. Learn more here: https://t.co/nfJHkFRQcZ https://t.co/vFXmoj3qaA"
            },
            {
                "author_id": "2244994945",
                "created_at": "2020-09-03T15:43:00.000Z",
                "id": "1301546240887398401",
                "text": "RT @snowman: So, we built a live golf leaderboard on the X API with Python, Flask, Postgres, and Heroku.\n\nSend a 'leaderboard' Direct…"
            },
            {
                "author_id": "2244994945",
                "created_at": "2020-09-01T20:07:50.000Z",
                "id": "1300888112948752389",
                "text": "⛳ Why do golfers carry an extra shirt? In case they get a hole in one.\n\nNow that we have your attention, learn how @snowman and @johnd built a real-time golf leaderboard using the #TwitterAPI. 📖\n\nhttps://t.co/rRKeKmaRrN"
            },
            {
                "author_id": "2244994945",
                "created_at": "2020-08-28T23:14:22.000Z",
                "id": "1299485505478963200",
                "text": "RT @jessicagarson: Posted my first tutorial on @ThePracticalDev on using v2 of the Twitter API! You will learn how to explore a user’s Twee…"
            },
            {
                "author_id": "2244994945",
                "created_at": "2020-08-21T19:10:05.000Z",
                "id": "1296887316556980230",
                "text": "See how @PennMedCDH are using Twitter data to understand the COVID-19 health crisis 📊\n\nhttps://t.co/1tdA8uDWes"
            }
        ],
        "includes": {
            "users": [
                {
                    "created_at": "2013-12-14T04:35:55.000Z",
                    "id": "2244994945",
                    "name": "Twitter Dev",
                    "username": "TwitterDev"
                }
            ]
        },
        "meta": {
            "newest_id": "1301573587187331074",
            "next_token": "t3buvdr5pujq9g7bggsnf3ep2ha28",
            "oldest_id": "1296887316556980230",
            "previous_token": "t3equkmcd2zffvags2nkj0nhlrn78",
            "result_count": 5
        }
    }
    """#

/// "Example: Full thread retrieval" of https://docs.x.com/x-api/fundamentals/conversation-id:
/// three replies in conversation 1234567890, which @user1 (1111111111) started. Read here as the
/// mentions timeline of account 1111111111.
let conversationThread = #"""
    {
      "data": [
        {
          "id": "1234567893",
          "text": "@user2 @user1 I agree with you both!",
          "conversation_id": "1234567890",
          "author_id": "3333333333",
          "created_at": "2024-01-15T12:05:00.000Z",
          "in_reply_to_user_id": "2222222222",
          "referenced_tweets": [{"type": "replied_to", "id": "1234567892"}]
        },
        {
          "id": "1234567892",
          "text": "@user1 That's interesting!",
          "conversation_id": "1234567890",
          "author_id": "2222222222",
          "created_at": "2024-01-15T12:03:00.000Z",
          "in_reply_to_user_id": "1111111111",
          "referenced_tweets": [{"type": "replied_to", "id": "1234567890"}]
        },
        {
          "id": "1234567891",
          "text": "@user1 Great point!",
          "conversation_id": "1234567890",
          "author_id": "4444444444",
          "created_at": "2024-01-15T12:02:00.000Z",
          "in_reply_to_user_id": "1111111111",
          "referenced_tweets": [{"type": "replied_to", "id": "1234567890"}]
        }
      ],
      "meta": {
        "result_count": 3
      }
    }
    """#

/// "Get all DM events" → "Response" of https://docs.x.com/x-api/direct-messages/lookup/quickstart
/// (a DM from 9876543210; `meta.next_token` says there are older events).
let dmEventsQuickstart = #"""
    {
      "data": [
        {
          "id": "1234567890",
          "event_type": "MessageCreate",
          "text": "Hello! How are you?",
          "sender_id": "9876543210",
          "created_at": "2024-01-15T10:30:00.000Z"
        }
      ],
      "meta": {
        "result_count": 1,
        "next_token": "abc123"
      }
    }
    """#

/// "Include user data" → "Response with expansion" of the same page
/// (https://docs.x.com/x-api/direct-messages/lookup/quickstart): the sender's user object.
let dmEventsWithExpansion = #"""
    {
      "data": [
        {
          "id": "1234567890",
          "event_type": "MessageCreate",
          "text": "Hello!",
          "sender_id": "9876543210"
        }
      ],
      "includes": {
        "users": [
          {
            "id": "9876543210",
            "username": "example_user",
            "profile_image_url": "https://..."
          }
        ]
      }
    }
    """#

/// The `MessageCreate` example event of https://docs.x.com/x-api/direct-messages/lookup/integrate
/// ("Example events"), in the `data` array the DM events endpoint returns it in.
let dmEventIntegrate = #"""
    {
      "data": [
        {
          "id": "1582838499983564806",
          "event_type": "MessageCreate",
          "text": "Hi everyone.",
          "sender_id": "944480690",
          "dm_conversation_id": "1578398451921985538",
          "created_at": "2022-10-19T20:58:00.000Z"
        }
      ]
    }
    """#

/// Not from the docs: an event older than every other fixture, as the last page of DM events
/// would hold it, to mark where a stored position is.
let dmEventsOlderPage = #"""
    {"data": [{"id": "50", "event_type": "MessageCreate", "text": "old", "sender_id": "9876543210"}]}
    """#

/// "Add fields and expansions" → "Response" of
/// https://docs.x.com/x-api/posts/search/quickstart/recent-search (a post by @pythondev,
/// 9876543210: the same user as the DM quickstart's sender).
let recentSearchWithExpansions = fixture("recent-search-with-expansions.json")

/// "direct_message_events" of https://docs.x.com/x-api/account-activity/introduction
/// ("Payload examples"): Jordan Brinks (3001969357) writes to account 4337869213.
let accountActivityDM = #"""
    {
      "for_user_id": "4337869213",
      "direct_message_events": [{
        "type": "message_create",
        "id": "954491830116155396",
        "created_timestamp": "1516403560557",
        "message_create": {
          "target": {
            "recipient_id": "4337869213"
          },
          "sender_id": "3001969357",
          "source_app_id": "13090192",
          "message_data": {
            "text": "Hello World!",
            "entities": {
              "hashtags": [],
              "symbols": [],
              "user_mentions": [],
              "urls": []
            }
          }
        }
      }],
      "apps": {
        "13090192": {
          "id": "13090192",
          "name": "FuriousCamperTestApp1",
          "url": "https://x.com/furiouscamper"
        }
      },
      "users": {
        "3001969357": {
          "id": "3001969357",
          "created_timestamp": "1422556069340",
          "name": "Jordan Brinks",
          "screen_name": "furiouscamper",
          "location": "Boulder, CO",
          "description": "Alter Ego - X PE opinions-are-my-own",
          "url": "https://t.co/SnxaA15ZuY",
          "protected": false,
          "verified": false,
          "followers_count": 22,
          "friends_count": 45,
          "statuses_count": 494,
          "profile_image_url_https": "https://pbs.twimg.com/profile_images/851526626785480705/cW4WTi7C_normal.jpg"
        },
        "4337869213": {
          "id": "4337869213",
          "created_timestamp": "1448312972328",
          "name": "Harrison Test",
          "screen_name": "Harris_0ff",
          "location": "Burlington, MA",
          "protected": false,
          "verified": false,
          "followers_count": 8,
          "friends_count": 8,
          "statuses_count": 240,
          "profile_image_url_https": "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
        }
      }
    }
    """#

/// The v1.1 Tweet object of https://docs.x.com/x-api/v1/data-dictionary/object-model/example-payloads
/// (developer.x.com/en/docs/x-api/v1/data-dictionary/object-model/example-payloads), abridged to
/// the fields before `user` and the user's first fields: @TwitterDev replying to its own post.
func v1Tweet(userID: String = "2244994945", name: String = "Twitter Dev", screenName: String = "TwitterDev")
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

/// "tweet_create_events (@mentions)" of https://docs.x.com/x-api/account-activity/introduction,
/// with the documented Tweet object above in place of `<Tweet Object>`: for @TwitterDev's own
/// subscription this is its own post.
let accountActivityOwnPost = #"""
    {
      "for_user_id": "2244994945",
      "user_has_blocked": "false",
      "tweet_create_events": [\#(v1Tweet())]
    }
    """#

/// The same wrapper for account 4337869213 (the DM example's account), with the Tweet object's
/// `user` replaced by Jordan Brinks (3001969357, from the DM example's `users`) and the DM example
/// beside it: one customer's mention and DM in one delivery.
let accountActivityMentionAndDM = fixture("account-activity-mention-and-dm.json")

/// `GET /2/tweets?ids=…&tweet.fields=conversation_id` for the reply above, in the form of the
/// "Requesting conversation_id" response of https://docs.x.com/x-api/fundamentals/conversation-id.
let conversationLookup = fixture("conversation-lookup.json")

/// "Step four" response of https://docs.x.com/x-api/posts/manage-tweets/quickstart (`POST /2/tweets`).
let createPostResponse = fixture("create-post-response.json")

/// "Step five" response of https://docs.x.com/x-api/direct-messages/manage/quickstart.
let createDMResponse = fixture("create-dm-response.json")

/// "Error response format" of https://docs.x.com/x-api/fundamentals/response-codes-and-errors.
let invalidRequestProblem = #"""
    {
      "title": "Invalid Request",
      "detail": "The 'query' parameter is required.",
      "type": "https://api.x.com/2/problems/invalid-request"
    }
    """#

/// A 403 for a repeated post, as X returns it (quoted in github.com/akrherz/iembot issue #163).
let duplicateContentProblem = #"""
    {"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}
    """#

/// A 403 for a DM the customer does not accept: X's problem format with its message for that case.
let dmNotAllowedProblem = #"""
    {"detail":"You cannot send messages to this user.","type":"about:blank","title":"Forbidden","status":403}
    """#

/// "Partial errors" → `errors[]` of https://docs.x.com/x-api/fundamentals/response-codes-and-errors,
/// as the whole answer of a 400.
let resourceNotFoundErrors = #"""
    {
      "errors": [
        {
          "resource_id": "456",
          "resource_type": "tweet",
          "title": "Not Found Error",
          "detail": "Could not find tweet with id: [456].",
          "type": "https://api.x.com/2/problems/resource-not-found"
        }
      ]
    }
    """#
