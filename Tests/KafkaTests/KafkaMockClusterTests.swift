import Foundation
import Kafka
import Testing

/// One mock cluster for the suite (creating one per test costs threads and ports); each test uses its own topics.
let sharedCluster: MockCluster = try! MockCluster(brokers: 1)

/// Test settings: a short session timeout so that a group re-join does not wait the default 45 s.
func consumerConfiguration(group: String) -> KafkaConfiguration {
    KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers, [
        "group.id": group, "session.timeout.ms": "6000", "heartbeat.interval.ms": "500",
    ])
}

func uniqueName(_ base: String) -> String { "\(base)-\(UUID().uuidString.prefix(8))" }

/// Polls until `count` records came or `seconds` passed.
func consume(_ consumer: KafkaConsumer, count: Int, seconds: Double = 20) throws -> [ConsumerRecord] {
    var records: [ConsumerRecord] = []
    let deadline = Date().addingTimeInterval(seconds)
    while records.count < count, Date() < deadline {
        if let record = try consumer.poll(timeout: 0.2) { records.append(record) }
    }
    return records
}

@Suite("Kafka on librdkafka's mock cluster", .serialized)
struct KafkaMockClusterTests {
    @Test func producedRecordsArriveWithKeysHeadersAndOrder() throws {
        let topic = uniqueName("roundtrip")
        try sharedCluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { producer.close() }
        let sent = (0..<5).map { index in
            ProducerRecord(topic: topic, key: Array("key-\(index)".utf8), value: [0, 1, 2, UInt8(index)],
                           headers: [KafkaHeader("correlation_id", "cid-\(index)"), KafkaHeader(name: "empty", value: nil)])
        }
        let reports = try producer.send(sent)
        #expect(reports.map(\.offset) == [0, 1, 2, 3, 4])
        #expect(Set(reports.map(\.topic)) == [topic])

        let consumer = try KafkaConsumer(configuration: consumerConfiguration(group: uniqueName("g")))
        defer { consumer.close() }
        try consumer.subscribe([topic])
        let received = try consume(consumer, count: 5)
        #expect(received.map(\.key) == sent.map(\.key))
        #expect(received.map(\.value) == sent.map(\.value))
        #expect(received.map { $0.header("correlation_id")?.text } == (0..<5).map { "cid-\($0)" })
        #expect(received.allSatisfy { $0.header("empty") != nil && $0.header("empty")?.value == nil })
        #expect(received.allSatisfy { $0.timestampMillis != nil })
    }

    @Test func commitsKeepTheirMetadataAndReadersStartWhereTheyAreTold() throws {
        let topic = uniqueName("metadata")
        let empty = uniqueName("empty")
        try sharedCluster.createTopic(topic, partitions: 1)
        try sharedCluster.createTopic(empty, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { producer.close() }
        try producer.send((0..<6).map { ProducerRecord(topic: topic, value: Array("m\($0)".utf8)) })
        let partition = TopicPartition(topic: topic, partition: 0)
        let reader = try KafkaConsumer(configuration: consumerConfiguration(group: uniqueName("g")))
        defer { reader.close() }
        #expect(try reader.watermarks(of: partition) == (low: 0, high: 6))
        #expect(try reader.watermarks(of: TopicPartition(topic: empty, partition: 0)) == (low: 0, high: 0))
        // Nothing committed yet: the partition is left out, not reported as offset -1.
        #expect(try reader.committed([partition]).isEmpty)
        try reader.commit(partition, offset: 2, metadata: "answers/1|t@0=5")
        #expect(try reader.committed([partition])[partition] == CommittedOffset(offset: 2, metadata: "answers/1|t@0=5"))
        try reader.commit(partition, offset: 3)
        #expect(try reader.committed([partition])[partition] == CommittedOffset(offset: 3, metadata: nil))
        // A group-less read from offset 4 sees m4 and m5 and then stands at the end.
        try reader.assign([partition: 4])
        let tail = try consume(reader, count: 2)
        #expect(tail.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["m4", "m5"])
        #expect(try reader.positions([partition])[partition] == 6)
    }

    @Test func uncommittedRecordsAreRedeliveredToTheGroupsNextMember() throws {
        let topic = uniqueName("commits")
        let group = uniqueName("workers")
        try sharedCluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { producer.close() }
        try producer.send((0..<4).map { ProducerRecord(topic: topic, value: Array("m\($0)".utf8)) })

        let rebalances = EventLog()
        let first = try KafkaConsumer(configuration: consumerConfiguration(group: group)) { rebalances.append($0) }
        try first.subscribe([topic])
        let firstBatch = try consume(first, count: 4)
        #expect(firstBatch.count == 4)
        // Only the first two outcomes are durable: commit up to m1.
        try first.commit(firstBatch[1])
        let committed = try first.committed([TopicPartition(topic: topic, partition: 0)])
        #expect(committed[TopicPartition(topic: topic, partition: 0)]?.offset == 2)
        first.close()
        #expect(rebalances.events.contains(.assigned([TopicPartition(topic: topic, partition: 0)])))
        #expect(rebalances.events.contains(.revoked([TopicPartition(topic: topic, partition: 0)])))

        let second = try KafkaConsumer(configuration: consumerConfiguration(group: group))
        defer { second.close() }
        try second.subscribe([topic])
        let redelivered = try consume(second, count: 2)
        #expect(redelivered.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["m2", "m3"])
        #expect(try second.poll(timeout: 1) == nil)
    }

    @Test func assignFromTheEndSeesOnlyNewRecordsAndTheAsyncSequenceDeliversThem() async throws {
        let topic = uniqueName("tail")
        try sharedCluster.createTopic(topic, partitions: 3)
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { producer.close() }
        try producer.send([ProducerRecord(topic: topic, key: [1], value: Array("old".utf8))])
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { consumer.close() }
        let ends = try consumer.assign([topic], from: .end)
        #expect(ends.count == 3)
        #expect(ends.values.reduce(0, +) == 1)
        try producer.send([ProducerRecord(topic: topic, key: [2], value: Array("new".utf8))])
        var seen: [String] = []
        for try await record in consumer.records() {
            seen.append(String(decoding: record.value ?? [], as: UTF8.self))
            break
        }
        #expect(seen == ["new"])
    }

    /// Closing while another thread polls (an async sequence left running) waits for that poll
    /// instead of destroying the client under it; the sequence then ends and later calls throw.
    @Test func closingWhileASequencePollsIsSafe() async throws {
        let topic = uniqueName("close")
        try sharedCluster.createTopic(topic)
        for _ in 0..<20 {
            let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
            try consumer.assign([topic], from: .end)
            let records = consumer.records(pollTimeout: 0.05)
            let reader = Task { var count = 0; for try await _ in records { count += 1 }; return count }
            try await Task.sleep(nanoseconds: 20_000_000)
            consumer.close()
            #expect(try await reader.value == 0)
            #expect(throws: KafkaError.self) { _ = try consumer.poll(timeout: 0) }
        }
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        producer.close()
        #expect(throws: KafkaError.self) { try producer.send(ProducerRecord(topic: topic, value: [1])) }
    }

    @Test func unreachableBrokerAndBadPropertyAreClearErrors() throws {
        // Nothing listens on port 1: metadata times out with an error instead of waiting forever.
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
        defer { consumer.close() }
        let unreachable = #expect(throws: KafkaError.self) { try consumer.assign(["anything"], from: .end, timeout: 1) }
        #expect(unreachable?.description.contains("metadata") == true)
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: KafkaConfiguration(["no.such.property": "1"])) }
        #expect(error?.description.contains("no.such.property") == true)
    }

    @Test func sendFailsInsteadOfHangingWhenTheBrokerIsGone() throws {
        let cluster = try MockCluster(brokers: 1)
        let topic = uniqueName("outage")
        try cluster.createTopic(topic)
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, ["message.timeout.ms": "1500"]))
        defer { producer.close(timeout: 0) }
        try producer.send(ProducerRecord(topic: topic, value: [1]))
        cluster.setBroker(1, up: false)
        let error = #expect(throws: KafkaError.self) { try producer.send(ProducerRecord(topic: topic, value: [2])) }
        #expect(error?.isTimeout == true)
    }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [RebalanceEvent] = []
    func append(_ event: RebalanceEvent) { lock.lock(); list.append(event); lock.unlock() }
    var events: [RebalanceEvent] { lock.lock(); defer { lock.unlock() }; return list }
}
