import Foundation

/// Request counts and latencies per route, in Prometheus' text format.
final class RegistryMetrics: @unchecked Sendable {
    private struct Key: Hashable { var route: String; var method: String; var status: Int }
    private let lock = NSLock()
    private var requests: [Key: Int] = [:]
    private var latencySum: [String: Double] = [:]
    private var latencyBuckets: [String: [Int]] = [:]
    private static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]

    func record(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let seconds = Double(nanoseconds) / 1e9
        lock.lock()
        defer { lock.unlock() }
        requests[Key(route: route, method: method, status: status), default: 0] += 1
        latencySum[route, default: 0] += seconds
        var buckets = latencyBuckets[route] ?? Array(repeating: 0, count: Self.bounds.count + 1)
        buckets[Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count] += 1
        latencyBuckets[route] = buckets
    }

    func render(subjects: Int, schemas: Int) -> String {
        lock.lock()
        defer { lock.unlock() }
        var out = "# HELP schemactl_registry_requests_total HTTP requests by route, method and status.\n# TYPE schemactl_registry_requests_total counter\n"
        for (key, count) in requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "schemactl_registry_requests_total{route=\"\(key.route)\",method=\"\(key.method)\",status=\"\(key.status)\"} \(count)\n"
        }
        out += "# HELP schemactl_registry_request_seconds Time to answer a request.\n# TYPE schemactl_registry_request_seconds histogram\n"
        for route in latencyBuckets.keys.sorted() {
            var cumulative = 0
            for (index, count) in latencyBuckets[route]!.enumerated() {
                cumulative += count
                let bound = index < Self.bounds.count ? String(Self.bounds[index]) : "+Inf"
                out += "schemactl_registry_request_seconds_bucket{route=\"\(route)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "schemactl_registry_request_seconds_sum{route=\"\(route)\"} \(latencySum[route]!)\n"
            out += "schemactl_registry_request_seconds_count{route=\"\(route)\"} \(cumulative)\n"
        }
        out += "# HELP schemactl_registry_subjects Subjects known (soft-deleted included).\n# TYPE schemactl_registry_subjects gauge\nschemactl_registry_subjects \(subjects)\n"
        out += "# HELP schemactl_registry_schemas Distinct schemas (ids) stored.\n# TYPE schemactl_registry_schemas gauge\nschemactl_registry_schemas \(schemas)\n"
        return out
    }
}
