import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

extension SQLStore: ChannelLeaseStore {
    public func acquireChannelLease(_ channel: ChannelID, holder: String, now: Date, until: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                """
                INSERT INTO channel_leases (channel, holder, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE channel_leases.holder = excluded.holder OR channel_leases.expires_at <= ?
                """, [channel.rawValue, holder, until.millis, now.millis])
            let current: String? = try db.fetchValue(
                "SELECT holder FROM channel_leases WHERE channel = ?", [channel.rawValue])
            return current == holder
        }
    }

    public func releaseChannelLease(_ channel: ChannelID, holder: String) async throws {
        try await database.write { db in
            try db.execute("DELETE FROM channel_leases WHERE channel = ? AND holder = ?", [channel.rawValue, holder])
        }
    }
}
