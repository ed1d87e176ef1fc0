import Foundation
import Kafka

/// Exactly one answer per request record, also when a worker dies between answering a record and
/// committing it.
///
/// Kafka transactions would tie the answer and the commit together, but librdkafka's mock cluster
/// (what `schemactl dev` and the tests run on) accepts transactions without aborting anything, so
/// the guarantee is built from what every broker keeps:
/// - every answer (response or dead letter) names its source record in a header, with the number of
///   records the whole outcome has;
/// - every commit stores, as its metadata, the answer topics' positions before any answer to the
///   records after it ("answers to the next record lie at or after these offsets");
/// - the records from a partition's committed offset on are the only ones a previous owner may have
///   answered without committing (the one in hand, or up to KAFKA_MAX_IN_FLIGHT of them): at the
///   partition's first record after an assignment the ledger reads the answer topics from the
///   committed positions to their end once, and then tells for each record what was already
///   delivered for it, so the loop sends only what is missing.
/// A partition without such metadata (a new group) gets it committed before its first record is
/// processed, so a crash during that first record is covered too.
final class AnswerLedger: @unchecked Sendable {
    static let sourceHeader = "schemactl.source"
    static let outcomeSizeHeader = "schemactl.outcome-size"

    private let answerTopics: [String]
    private let scanConfiguration: KafkaConfiguration
    private let scanTimeout: Double
    private let lock = NSLock()
    private var unchecked: Set<TopicPartition> = []
    /// Per checked partition, what earlier owners delivered, by source record.
    private var found: [TopicPartition: [String: EarlierAnswers]] = [:]
    private var positions: AnswerPositions

    /// `scanConfiguration` reaches the cluster (a group-less reader of the answer topics is made from it when needed).
    init(answerTopics: [String], scanConfiguration: KafkaConfiguration, scanTimeout: Double = 30) {
        self.answerTopics = answerTopics
        self.scanConfiguration = scanConfiguration
        self.scanTimeout = scanTimeout
        positions = AnswerPositions(topics: answerTopics)
    }

    /// Called from the rebalance handler: the first record of each of these partitions gets checked.
    func assigned(_ partitions: [TopicPartition]) {
        lock.withLock { unchecked.formUnion(partitions) }
    }

    /// Called from the rebalance handler once the partitions' records are finished and committed.
    func revoked(_ partitions: [TopicPartition]) {
        lock.withLock {
            for partition in partitions {
                unchecked.remove(partition)
                found[partition] = nil
            }
        }
    }

    /// The headers every answer of `record`'s outcome carries.
    static func headers(source record: ConsumerRecord, outcomeSize: Int) -> [KafkaHeader] {
        [KafkaHeader(sourceHeader, sourceName(record)), KafkaHeader(outcomeSizeHeader, String(outcomeSize))]
    }

    static func sourceName(_ record: ConsumerRecord) -> String { "\(record.topic)/\(record.partition)/\(record.offset)" }

    /// What was already delivered for `record`: empty unless a previous owner of its partition
    /// answered it without committing. Call it for a partition's records in offset order, before
    /// processing them; `consumer` is the group member that got the record. Throws when the broker
    /// cannot be read (the caller retries; nothing was sent yet).
    func earlierAnswers(to record: ConsumerRecord, consumer: KafkaConsumer) throws(KafkaError) -> EarlierAnswers {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        if lock.withLock({ unchecked.contains(partition) }) {
            let marks = try answerPartitionMarks(consumer)
            // The answer topics' current ends: later answers lie at or after them (and the scans of
            // later recoveries start there rather than at older offsets).
            lock.withLock { for (position, mark) in marks { positions.advance(position, to: mark.high) } }
            var answers: [String: EarlierAnswers] = [:]
            if let committed = try consumer.committed([partition])[partition], let metadata = committed.metadata,
               let from = AnswerPositions(commitMetadata: metadata), committed.offset <= record.offset {
                answers = try scan(partition, fromOffset: committed.offset, positions: from, marks: marks)
            } else {
                // No positions stored yet: store them before anything is answered from this partition.
                try consumer.commit(partition, offset: record.offset, metadata: commitMetadata)
            }
            lock.withLock {
                found[partition] = answers
                unchecked.remove(partition)
            }
        }
        return lock.withLock { found[partition]?.removeValue(forKey: Self.sourceName(record)) } ?? EarlierAnswers()
    }

    /// Notes where answers landed, so the next commit's positions lie past them.
    func delivered(_ report: DeliveryReport) {
        lock.withLock { positions.advance(TopicPartition(topic: report.topic, partition: report.partition), to: report.offset + 1) }
    }

    /// The positions now, as commit metadata: a bound for the answers of every record not started yet.
    var commitMetadata: String { lock.withLock { positions.commitMetadata } }

    /// Every partition of the answer topics with its first offset and its high watermark.
    private func answerPartitionMarks(_ consumer: KafkaConsumer) throws(KafkaError) -> [TopicPartition: (low: Int64, high: Int64)] {
        var marks: [TopicPartition: (low: Int64, high: Int64)] = [:]
        for topic in answerTopics {
            for partition in try consumer.partitions(of: topic) {
                let position = TopicPartition(topic: topic, partition: partition)
                marks[position] = try consumer.watermarks(of: position)
            }
        }
        return marks
    }

    /// Reads every answer partition from `positions` (its first offset where `positions` has none)
    /// to its end in `marks`, keeping the answers to records of `source` at or after `fromOffset`.
    private func scan(_ source: TopicPartition, fromOffset: Int64, positions: AnswerPositions,
                      marks: [TopicPartition: (low: Int64, high: Int64)]) throws(KafkaError) -> [String: EarlierAnswers] {
        var starts: [TopicPartition: Int64] = [:]
        var ends: [TopicPartition: Int64] = [:]
        for (position, mark) in marks {
            let start = max(positions.offsets[position] ?? mark.low, mark.low)
            if start < mark.high {
                starts[position] = start
                ends[position] = mark.high
            }
        }
        var found: [String: EarlierAnswers] = [:]
        guard !starts.isEmpty else { return found }
        let reader = try KafkaConsumer(configuration: scanConfiguration)
        defer { reader.close() }
        try reader.assign(starts)
        let prefix = "\(source.topic)/\(source.partition)/"
        let deadline = Date().addingTimeInterval(scanTimeout)
        var pending = Set(starts.keys)
        while !pending.isEmpty {
            guard Date() < deadline else {
                throw KafkaError(message: "could not read \(pending.map(\.description).sorted().joined(separator: ", ")) to the end within \(Int(scanTimeout)) s")
            }
            if let record = try reader.poll(timeout: 0.1), let name = record.header(Self.sourceHeader)?.text, name.hasPrefix(prefix),
               let offset = Int64(name.dropFirst(prefix.count)), offset >= fromOffset {
                found[name, default: EarlierAnswers()].topics.insert(record.topic)
                found[name]!.outcomeSize = record.header(Self.outcomeSizeHeader)?.text.flatMap { Int($0) } ?? found[name]!.outcomeSize
            }
            // Positions, not record offsets, say when a partition is read through (they also step over transaction markers).
            for (position, offset) in try reader.positions(Array(pending)) where offset >= ends[position]! { pending.remove(position) }
        }
        return found
    }
}

/// The answers an earlier owner delivered for a record.
struct EarlierAnswers: Sendable, Hashable {
    /// The topics that hold one of them.
    var topics: Set<String> = []
    /// How many records the earlier outcome had (from its header); 0 when none was found.
    var outcomeSize = 0
    /// Everything the earlier outcome had is there: nothing to send again.
    var isComplete: Bool { !topics.isEmpty && topics.count >= outcomeSize }
}

/// For each partition of the answer topics, an offset at or before which the next answer will land.
/// Stored as the metadata of every commit: `answers/1|topic@0=12,1=40|other@0=3`.
struct AnswerPositions: Sendable, Hashable {
    private(set) var offsets: [TopicPartition: Int64] = [:]
    private var topics: [String]

    private static let version = "answers/1"

    init(topics: [String]) { self.topics = topics }

    /// Parses commit metadata; nil when it is not ours (another tool's, or an older format).
    init?(commitMetadata: String) {
        let parts = commitMetadata.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.first == Self.version[...] else { return nil }
        topics = []
        for part in parts.dropFirst() {
            let topicAndOffsets = part.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            guard topicAndOffsets.count == 2, !topicAndOffsets[0].isEmpty else { return nil }
            let topic = String(topicAndOffsets[0])
            topics.append(topic)
            for entry in topicAndOffsets[1].split(separator: ",") {
                let pair = entry.split(separator: "=")
                guard pair.count == 2, let partition = Int32(pair[0]), let offset = Int64(pair[1]), partition >= 0, offset >= 0 else { return nil }
                offsets[TopicPartition(topic: topic, partition: partition)] = offset
            }
        }
    }

    /// Moves a partition's position forward (never back: an older, smaller offset is still a bound, but a looser one).
    mutating func advance(_ position: TopicPartition, to offset: Int64) {
        if offset > offsets[position] ?? -1 { offsets[position] = offset }
    }

    var commitMetadata: String {
        ([Self.version] + topics.map { topic in
            let entries = offsets.filter { $0.key.topic == topic }.sorted { $0.key.partition < $1.key.partition }
            return topic + "@" + entries.map { "\($0.key.partition)=\($0.value)" }.joined(separator: ",")
        }).joined(separator: "|")
    }
}
