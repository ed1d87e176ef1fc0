import AvroRuntime
import Foundation
import Kafka

/// A service on Kafka: consumes its request topic in its consumer group, one record at a time,
/// produces the outcome (response and/or dead letter) and waits for the delivery reports, and only
/// then commits the record's offset. A crash at any point before the commit redelivers the record;
/// the `AnswerLedger` finds what the dead worker had already delivered for it, so every request
/// gets its outcome exactly once. Outputs are named by request_id, so reprocessing rewrites the same files.
public final class KafkaServiceLoop<Service: WorkerService>: @unchecked Sendable {
    public let processor: MessageProcessor<Service>
    public let topics: ServiceTopics
    public let settings: KafkaSettings
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let ledger: AnswerLedger
    private var deliveredOutcomes = 0
    private var logger: Logger { processor.runner.logger }
    private var metrics: Metrics { processor.runner.metrics }

    public init(processor: MessageProcessor<Service>, topics: ServiceTopics, settings: KafkaSettings) throws(KafkaError) {
        self.processor = processor
        self.topics = topics
        self.settings = settings
        let logger = processor.runner.logger
        let ledger = AnswerLedger(answerTopics: [topics.response, topics.deadLetter], scanConfiguration: settings.configuration())
        self.ledger = ledger
        consumer = try KafkaConsumer(configuration: settings.configuration([
            "group.id": topics.consumerGroup,
            "session.timeout.ms": String(settings.sessionTimeoutMillis),
            "heartbeat.interval.ms": String(max(100, settings.sessionTimeoutMillis / 5)),
        ])) { event in
            switch event {
            case .assigned(let partitions):
                ledger.assigned(partitions)
                logger.info("partitions assigned", ["partitions": partitions.map(\.description).joined(separator: ",")])
            case .revoked(let partitions): logger.info("partitions revoked", ["partitions": partitions.map(\.description).joined(separator: ",")])
            }
        }
        producer = try KafkaProducer(configuration: settings.configuration())
        try consumer.subscribe([topics.request])
    }

    /// Runs until `shutdown` is requested (then leaves the group) or the consumer fails (thrown).
    public func run(until shutdown: ShutdownFlag) throws {
        logger.info("consuming", ["service": Service.serviceName, "topic": topics.request, "group": topics.consumerGroup])
        defer {
            consumer.close()
            producer.close()
            logger.info("stopped", ["service": Service.serviceName])
        }
        while !shutdown.isRequested {
            guard let record = try consumer.poll(timeout: 0.2) else { continue }
            try handle(record)
            if let lag = consumer.lag(after: record) { metrics.setLag(service: Service.serviceName, partition: "\(record.topic)[\(record.partition)]", lag: lag) }
        }
    }

    /// Processes one record to a durable outcome, then commits it. A failure to produce (or a
    /// registry that cannot be reached) is retried `maxRetries` times with a doubling backoff; then
    /// the record is dead-lettered. Throws, leaving the record uncommitted, only when even the dead
    /// letter cannot be delivered: the process should exit and the group redeliver the record.
    func handle(_ consumed: ConsumerRecord) throws {
        let record = IncomingRecord(value: consumed.value ?? [], key: consumed.key, topic: consumed.topic, partition: consumed.partition,
                                    offset: consumed.offset, headers: Dictionary(consumed.headers.compactMap { header in header.text.map { (header.name, $0) } }) { $1 })
        var lastError: any Error = KafkaError(message: "not processed")
        var delivered: Set<String>?  // topics that already hold an answer to this record, once looked up
        for attempt in 0...settings.maxRetries {
            if attempt > 0 {
                Thread.sleep(forTimeInterval: Double(settings.retryBackoffMillis << min(attempt - 1, 10)) / 1000)
            }
            do {
                if delivered == nil {
                    let earlier = try ledger.earlierAnswers(to: consumed, consumer: consumer)
                    delivered = earlier.topics
                    if earlier.isComplete {
                        logger.info("already answered before a restart; committing", ["service": Service.serviceName, "source": AnswerLedger.sourceName(consumed)])
                        commit(consumed)
                        return
                    }
                }
                let outcome = try processor.process(record)
                try deliver(outcome.records, for: consumed, skipping: &delivered!)
                commit(consumed)
                return
            } catch {
                lastError = error
                logger.error("record not handled, will retry", ["service": Service.serviceName, "offset": String(consumed.offset),
                                                                "attempt": String(attempt + 1), "error": "\(error)"])
            }
        }
        let code = "RETRIES_EXHAUSTED"
        metrics.record(service: Service.serviceName, status: "dead_letter", errorCode: code, seconds: 0)
        let letter = try processor.deadLetter(record, code: code, message: "no outcome could be produced after \(settings.maxRetries + 1) attempts: \(lastError)",
                                              retryCount: settings.maxRetries)
        var none: Set<String> = []  // a dead letter for the record replaces whatever part of an outcome got out
        try deliver([OutgoingRecord(destination: .deadLetter, key: record.key, value: letter)], for: consumed, skipping: &none)
        commit(consumed)
    }

    /// A failed commit (the partition was just revoked, say) is not retried: the outcome is already
    /// durable, and the partition's next owner finds it through the ledger instead of answering again.
    func commit(_ record: ConsumerRecord) {
        do { try consumer.commit(record, metadata: ledger.commitMetadata) } catch {
            logger.error("commit failed; the record will be redelivered", ["service": Service.serviceName, "offset": String(record.offset), "error": "\(error)"])
        }
    }

    /// Sends the records one at a time (response first), each acknowledged before the next, leaving
    /// out topics in `delivered` and adding each topic sent to it: a retry after a partial failure
    /// does not send a record twice.
    func deliver(_ records: [OutgoingRecord], for source: ConsumerRecord, skipping delivered: inout Set<String>) throws(KafkaError) {
        let headers = AnswerLedger.headers(source: source, outcomeSize: records.count)
        deliveredOutcomes += 1
        for (index, record) in records.enumerated() {
            let topic = record.destination == .response ? topics.response : topics.deadLetter
            guard !delivered.contains(topic) else { continue }
            if let failpoint = settings.failpoint, failpoint.outcome == deliveredOutcomes, let limit = failpoint.records, index >= limit { failpoint.exit(logger) }
            ledger.delivered(try producer.send(ProducerRecord(topic: topic, key: record.key, value: record.value, headers: headers)))
            delivered.insert(topic)
        }
        if let failpoint = settings.failpoint, failpoint.outcome == deliveredOutcomes { failpoint.exit(logger) }
    }
}
