import Foundation
import SwitchboardAdapterKit

/// Attachment bytes on the local disk, content-addressed: `<root>/ab/cdef…` for the SHA-256
/// `abcdef…`. Written to a temporary file and renamed, so a crash never leaves half a blob under
/// its final name, and the same bytes stored twice are kept once.
public struct FileBlobStore: BlobStore {
    public let root: URL

    /// Creates the directory if needed.
    public init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    public func put(_ bytes: [UInt8]) async throws -> String {
        let reference = BlobReference.make(for: bytes)
        guard let digest = BlobReference.digest(of: reference) else {
            throw BlobStoreError("could not compute a blob reference")
        }
        let target = location(of: digest)
        if FileManager.default.fileExists(atPath: target.path) { return reference }
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(digest).\(UUID().uuidString).partial")
        try Data(bytes).write(to: temporary)
        // On disk before it gets its final name: after a power cut a blob is whole or absent.
        let handle = try FileHandle(forUpdating: temporary)
        try handle.synchronize()
        try handle.close()
        if rename(temporary.path, target.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw BlobStoreError("could not store blob \(digest) under \(root.path): errno \(code)")
        }
        return reference
    }

    public func get(_ reference: String) async throws -> [UInt8]? {
        guard let digest = BlobReference.digest(of: reference) else { return nil }
        guard let data = FileManager.default.contents(atPath: location(of: digest).path) else { return nil }
        return [UInt8](data)
    }

    private func location(of digest: String) -> URL {
        root.appendingPathComponent(String(digest.prefix(2))).appendingPathComponent(String(digest.dropFirst(2)))
    }
}

/// A blob could not be written; the message says where.
public struct BlobStoreError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
