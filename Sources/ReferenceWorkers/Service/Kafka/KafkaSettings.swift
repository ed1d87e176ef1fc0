import Foundation
import Kafka

/// Kafka mode's settings from the environment (seed 001's variables and a few of our own).
public struct KafkaSettings: Sendable {
    /// KAFKA_BOOTSTRAP_SERVERS (default localhost:9092).
    public var bootstrapServers: String
    /// SCHEMA_REGISTRY_URL (default http://localhost:8081): request writer schemas by id, response ids by subject.
    public var registryURL: String
    /// KAFKA_MAX_RETRIES: how often a record whose outcome could not be produced is tried again
    /// before it is dead-lettered (default 3).
    public var maxRetries: Int
    /// KAFKA_RETRY_BACKOFF_MS: the wait before the first retry, doubled each time (default 200).
    public var retryBackoffMillis: Int
    /// KAFKA_SESSION_TIMEOUT_MS: how soon the group gives a dead member's partitions to another (default 10000).
    public var sessionTimeoutMillis: Int
    /// KAFKA_PROPERTIES: more librdkafka properties, `name=value` separated by commas.
    public var extraProperties: [String: String]
    /// METRICS_PORT: serve Prometheus metrics on /metrics (0: any free port; unset: no endpoint).
    public var metricsPort: Int?
    /// METRICS_HOST (default 0.0.0.0).
    public var metricsHost: String
    /// KAFKA_MAX_IN_FLIGHT: how many records are processed at once (default: the service's, 1 for
    /// the compute services, 8 for the orchestrator).
    public var maxInFlight: Int?
    /// STEP_TIMEOUT_SECONDS: how long the orchestrator waits for a step's response (default 300).
    public var stepTimeoutSeconds: Double
    /// WORKER_FAILPOINT: for crash tests only.
    public var failpoint: ExitFailpoint?

    public init(bootstrapServers: String, registryURL: String, maxRetries: Int = 3, retryBackoffMillis: Int = 200,
                sessionTimeoutMillis: Int = 10000, extraProperties: [String: String] = [:], metricsPort: Int? = nil,
                metricsHost: String = "0.0.0.0", stepTimeoutSeconds: Double = 300, maxInFlight: Int? = nil, failpoint: ExitFailpoint? = nil) {
        self.bootstrapServers = bootstrapServers
        self.registryURL = registryURL
        self.maxRetries = maxRetries
        self.retryBackoffMillis = retryBackoffMillis
        self.sessionTimeoutMillis = sessionTimeoutMillis
        self.extraProperties = extraProperties
        self.metricsPort = metricsPort
        self.metricsHost = metricsHost
        self.stepTimeoutSeconds = stepTimeoutSeconds
        self.maxInFlight = maxInFlight
        self.failpoint = failpoint
    }

    /// Throws a message naming the variable when one is malformed.
    public static func fromEnvironment(_ environment: [String: String]) throws(ServiceError) -> KafkaSettings {
        func integer(_ name: String, _ fallback: Int, minimum: Int = 0) throws(ServiceError) -> Int {
            guard let text = environment[name], !text.isEmpty else { return fallback }
            guard let value = Int(text), value >= minimum else { throw ServiceError(ServiceError.invalidRequest, "\(name)=\(text) is not an integer >= \(minimum)") }
            return value
        }
        var extra: [String: String] = [:]
        for pair in (environment["KAFKA_PROPERTIES"] ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ServiceError(ServiceError.invalidRequest, "KAFKA_PROPERTIES: '\(pair)' is not name=value")
            }
            extra[parts[0]] = parts[1]
        }
        let timeout = Double(environment["STEP_TIMEOUT_SECONDS"] ?? "") ?? 300
        let maxInFlight: Int? = (environment["KAFKA_MAX_IN_FLIGHT"] ?? "").isEmpty ? nil : try integer("KAFKA_MAX_IN_FLIGHT", 1, minimum: 1)
        var failpoint: ExitFailpoint?
        if let text = environment["WORKER_FAILPOINT"], !text.isEmpty {
            guard let parsed = ExitFailpoint(text) else {
                throw ServiceError(ServiceError.invalidRequest, "WORKER_FAILPOINT=\(text) is not exit-after-delivery:N or exit-after-delivery:N:K")
            }
            failpoint = parsed
        }
        return KafkaSettings(bootstrapServers: environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "localhost:9092",
                             registryURL: environment["SCHEMA_REGISTRY_URL"] ?? "http://localhost:8081",
                             maxRetries: try integer("KAFKA_MAX_RETRIES", 3), retryBackoffMillis: try integer("KAFKA_RETRY_BACKOFF_MS", 200),
                             sessionTimeoutMillis: try integer("KAFKA_SESSION_TIMEOUT_MS", 10000, minimum: 1), extraProperties: extra,
                             metricsPort: environment["METRICS_PORT"].flatMap { $0.isEmpty ? nil : Int($0) },
                             metricsHost: environment["METRICS_HOST"] ?? "0.0.0.0", stepTimeoutSeconds: timeout > 0 ? timeout : 300,
                             maxInFlight: maxInFlight,
                             failpoint: failpoint)
    }

    /// Client properties: the bootstrap servers, then KAFKA_PROPERTIES over `properties`.
    public func configuration(_ properties: [String: String] = [:]) -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: bootstrapServers, properties.merging(extraProperties) { _, extra in extra })
    }
}

/// A crash on purpose, for tests of what a restart recovers: `exit-after-delivery:N` ends the process
/// (status 86, without committing or leaving the group, as a SIGKILL would) right after the N-th
/// outcome is delivered; `exit-after-delivery:N:K` after only its first K records.
public struct ExitFailpoint: Sendable, Hashable {
    public var outcome: Int
    public var records: Int?

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts[0] == "exit-after-delivery", let outcome = Int(parts[1]), outcome > 0 else { return nil }
        self.outcome = outcome
        if parts.count == 3 {
            guard let records = Int(parts[2]), records >= 0 else { return nil }
            self.records = records
        }
    }

    func exit(_ logger: Logger) -> Never {
        logger.error("WORKER_FAILPOINT reached: exiting before the commit", ["outcome": String(outcome)])
        _exit(86)
    }
}
