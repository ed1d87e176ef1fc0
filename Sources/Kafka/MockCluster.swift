import CRdKafka
import Foundation

/// librdkafka's in-memory Kafka cluster, listening on loopback TCP: any Kafka client (kcat, Python's
/// confluent-kafka, our own) talks to it through `bootstrapServers`. It lives as long as this object.
public final class MockCluster: @unchecked Sendable {
    private let owner: OpaquePointer
    private let cluster: OpaquePointer
    public let bootstrapServers: String

    /// `brokers` mock brokers; topics are auto-created on first use with 4 partitions unless created here first.
    public init(brokers: Int = 1) throws(KafkaError) {
        // The cluster is owned by a client handle that never connects anywhere itself (log_level 4
        // silences its notice that it has no bootstrap servers).
        let conf = try KafkaConfiguration(["log.connection.close": "false", "log_level": "4"]).makeNative()
        owner = try makeClient(RD_KAFKA_PRODUCER, conf)
        guard let cluster = rd_kafka_mock_cluster_new(owner, Int32(brokers)) else {
            rd_kafka_destroy(owner)
            throw KafkaError(message: "cannot start librdkafka's mock cluster")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    public func createTopic(_ name: String, partitions: Int = 1, replicationFactor: Int = 1) throws(KafkaError) {
        let error = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor))
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, "cannot create topic \(name)") }
    }

    /// Creates topics side by side: each creation waits for the mock cluster's thread, which may
    /// notice a request only on its next one-second tick, so one at a time takes up to a second each.
    public func createTopics(_ names: [String], partitions: Int = 1, replicationFactor: Int = 1) throws(KafkaError) {
        let failures = FirstError()
        let group = DispatchGroup()
        for name in names {
            group.enter()
            Thread.detachNewThread { [self] in
                do throws(KafkaError) { try createTopic(name, partitions: partitions, replicationFactor: replicationFactor) } catch { failures.record(error) }
                group.leave()
            }
        }
        group.wait()
        if let error = failures.error { throw error }
    }

    /// Takes a broker down (connections refused) or brings it back, to test clients against outages.
    public func setBroker(_ id: Int32, up: Bool) {
        if up { _ = rd_kafka_mock_broker_set_up(cluster, id) } else { _ = rd_kafka_mock_broker_set_down(cluster, id) }
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(owner)
    }
}

private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: KafkaError?
    func record(_ error: KafkaError) { lock.lock(); if self.error == nil { self.error = error }; lock.unlock() }
}
