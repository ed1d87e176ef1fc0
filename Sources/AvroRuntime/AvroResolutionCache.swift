#if canImport(Foundation)
import Foundation
#endif

/// Compiled resolution plans by (writer schema, reader schema) text, so that a consumer seeing the
/// same writer id again pays for the compilation once.
public final class AvroResolutionCache: @unchecked Sendable {
    public static let shared = AvroResolutionCache()

    private let lock = NSLock()
    private var plans: [Pair: AvroResolution] = [:]

    private struct Pair: Hashable {
        var writer: String
        var reader: String
    }

    public init() {}

    public func resolution(writerSchema: String, readerSchema: String) throws(AvroResolutionError) -> AvroResolution {
        let pair = Pair(writer: writerSchema, reader: readerSchema)
        if let plan = lock.withLock({ plans[pair] }) { return plan }
        let plan = try AvroResolution(writerSchema: writerSchema, readerSchema: readerSchema)
        lock.withLock { plans[pair] = plan }
        return plan
    }
}
