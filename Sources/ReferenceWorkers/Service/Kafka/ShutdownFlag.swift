import Foundation

/// Set by SIGTERM/SIGINT (or a test); a Kafka loop checks it between records, so the record in hand
/// is finished and committed before the consumer leaves its group.
public final class ShutdownFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    public init() {}
    public func request() { lock.withLock { requested = true } }
    public var isRequested: Bool { lock.withLock { requested } }
}
