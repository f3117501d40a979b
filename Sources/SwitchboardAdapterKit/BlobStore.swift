/// Where adapters keep the bytes of attachments, so a message row holds only metadata and a
/// reference (``Attachment/url``). Content-addressed: the same bytes stored twice are kept once.
public protocol BlobStore: Sendable {
    /// Stores the bytes and returns their reference, `blob:sha256:<hex>`.
    func put(_ bytes: [UInt8]) async throws -> String
    /// The bytes behind a reference from ``put(_:)``, or nil if there are none.
    func get(_ reference: String) async throws -> [UInt8]?
}

/// Keeps blobs in memory: for tests, and for hubs that store no attachments.
public actor InMemoryBlobStore: BlobStore {
    private var blobs: [String: [UInt8]] = [:]

    public init() {}

    public func put(_ bytes: [UInt8]) async throws -> String {
        let reference = BlobReference.make(for: bytes)
        blobs[reference] = bytes
        return reference
    }

    public func get(_ reference: String) async throws -> [UInt8]? { blobs[reference] }
}

/// The reference scheme shared by every blob store.
public enum BlobReference {
    public static let prefix = "blob:sha256:"

    /// `blob:sha256:<hex of the SHA-256 of bytes>`.
    public static func make(for bytes: [UInt8]) -> String {
        prefix + HMACSignature.sha256Hex(bytes)
    }

    /// The hex digest in a reference, if it is one of ours (64 lowercase hex digits).
    public static func digest(of reference: String) -> String? {
        guard reference.hasPrefix(prefix) else { return nil }
        let hex = reference.dropFirst(prefix.count)
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return String(hex)
    }
}
