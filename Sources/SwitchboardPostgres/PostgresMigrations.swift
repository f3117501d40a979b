import Foundation
import SwitchboardSQLStore

/// The PostgreSQL schema, as named, append-only migrations: the same tables and columns as the
/// SQLite schema (Sources/SwitchboardSQLite/Migrations.swift), in PostgreSQL's types. Never edit a
/// shipped migration: add a new one, and the same change to SQLite's.
///
/// Differences from SQLite, all invisible to the store logic: integers are BIGINT; bytes are
/// BYTEA; text compares byte by byte (`COLLATE "C"`, as SQLite's BINARY) whatever the database's
/// locale; `conversations` and `message_status` have a `seq` column where SQLite has `rowid`.
enum PostgresMigrations {
    static let all: [(name: String, sql: String)] = [
        ("v1-initial", v1), ("v2-channel-leases", v2), ("v3-merged-customers-index", v3),
        ("v4-inbox-index", v4), ("v5-users-and-tokens", v5),
        ("v6-passwords-and-sessions", v6), ("v7-event-log", v7),
        ("v8-broadcasts", v8), ("v9-satisfaction", v9),
    ]

    /// SQLite's v14: satisfaction surveys.
    static let v9 = """
        CREATE TABLE csat (
            conversation_id TEXT COLLATE "C" PRIMARY KEY,
            customer_id TEXT COLLATE "C" NOT NULL,
            channel TEXT COLLATE "C" NOT NULL,
            token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
            asked_at BIGINT NOT NULL,
            question_message_id TEXT COLLATE "C" NOT NULL,
            score BIGINT CHECK (score BETWEEN 1 AND 5),
            answered_at BIGINT,
            answer_message_id TEXT COLLATE "C"
        )
        """

    /// SQLite's v13: who each broadcast reached.
    static let v8 = """
        CREATE TABLE broadcasts (
            id TEXT COLLATE "C" PRIMARY KEY,
            request_hash TEXT COLLATE "C" NOT NULL,
            author TEXT COLLATE "C" NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE TABLE broadcast_recipients (
            broadcast_id TEXT COLLATE "C" NOT NULL,
            customer_id TEXT COLLATE "C" NOT NULL,
            channel TEXT COLLATE "C",
            conversation_id TEXT COLLATE "C",
            message_id TEXT COLLATE "C",
            skipped TEXT COLLATE "C",
            at BIGINT NOT NULL,
            PRIMARY KEY (broadcast_id, customer_id)
        )
        """

    /// Applies the missing migrations in one transaction. Two hubs starting at once are safe: the
    /// transaction holds the store's write lock, so the second finds the work done.
    static func migrate(_ database: PostgresSQLDatabase) throws {
        try database.writeSynchronously { db in try apply(db) }
    }

    /// ``migrate(_:)`` without blocking the caller's thread.
    static func migrate(_ database: PostgresSQLDatabase) async throws {
        try await database.write { db in try apply(db) }
    }

    static func apply(_ db: any SQLSession) throws {
        try db.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name TEXT COLLATE "C" PRIMARY KEY, applied_at BIGINT NOT NULL)
            """)
        let applied = Set(try db.fetchAll("SELECT name FROM schema_migrations").map { try $0[0] as String })
        for migration in all where !applied.contains(migration.name) {
            for statement in statements(migration.sql) { try db.execute(statement) }
            try db.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                [migration.name, Int64(Date().timeIntervalSince1970 * 1000)])
        }
    }

    /// The statements of a migration (they contain no `;` inside a literal).
    static func statements(_ sql: String) -> [String] {
        sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// SQLite's v12: the event log.
    static let v7 = """
        CREATE TABLE activity (
            seq BIGSERIAL PRIMARY KEY,
            at BIGINT NOT NULL,
            kind TEXT COLLATE "C" NOT NULL,
            conversation_id TEXT COLLATE "C",
            customer_id TEXT COLLATE "C",
            channel TEXT COLLATE "C",
            is_automatic BIGINT NOT NULL DEFAULT 0 CHECK (is_automatic IN (0, 1)),
            actor TEXT COLLATE "C",
            value TEXT COLLATE "C"
        );
        CREATE INDEX activity_conversation ON activity(conversation_id, seq);
        CREATE INDEX activity_kind_at ON activity(kind, at)
        """

    /// SQLite's v11: password hashes, and sessions as tokens that expire.
    static let v6 = """
        ALTER TABLE users ADD COLUMN password_hash TEXT COLLATE "C";
        ALTER TABLE api_tokens ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'session'));
        ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT
        """

    /// SQLite's v10: users and their API tokens (hashes only).
    static let v5 = """
        CREATE TABLE users (
            id TEXT COLLATE "C" PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL UNIQUE,
            role TEXT COLLATE "C" NOT NULL CHECK (role IN ('agent', 'admin')),
            created_at BIGINT NOT NULL
        );
        CREATE TABLE api_tokens (
            id TEXT COLLATE "C" PRIMARY KEY,
            user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
            token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        );
        CREATE INDEX api_tokens_user ON api_tokens(user_id)
        """

    /// SQLite's v9: the inbox, conversations of a status by latest activity.
    static let v4 = """
        CREATE INDEX conversations_inbox ON conversations(status, last_message_at, id);
        CREATE INDEX conversations_inbox_channel ON conversations(status, channel, last_message_at, id)
        """

    /// SQLite's v8: only merged-away customers in `customers_merged_into`.
    static let v3 = """
        DROP INDEX customers_merged_into;
        CREATE INDEX customers_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL
        """

    /// SQLite's v7: which hub process runs each channel's polling.
    static let v2 = """
        CREATE TABLE channel_leases (
            channel TEXT COLLATE "C" PRIMARY KEY,
            holder TEXT COLLATE "C" NOT NULL,
            expires_at BIGINT NOT NULL
        )
        """

    /// SQLite's v1 to v6, as they stand after v6.
    static let v1 = """
        CREATE TABLE customers (
            id TEXT COLLATE "C" PRIMARY KEY,
            display_name TEXT,
            attributes TEXT NOT NULL DEFAULT '{}',
            first_seen BIGINT NOT NULL,
            last_seen BIGINT NOT NULL,
            merged_into TEXT COLLATE "C" REFERENCES customers(id)
        );
        CREATE INDEX customers_merged_into ON customers(merged_into);

        CREATE TABLE identities (
            address TEXT COLLATE "C" PRIMARY KEY,
            kind TEXT NOT NULL,
            customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            original_customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            first_seen_channel TEXT,
            verified BIGINT NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
            provenance TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            raw_handle TEXT
        );
        CREATE INDEX identities_customer ON identities(customer_id);
        CREATE INDEX identities_original ON identities(original_customer_id);
        CREATE INDEX identities_email_lower ON identities(lower(address)) WHERE kind = 'email';

        CREATE TABLE conversations (
            id TEXT COLLATE "C" PRIMARY KEY,
            seq BIGSERIAL NOT NULL,
            customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            channel TEXT COLLATE "C" NOT NULL,
            customer_address TEXT COLLATE "C" NOT NULL,
            thread_key TEXT COLLATE "C" NOT NULL,
            subject TEXT,
            status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
            assignee TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            priority BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            last_message_at BIGINT NOT NULL,
            first_response_at BIGINT,
            resolved_at BIGINT
        );
        CREATE INDEX conversations_thread ON conversations(channel, thread_key, customer_address, created_at);
        CREATE INDEX conversations_customer ON conversations(customer_id, last_message_at);
        CREATE INDEX conversations_address ON conversations(customer_address);

        CREATE TABLE messages (
            id TEXT COLLATE "C" PRIMARY KEY,
            conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations(id),
            customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            channel TEXT COLLATE "C" NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
            visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
            author TEXT NOT NULL,
            subject TEXT,
            text TEXT NOT NULL,
            html TEXT,
            attachments TEXT NOT NULL DEFAULT '[]',
            external_id TEXT COLLATE "C",
            in_reply_to TEXT,
            sent_at BIGINT NOT NULL,
            received_at BIGINT NOT NULL,
            is_automatic BIGINT NOT NULL DEFAULT 0 CHECK (is_automatic IN (0, 1)),
            delivery_status TEXT,
            raw BYTEA,
            raw_content_type TEXT,
            global_id TEXT COLLATE "C",
            parse_warnings TEXT
        );
        CREATE UNIQUE INDEX messages_external_id ON messages(channel, external_id);
        CREATE INDEX messages_timeline ON messages(customer_id, sent_at, id);
        CREATE INDEX messages_conversation ON messages(conversation_id, sent_at);
        CREATE UNIQUE INDEX messages_global_id ON messages(global_id) WHERE global_id IS NOT NULL;

        CREATE TABLE message_status (
            seq BIGSERIAL PRIMARY KEY,
            message_id TEXT COLLATE "C" NOT NULL REFERENCES messages(id),
            status TEXT NOT NULL,
            at BIGINT NOT NULL,
            detail TEXT
        );
        CREATE INDEX message_status_message ON message_status(message_id, at);

        CREATE TABLE message_edits (
            message_id TEXT COLLATE "C" NOT NULL REFERENCES messages(id),
            channel TEXT COLLATE "C" NOT NULL,
            external_id TEXT COLLATE "C" NOT NULL,
            previous_text TEXT,
            text TEXT NOT NULL,
            edited_at BIGINT NOT NULL,
            received_at BIGINT NOT NULL,
            PRIMARY KEY (channel, external_id)
        );
        CREATE INDEX message_edits_message ON message_edits(message_id, edited_at);

        CREATE TABLE opt_outs (
            address TEXT COLLATE "C" PRIMARY KEY,
            keyword TEXT NOT NULL,
            channel TEXT COLLATE "C" NOT NULL,
            message_id TEXT COLLATE "C" NOT NULL REFERENCES messages(id),
            at BIGINT NOT NULL
        );

        CREATE TABLE outbox (
            id BIGSERIAL PRIMARY KEY,
            message_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES messages(id),
            channel TEXT COLLATE "C" NOT NULL,
            payload TEXT NOT NULL,
            idempotency_key TEXT COLLATE "C" NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
            attempts BIGINT NOT NULL DEFAULT 0,
            rate_limited BIGINT NOT NULL DEFAULT 0,
            next_attempt_at BIGINT NOT NULL,
            leased_until BIGINT,
            last_error TEXT,
            created_at BIGINT NOT NULL,
            sent_at BIGINT
        );
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

        CREATE TABLE merges (
            id TEXT COLLATE "C" PRIMARY KEY,
            source_customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            target_customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            actor TEXT NOT NULL,
            reason TEXT NOT NULL,
            merged_at BIGINT NOT NULL,
            unmerged_at BIGINT,
            unmerged_by TEXT
        );
        CREATE INDEX merges_source ON merges(source_customer_id);
        CREATE INDEX merges_target ON merges(target_customer_id);

        CREATE TABLE merge_suggestions (
            id TEXT COLLATE "C" PRIMARY KEY,
            customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            other_customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            reason TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (customer_id, other_customer_id)
        );

        CREATE TABLE events (
            id TEXT COLLATE "C" PRIMARY KEY,
            customer_id TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
            conversation_id TEXT COLLATE "C" REFERENCES conversations(id),
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            detail TEXT NOT NULL,
            at BIGINT NOT NULL
        );
        CREATE INDEX events_customer ON events(customer_id, at, id);

        CREATE TABLE cursors (
            channel TEXT COLLATE "C" NOT NULL,
            key TEXT COLLATE "C" NOT NULL,
            value TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (channel, key)
        );

        CREATE TABLE webhook_deliveries (
            id TEXT COLLATE "C" PRIMARY KEY,
            endpoint TEXT COLLATE "C" NOT NULL,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
            attempts BIGINT NOT NULL DEFAULT 0,
            next_attempt_at BIGINT NOT NULL,
            leased_until BIGINT,
            last_error TEXT,
            created_at BIGINT NOT NULL,
            sent_at BIGINT
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at)
        """
}
