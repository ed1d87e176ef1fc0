import Foundation

/// Counters and processing-time sums in Prometheus' text format (served on /metrics by a
/// long-running worker; printed by tests and benchmarks).
public final class Metrics: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [String: Int] = [:]       // "service|status"
    private var errors: [String: Int] = [:]         // "service|code"
    private var seconds: [String: (sum: Double, count: Int)] = [:]
    private var lag: [String: Int64] = [:]          // "service|topic[partition]"

    public init() {}

    public func record(service: String, status: String, errorCode: String?, seconds elapsed: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests["\(service)|\(status)", default: 0] += 1
        if let errorCode { errors["\(service)|\(errorCode)", default: 0] += 1 }
        seconds[service, default: (0, 0)].sum += elapsed
        seconds[service, default: (0, 0)].count += 1
    }

    /// Records left after the last one consumed from a partition.
    public func setLag(service: String, partition: String, lag value: Int64) {
        lock.withLock { lag["\(service)|\(partition)"] = value }
    }

    public func requestCount(service: String, status: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return requests["\(service)|\(status)"] ?? 0
    }

    public func render() -> String {
        lock.lock()
        defer { lock.unlock() }
        var text = "# HELP vtryon_requests_total Requests processed, by service and status.\n# TYPE vtryon_requests_total counter\n"
        for (key, value) in requests.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|")
            text += "vtryon_requests_total{service=\"\(parts[0])\",status=\"\(parts[1])\"} \(value)\n"
        }
        text += "# HELP vtryon_errors_total Failed requests, by service and error code.\n# TYPE vtryon_errors_total counter\n"
        for (key, value) in errors.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|")
            text += "vtryon_errors_total{service=\"\(parts[0])\",code=\"\(parts[1])\"} \(value)\n"
        }
        text += "# HELP vtryon_processing_seconds Time spent processing requests.\n# TYPE vtryon_processing_seconds summary\n"
        for (service, value) in seconds.sorted(by: { $0.key < $1.key }) {
            text += "vtryon_processing_seconds_sum{service=\"\(service)\"} \(value.sum)\n"
            text += "vtryon_processing_seconds_count{service=\"\(service)\"} \(value.count)\n"
        }
        text += "# HELP vtryon_consumer_lag Records behind the end of each request partition, after the last consumed.\n# TYPE vtryon_consumer_lag gauge\n"
        for (key, value) in lag.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|")
            text += "vtryon_consumer_lag{service=\"\(parts[0])\",partition=\"\(parts[1])\"} \(value)\n"
        }
        return text
    }
}
