import CRdKafka
import Foundation

/// A partition of a topic.
public struct TopicPartition: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public var description: String { "\(topic)[\(partition)]" }
}

/// A group's committed offset for a partition (the next record the group gets) and the metadata stored with it.
public struct CommittedOffset: Sendable, Hashable {
    public var offset: Int64
    public var metadata: String?
    public init(offset: Int64, metadata: String? = nil) {
        self.offset = offset
        self.metadata = metadata
    }
}

/// A group rebalance as the consumer's handler sees it.
public enum RebalanceEvent: Sendable, Hashable {
    case assigned([TopicPartition])
    case revoked([TopicPartition])
}

/// A consumer with manual commits: offsets are stored only when the caller says an outcome is
/// durable (`commit`), so whatever was not committed is delivered again to the group's next member.
/// Either joins a group (`subscribe`) or reads partitions directly (`assign`).
public final class KafkaConsumer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let rebalance: RebalanceBox
    private let guardian = ClientGuard("consumer")

    /// Defaults that make commits explicit; `configuration` overrides them.
    public static let defaults: [String: String] = [
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
        "auto.offset.reset": "earliest",
        "enable.partition.eof": "false",
    ]

    /// `onRebalance` runs on the polling thread: after partitions are assigned, before they are taken
    /// away (so it may still commit them).
    public init(configuration: KafkaConfiguration, onRebalance: (@Sendable (RebalanceEvent) -> Void)? = nil) throws(KafkaError) {
        var properties = configuration.properties.merging(Self.defaults) { mine, _ in mine }
        // Without a group (direct assignment only) librdkafka still wants a group.id for commits; none are made.
        if properties["group.id"] == nil { properties["group.id"] = "schemactl-unassigned-\(UUID().uuidString)" }
        let conf = try KafkaConfiguration(properties).makeNative()
        rebalance = RebalanceBox(handler: onRebalance)
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(rebalance).toOpaque())
        rd_kafka_conf_set_rebalance_cb(conf) { handle, error, partitions, opaque in
            guard let handle, let opaque else { return }
            let box = Unmanaged<RebalanceBox>.fromOpaque(opaque).takeUnretainedValue()
            let list = partitions.map(topicPartitions) ?? []
            let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
            if error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
                if cooperative { rd_kafka_error_destroy(rd_kafka_incremental_assign(handle, partitions)) } else { rd_kafka_assign(handle, partitions) }
                box.handler?(.assigned(list))
            } else {
                // The handler runs first: while it runs the partitions are still ours, so it can finish and commit their records.
                box.handler?(.revoked(list))
                if cooperative { rd_kafka_error_destroy(rd_kafka_incremental_unassign(handle, partitions)) } else { rd_kafka_assign(handle, nil) }
            }
        }
        handle = try makeClient(RD_KAFKA_CONSUMER, conf)
        rd_kafka_poll_set_consumer(handle)
    }

    /// Joins the group (`group.id`) for these topics; partitions come through rebalances while polling.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, -1) }
        let error = try using { rd_kafka_subscribe($0, list) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, "cannot subscribe to \(topics.joined(separator: ", "))") }
    }

    public enum StartPosition: Sendable { case beginning, end }

    /// Reads every partition of `topics` without a group, from its beginning or its current end
    /// (then what is produced after this returns is seen, nothing before); returns the start offsets.
    /// Throws when the broker cannot be reached or does not know a topic.
    @discardableResult
    public func assign(_ topics: [String], from start: StartPosition, timeout: Double = 10) throws(KafkaError) -> [TopicPartition: Int64] {
        var offsets: [TopicPartition: Int64] = [:]
        for topic in topics {
            for partition in try partitions(of: topic, timeout: timeout) {
                let position = TopicPartition(topic: topic, partition: partition)
                let marks = try watermarks(of: position, timeout: timeout)
                offsets[position] = start == .end ? marks.high : marks.low
            }
        }
        try assign(offsets)
        return offsets
    }

    /// Reads these partitions without a group, each from the given offset.
    public func assign(_ offsets: [TopicPartition: Int64]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (position, offset) in offsets { rd_kafka_topic_partition_list_add(list, position.topic, position.partition)!.pointee.offset = offset }
        let error = try using { rd_kafka_assign($0, list) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, "cannot assign \(offsets.keys.map(\.description).sorted().joined(separator: ", "))") }
    }

    /// The partition's first offset and its high watermark (the offset the next record will get), asked of the broker.
    public func watermarks(of position: TopicPartition, timeout: Double = 10) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0, high: Int64 = 0
        let error = try using { rd_kafka_query_watermark_offsets($0, position.topic, position.partition, &low, &high, Int32(timeout * 1000)) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, "cannot read the offsets of \(position)") }
        return (low, high)
    }

    /// The offset this consumer fetches next in each assigned partition (past records and transaction
    /// markers it has read); partitions it has not fetched from yet are left out.
    public func positions(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for position in partitions { rd_kafka_topic_partition_list_add(list, position.topic, position.partition) }
        let error = try using { rd_kafka_position($0, list) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, "cannot read the consumer's positions") }
        var result: [TopicPartition: Int64] = [:]
        for element in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)) where element.offset >= 0 {
            result[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] = element.offset
        }
        return result
    }

    /// The partition numbers of a topic, from the broker's metadata.
    public func partitions(of topic: String, timeout: Double = 10) throws(KafkaError) -> [Int32] {
        try using { handle throws(KafkaError) in try partitions(of: topic, timeout: timeout, handle) }
    }

    private func partitions(of topic: String, timeout: Double, _ handle: OpaquePointer) throws(KafkaError) -> [Int32] {
        let topicHandle = rd_kafka_topic_new(handle, topic, nil)
        defer { rd_kafka_topic_destroy(topicHandle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, 0, topicHandle, &metadata, Int32(timeout * 1000))
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(error, "cannot read the metadata of \(topic)") }
        defer { rd_kafka_metadata_destroy(metadata) }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { String(cString: $0.topic) == topic }) else { throw KafkaError(message: "the broker does not know topic \(topic)") }
        guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(entry.err, "topic \(topic)") }
        return UnsafeBufferPointer(start: entry.partitions, count: Int(entry.partition_cnt)).map(\.id).sorted()
    }

    /// The next record, or nil when none came within `timeout` seconds. Throws consumer errors
    /// (a broker that is gone, an unknown topic) instead of waiting on them forever.
    public func poll(timeout: Double) throws(KafkaError) -> ConsumerRecord? {
        guard let message = try using({ rd_kafka_consumer_poll($0, Int32(max(0, timeout) * 1000)) }) else { return nil }
        defer { rd_kafka_message_destroy(message) }
        let error = message.pointee.err
        if error == RD_KAFKA_RESP_ERR__PARTITION_EOF { return nil }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "the consumer"
            throw KafkaError(error, topic)
        }
        return ConsumerRecord(message)
    }

    /// Records as an async sequence; each poll waits at most `pollTimeout` seconds so that a
    /// cancelled task ends the sequence promptly. Ends with the first consumer error.
    public func records(pollTimeout: Double = 0.1) -> AsyncThrowingStream<ConsumerRecord, Error> {
        AsyncThrowingStream { continuation in
            let stop = StopFlag()
            continuation.onTermination = { _ in stop.set() }
            Thread.detachNewThread { [self] in
                while !stop.isSet {
                    do {
                        if let record = try poll(timeout: pollTimeout) { continuation.yield(record) }
                    } catch {
                        // A consumer closed under the sequence ends it; other errors are reported.
                        if guardian.isClosed { continuation.finish() } else { continuation.finish(throwing: error) }
                        return
                    }
                }
                continuation.finish()
            }
        }
    }

    /// Marks `record` and everything before it in its partition as done for the group (a synchronous
    /// commit of offset + 1): call it once the outcome of processing the record is durable.
    /// `metadata` is stored with the offset (Kafka keeps up to 4 KiB by default) and read back by `committed`.
    public func commit(_ record: ConsumerRecord, metadata: String? = nil) throws(KafkaError) {
        try commit(TopicPartition(topic: record.topic, partition: record.partition), offset: record.offset + 1, metadata: metadata)
    }

    /// Commits `offset` (the next record the group should get) for a partition, synchronously.
    public func commit(_ position: TopicPartition, offset: Int64, metadata: String? = nil) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let element = rd_kafka_topic_partition_list_add(list, position.topic, position.partition)!
        element.pointee.offset = offset
        if let metadata {
            // The list frees its elements' metadata with free(): hand it a malloc'd copy.
            element.pointee.metadata = UnsafeMutableRawPointer(strdup(metadata))
            element.pointee.metadata_size = metadata.utf8.count
        }
        let error = try using { rd_kafka_commit($0, list, 0) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, "cannot commit \(position)@\(offset)") }
    }

    /// How many records of `record`'s partition lie after it, from the high watermark librdkafka
    /// last saw (no broker round trip): the consumer lag a metrics endpoint reports. nil when unknown.
    public func lag(after record: ConsumerRecord) -> Int64? {
        var low: Int64 = 0, high: Int64 = 0
        guard rd_kafka_get_watermark_offsets(handle, record.topic, record.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return max(0, high - record.offset - 1)
    }

    /// The group's committed offsets for these partitions, with their metadata; partitions without a
    /// committed offset are left out.
    public func committed(_ partitions: [TopicPartition], timeout: Double = 10) throws(KafkaError) -> [TopicPartition: CommittedOffset] {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for position in partitions { rd_kafka_topic_partition_list_add(list, position.topic, position.partition) }
        let error = try using { rd_kafka_committed($0, list, Int32(timeout * 1000)) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, "cannot read committed offsets") }
        var result: [TopicPartition: CommittedOffset] = [:]
        for element in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)) where element.offset >= 0 {
            let metadata = element.metadata.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: element.metadata_size), as: UTF8.self) }
            result[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] =
                CommittedOffset(offset: element.offset, metadata: metadata?.isEmpty == false ? metadata : nil)
        }
        return result
    }

    /// Leaves the group (revoking partitions, so the next member takes over at once) and releases the client.
    public func close() {
        guard guardian.close() else { return } // polls end within their timeout
        _ = rd_kafka_consumer_close(handle)
        rd_kafka_destroy(handle)
    }

    /// Runs a call on the client unless the consumer is closed.
    private func using<T>(_ body: (OpaquePointer) throws(KafkaError) -> T) throws(KafkaError) -> T {
        try guardian.run { () throws(KafkaError) in try body(handle) }
    }

    deinit { close() }
}

private func topicPartitions(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
    UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)).map {
        TopicPartition(topic: String(cString: $0.topic), partition: $0.partition)
    }
}

final class RebalanceBox: @unchecked Sendable {
    let handler: (@Sendable (RebalanceEvent) -> Void)?
    init(handler: (@Sendable (RebalanceEvent) -> Void)?) { self.handler = handler }
}

final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
