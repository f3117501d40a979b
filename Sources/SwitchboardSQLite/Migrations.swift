import GRDB

/// The schema, as named, append-only migrations. Never edit a shipped migration: add a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-global-ids-and-warnings") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-raw-handles-and-opt-outs") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-message-edits") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5-email-identities-by-lower-case") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6-rate-limits-and-outgoing-webhooks") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7-channel-leases") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8-merged-customers-index") { db in
            try db.execute(sql: v8)
        }
        migrator.registerMigration("v9-inbox-index") { db in
            try db.execute(sql: v9)
        }
        migrator.registerMigration("v10-users-and-tokens") { db in
            try db.execute(sql: v10)
        }
        migrator.registerMigration("v11-passwords-and-sessions") { db in
            try db.execute(sql: v11)
        }
        migrator.registerMigration("v12-event-log") { db in
            try db.execute(sql: v12)
        }
        migrator.registerMigration("v13-broadcasts") { db in
            try db.execute(sql: v13)
        }
        migrator.registerMigration("v14-satisfaction") { db in
            try db.execute(sql: v14)
        }
        return migrator
    }

    /// Satisfaction surveys: one per conversation asked, with the answer once given.
    static let v14 = """
        CREATE TABLE csat (
            conversation_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            asked_at INTEGER NOT NULL,
            question_message_id TEXT NOT NULL,
            score INTEGER CHECK (score BETWEEN 1 AND 5),
            answered_at INTEGER,
            answer_message_id TEXT
        );
        """

    /// Each broadcast (its request's hash: the same id is the same broadcast) and who it reached (or
    /// skipped, and why): a broadcast sent again reaches nobody twice.
    static let v13 = """
        CREATE TABLE broadcasts (
            id TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE broadcast_recipients (
            broadcast_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            channel TEXT,
            conversation_id TEXT,
            message_id TEXT,
            skipped TEXT,
            at INTEGER NOT NULL,
            PRIMARY KEY (broadcast_id, customer_id)
        );
        """

    /// The event log reports and SLAs are computed from (``ActivityEntry``): appended in the same
    /// transaction as each change, never edited.
    static let v12 = """
        CREATE TABLE activity (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            conversation_id TEXT,
            customer_id TEXT,
            channel TEXT,
            is_automatic INTEGER NOT NULL DEFAULT 0 CHECK (is_automatic IN (0, 1)),
            actor TEXT,
            value TEXT
        );
        CREATE INDEX activity_conversation ON activity(conversation_id, seq);
        CREATE INDEX activity_kind_at ON activity(kind, at);
        """

    /// The web inbox's logins: a password hash per user (``PasswordHash``), and sessions as tokens
    /// of kind `session` that expire.
    static let v11 = """
        ALTER TABLE users ADD COLUMN password_hash TEXT;
        ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'session'));
        ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
        """

    /// The hub's users (agents and admins) and their API tokens, kept as SHA-256 hashes only.
    static let v10 = """
        CREATE TABLE users (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
            created_at INTEGER NOT NULL
        );
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY NOT NULL,
            user_id TEXT NOT NULL REFERENCES users(id),
            token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        CREATE INDEX api_tokens_user ON api_tokens(user_id);
        """

    /// The inbox: conversations of a status (and of a channel), latest activity first, a page at a
    /// time (``SQLStore/conversations(matching:limit:cursor:)``) without sorting the table. Without
    /// the channel's index, a page of a channel with 1 % of the conversations read a hundred
    /// times the rows (5 ms instead of 0.14 ms at 311,000 conversations).
    static let v9 = """
        CREATE INDEX conversations_inbox ON conversations(status, last_message_at, id);
        CREATE INDEX conversations_inbox_channel ON conversations(status, channel, last_message_at, id);
        """

    /// Only merged-away customers in `customers_merged_into` (a merge chain looks them up): with every
    /// live customer in it as NULL, the customer list walked that index and sorted 100,000 rows.
    static let v8 = """
        DROP INDEX customers_merged_into;
        CREATE INDEX customers_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL;
        """

    /// Which hub process runs each channel's polling, when several share a database (the table is
    /// the same in both backends; one SQLite hub takes every lease at once).
    static let v7 = """
        CREATE TABLE channel_leases (
            channel TEXT PRIMARY KEY NOT NULL,
            holder TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """

    /// Rate-limited answers are counted apart from other failed attempts (they have their own
    /// budget); a claimed send's lease is kept apart from when it is due (`leased_until`), so a
    /// restarted dispatcher can release the leases a crash left behind without losing any
    /// retry's schedule; events for the customer's own systems wait in `webhook_deliveries` until their
    /// endpoint takes them (the same id on every retry, so the receiver can drop repeats).
    static let v6 = """
        ALTER TABLE outbox ADD COLUMN rate_limited INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN leased_until INTEGER;
        CREATE TABLE webhook_deliveries (
            id TEXT PRIMARY KEY NOT NULL,
            endpoint TEXT NOT NULL,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            leased_until INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            sent_at INTEGER
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
        """

    /// Email addresses customers type in chat are looked up without case (a suggestion, for an
    /// agent to check), inside the single writer: indexed, so the lookup does not scan identities.
    static let v5 = """
        CREATE INDEX identities_email_lower ON identities(lower(address)) WHERE kind = 'email';
        """

    /// Every earlier text of an edited message (NULL when the edit arrived before the original,
    /// which then never came), keyed by the edit's own id on the channel.
    static let v4 = """
        CREATE TABLE message_edits (
            message_id TEXT NOT NULL REFERENCES messages(id),
            channel TEXT NOT NULL,
            external_id TEXT NOT NULL,
            previous_text TEXT,
            text TEXT NOT NULL,
            edited_at INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (channel, external_id)
        );
        CREATE INDEX message_edits_message ON message_edits(message_id, edited_at);
        """

    /// The sender's handle as the channel wrote it, beside the normalised address; and the
    /// addresses that texted STOP (one row per address while the opt-out is in force).
    static let v3 = """
        ALTER TABLE identities ADD COLUMN raw_handle TEXT;
        CREATE TABLE opt_outs (
            address TEXT PRIMARY KEY NOT NULL,
            keyword TEXT NOT NULL,
            channel TEXT NOT NULL,
            message_id TEXT NOT NULL REFERENCES messages(id),
            at INTEGER NOT NULL
        );
        """

    /// Messages that reach several instances of one channel kind (one mail to two inboxes) are
    /// stored once; parse warnings are kept with the message.
    static let v2 = """
        ALTER TABLE messages ADD COLUMN global_id TEXT;
        ALTER TABLE messages ADD COLUMN parse_warnings TEXT;
        CREATE UNIQUE INDEX messages_global_id ON messages(global_id) WHERE global_id IS NOT NULL;
        """

    static let v1 = """
        CREATE TABLE customers (
            id TEXT PRIMARY KEY NOT NULL,
            display_name TEXT,
            attributes TEXT NOT NULL DEFAULT '{}',
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            merged_into TEXT REFERENCES customers(id)
        );
        CREATE INDEX customers_merged_into ON customers(merged_into);

        CREATE TABLE identities (
            address TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            original_customer_id TEXT NOT NULL REFERENCES customers(id),
            first_seen_channel TEXT,
            verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
            provenance TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX identities_customer ON identities(customer_id);
        CREATE INDEX identities_original ON identities(original_customer_id);

        CREATE TABLE conversations (
            id TEXT PRIMARY KEY NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            channel TEXT NOT NULL,
            customer_address TEXT NOT NULL,
            thread_key TEXT NOT NULL,
            subject TEXT,
            status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
            assignee TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            priority INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            last_message_at INTEGER NOT NULL,
            first_response_at INTEGER,
            resolved_at INTEGER
        );
        CREATE INDEX conversations_thread ON conversations(channel, thread_key, customer_address, created_at);
        CREATE INDEX conversations_customer ON conversations(customer_id, last_message_at);
        CREATE INDEX conversations_address ON conversations(customer_address);

        CREATE TABLE messages (
            id TEXT PRIMARY KEY NOT NULL,
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            customer_id TEXT NOT NULL REFERENCES customers(id),
            channel TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
            visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
            author TEXT NOT NULL,
            subject TEXT,
            text TEXT NOT NULL,
            html TEXT,
            attachments TEXT NOT NULL DEFAULT '[]',
            external_id TEXT,
            in_reply_to TEXT,
            sent_at INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            is_automatic INTEGER NOT NULL DEFAULT 0 CHECK (is_automatic IN (0, 1)),
            delivery_status TEXT,
            raw BLOB,
            raw_content_type TEXT
        );
        CREATE UNIQUE INDEX messages_external_id ON messages(channel, external_id);
        CREATE INDEX messages_timeline ON messages(customer_id, sent_at, id);
        CREATE INDEX messages_conversation ON messages(conversation_id, sent_at);

        CREATE TABLE message_status (
            message_id TEXT NOT NULL REFERENCES messages(id),
            status TEXT NOT NULL,
            at INTEGER NOT NULL,
            detail TEXT
        );
        CREATE INDEX message_status_message ON message_status(message_id, at);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL UNIQUE REFERENCES messages(id),
            channel TEXT NOT NULL,
            payload TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            sent_at INTEGER
        );
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

        CREATE TABLE merges (
            id TEXT PRIMARY KEY NOT NULL,
            source_customer_id TEXT NOT NULL REFERENCES customers(id),
            target_customer_id TEXT NOT NULL REFERENCES customers(id),
            actor TEXT NOT NULL,
            reason TEXT NOT NULL,
            merged_at INTEGER NOT NULL,
            unmerged_at INTEGER,
            unmerged_by TEXT
        );
        CREATE INDEX merges_source ON merges(source_customer_id);
        CREATE INDEX merges_target ON merges(target_customer_id);

        CREATE TABLE merge_suggestions (
            id TEXT PRIMARY KEY NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            other_customer_id TEXT NOT NULL REFERENCES customers(id),
            reason TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (customer_id, other_customer_id)
        );

        CREATE TABLE events (
            id TEXT PRIMARY KEY NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers(id),
            conversation_id TEXT REFERENCES conversations(id),
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            detail TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX events_customer ON events(customer_id, at, id);

        CREATE TABLE cursors (
            channel TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (channel, key)
        );
        """
}
