import Foundation

/// Keeps a librdkafka client alive while calls into it are in progress (a poll on another thread,
/// a send waiting for acknowledgements): closing waits for them, then refuses new ones, so the
/// client is never destroyed under a running call.
final class ClientGuard: @unchecked Sendable {
    private let condition = NSCondition()
    private var active = 0
    private var closed = false
    private let what: String

    init(_ what: String) { self.what = what }

    var isClosed: Bool { condition.lock(); defer { condition.unlock() }; return closed }

    /// Runs `body` unless closed.
    func run<T>(_ body: () throws(KafkaError) -> T) throws(KafkaError) -> T {
        condition.lock()
        guard !closed else {
            condition.unlock()
            throw KafkaError(message: "the \(what) is closed")
        }
        active += 1
        condition.unlock()
        defer {
            condition.lock()
            active -= 1
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }

    /// Marks the client closed and waits for calls in progress; false when it was closed already.
    func close() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        closed = true
        while active > 0 { condition.wait() }
        return true
    }
}
