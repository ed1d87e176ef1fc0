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
    /// STEP_TIMEOUT_SECONDS: how long the orchestrator waits for a step's response (default 300).
    public var stepTimeoutSeconds: Double

    public init(bootstrapServers: String, registryURL: String, maxRetries: Int = 3, retryBackoffMillis: Int = 200,
                sessionTimeoutMillis: Int = 10000, extraProperties: [String: String] = [:], metricsPort: Int? = nil,
                metricsHost: String = "0.0.0.0", stepTimeoutSeconds: Double = 300) {
        self.bootstrapServers = bootstrapServers
        self.registryURL = registryURL
        self.maxRetries = maxRetries
        self.retryBackoffMillis = retryBackoffMillis
        self.sessionTimeoutMillis = sessionTimeoutMillis
        self.extraProperties = extraProperties
        self.metricsPort = metricsPort
        self.metricsHost = metricsHost
        self.stepTimeoutSeconds = stepTimeoutSeconds
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
        return KafkaSettings(bootstrapServers: environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "localhost:9092",
                             registryURL: environment["SCHEMA_REGISTRY_URL"] ?? "http://localhost:8081",
                             maxRetries: try integer("KAFKA_MAX_RETRIES", 3), retryBackoffMillis: try integer("KAFKA_RETRY_BACKOFF_MS", 200),
                             sessionTimeoutMillis: try integer("KAFKA_SESSION_TIMEOUT_MS", 10000, minimum: 1), extraProperties: extra,
                             metricsPort: environment["METRICS_PORT"].flatMap { $0.isEmpty ? nil : Int($0) },
                             metricsHost: environment["METRICS_HOST"] ?? "0.0.0.0", stepTimeoutSeconds: timeout > 0 ? timeout : 300)
    }

    /// Client properties: the bootstrap servers, then KAFKA_PROPERTIES over `properties`.
    public func configuration(_ properties: [String: String] = [:]) -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: bootstrapServers, properties.merging(extraProperties) { _, extra in extra })
    }
}
