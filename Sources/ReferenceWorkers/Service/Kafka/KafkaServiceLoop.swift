import AvroRuntime
import Foundation
import Kafka

/// A service on Kafka: consumes its request topic in its consumer group, one record at a time,
/// produces the outcome (response and/or dead letter) and waits for the delivery reports, and only
/// then commits the record's offset. A crash at any point before the commit redelivers the record
/// (at least once); outputs are named by request_id, so reprocessing rewrites the same files and
/// answers the same request_id again (consumers keep the first answer per request_id).
public final class KafkaServiceLoop<Service: WorkerService>: @unchecked Sendable {
    public let processor: MessageProcessor<Service>
    public let topics: ServiceTopics
    public let settings: KafkaSettings
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private var logger: Logger { processor.runner.logger }
    private var metrics: Metrics { processor.runner.metrics }

    public init(processor: MessageProcessor<Service>, topics: ServiceTopics, settings: KafkaSettings) throws(KafkaError) {
        self.processor = processor
        self.topics = topics
        self.settings = settings
        let logger = processor.runner.logger
        consumer = try KafkaConsumer(configuration: settings.configuration([
            "group.id": topics.consumerGroup,
            "session.timeout.ms": String(settings.sessionTimeoutMillis),
            "heartbeat.interval.ms": String(max(100, settings.sessionTimeoutMillis / 5)),
        ])) { event in
            switch event {
            case .assigned(let partitions): logger.info("partitions assigned", ["partitions": partitions.map(\.description).joined(separator: ",")])
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
        for attempt in 0...settings.maxRetries {
            if attempt > 0 {
                Thread.sleep(forTimeInterval: Double(settings.retryBackoffMillis << min(attempt - 1, 10)) / 1000)
            }
            do {
                let outcome = try processor.process(record)
                try deliver(outcome.records)
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
        try deliver([OutgoingRecord(destination: .deadLetter, key: record.key, value: letter)])
        commit(consumed)
    }

    /// A failed commit (the partition was just revoked, say) is not retried: the outcome is already
    /// durable, and the partition's next owner redelivers the record, which is answered again.
    func commit(_ record: ConsumerRecord) {
        do { try consumer.commit(record) } catch {
            logger.error("commit failed; the record will be redelivered", ["service": Service.serviceName, "offset": String(record.offset), "error": "\(error)"])
        }
    }

    /// Sends the records (response first) and returns once the broker acknowledged them all.
    func deliver(_ records: [OutgoingRecord]) throws(KafkaError) {
        try producer.send(records.map { record in
            ProducerRecord(topic: record.destination == .response ? topics.response : topics.deadLetter, key: record.key, value: record.value)
        })
    }
}
