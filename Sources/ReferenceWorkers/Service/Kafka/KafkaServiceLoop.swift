import AvroRuntime
import Foundation
import Kafka

/// A service on Kafka: consumes its request topic in its consumer group, processes each record to
/// its outcome (response and/or dead letter), waits for the delivery reports, and only then commits
/// the record's offset. Up to `maxInFlight` records are processed at once (KAFKA_MAX_IN_FLIGHT; 1 for
/// the GPU services, more for the orchestrator, whose work is waiting for them); a partition's commit
/// only passes records that are done, in order (`CommitTracker`). A crash at any point before a commit
/// redelivers the records after it; the `AnswerLedger` finds what the dead worker had already
/// delivered for them, so every request gets its outcome exactly once. Outputs are named by
/// request_id, so reprocessing rewrites the same files.
public final class KafkaServiceLoop<Service: WorkerService>: @unchecked Sendable {
    public let processor: MessageProcessor<Service>
    public let topics: ServiceTopics
    public let settings: KafkaSettings
    public let maxInFlight: Int
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let ledger: AnswerLedger
    /// Guards what worker threads and the polling thread share: the tracker, the records finished
    /// but not yet committed, the first failure, the outcome count of the failpoint.
    private let state = NSCondition()
    private var tracker = CommitTracker()
    private var finished: [ConsumerRecord] = []
    private var failure: (any Error)?
    private var deliveredOutcomes = 0
    private var logger: Logger { processor.runner.logger }
    private var metrics: Metrics { processor.runner.metrics }

    public init(processor: MessageProcessor<Service>, topics: ServiceTopics, settings: KafkaSettings) throws(KafkaError) {
        self.processor = processor
        self.topics = topics
        self.settings = settings
        maxInFlight = settings.maxInFlight ?? Service.defaultMaxInFlight
        let logger = processor.runner.logger
        let ledger = AnswerLedger(answerTopics: [topics.response, topics.deadLetter], scanConfiguration: settings.configuration())
        self.ledger = ledger
        let revocations = RevocationRelay()
        consumer = try KafkaConsumer(configuration: settings.configuration([
            "group.id": topics.consumerGroup,
            "session.timeout.ms": String(settings.sessionTimeoutMillis),
            "heartbeat.interval.ms": String(max(100, settings.sessionTimeoutMillis / 5)),
        ])) { event in
            switch event {
            case .assigned(let partitions):
                ledger.assigned(partitions)
                logger.info("partitions assigned", ["partitions": partitions.map(\.description).joined(separator: ",")])
            case .revoked(let partitions):
                revocations.handler?(partitions)
                logger.info("partitions revoked", ["partitions": partitions.map(\.description).joined(separator: ",")])
            }
        }
        producer = try KafkaProducer(configuration: settings.configuration())
        revocations.handler = { [weak self] partitions in self?.settle(partitions) }
        try consumer.subscribe([topics.request])
    }

    /// Runs until `shutdown` is requested (then finishes the records in flight, commits them and
    /// leaves the group) or the consumer fails (thrown).
    public func run(until shutdown: ShutdownFlag) throws {
        logger.info("consuming", ["service": Service.serviceName, "topic": topics.request, "group": topics.consumerGroup,
                                  "max_in_flight": String(maxInFlight)])
        defer {
            settle(nil)
            consumer.close()
            producer.close()
            logger.info("stopped", ["service": Service.serviceName])
        }
        while !shutdown.isRequested {
            try commitFinished()
            guard hasRoom() else { continue }
            guard let record = try consumer.poll(timeout: 0.2) else { continue }
            try start(record)
            if let lag = consumer.lag(after: record) { metrics.setLag(service: Service.serviceName, partition: "\(record.topic)[\(record.partition)]", lag: lag) }
        }
        try commitFinished()
    }

    /// Looks up what earlier owners delivered for the record, then processes it: here when one
    /// record at a time is allowed, on its own thread otherwise.
    private func start(_ record: ConsumerRecord) throws {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        let earlier = try retrying("looking for earlier answers") { () throws(KafkaError) in try ledger.earlierAnswers(to: record, consumer: consumer) }
        state.withLock { tracker.started(partition, offset: record.offset, metadata: ledger.commitMetadata) }
        if earlier.isComplete {
            logger.info("already answered before a restart; committing", ["service": Service.serviceName, "source": AnswerLedger.sourceName(record)])
            markFinished(record)
            return
        }
        let work: @Sendable () -> Void = { [self] in
            do {
                try process(record, alreadyDelivered: earlier.topics)
                markFinished(record)
            } catch {
                state.withLock {
                    failure = failure ?? error
                    state.broadcast()
                }
            }
        }
        if maxInFlight == 1 { work() } else { Thread.detachNewThread(work) }
    }

    /// Waits (up to a poll's time) until fewer than `maxInFlight` records are being processed.
    private func hasRoom() -> Bool {
        state.withLock {
            if tracker.inFlight - finished.count >= maxInFlight, failure == nil { _ = state.wait(until: Date().addingTimeInterval(0.2)) }
            return tracker.inFlight - finished.count < maxInFlight
        }
    }

    private func markFinished(_ record: ConsumerRecord) {
        state.withLock {
            finished.append(record)
            state.broadcast()
        }
    }

    /// Commits what finished records allow; rethrows a worker thread's failure (the process should
    /// exit, leaving its uncommitted records to the group). Runs on the polling thread.
    private func commitFinished() throws {
        let (records, error) = state.withLock {
            defer { finished = [] }
            return (finished, failure)
        }
        if let error { throw error }
        for record in records {
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            guard let allowed = state.withLock({ tracker.finished(partition, offset: record.offset) }) else { continue }
            do { try consumer.commit(allowed.partition, offset: allowed.offset, metadata: allowed.metadata ?? ledger.commitMetadata) } catch {
                // Not retried: the outcomes are durable, and the partition's next owner finds them through the ledger.
                logger.error("commit failed; the records will be redelivered", ["service": Service.serviceName, "partition": partition.description,
                                                                              "offset": String(allowed.offset), "error": "\(error)"])
            }
        }
    }

    /// Waits for the records in flight of `partitions` (all when nil) and commits them: before the
    /// partitions are taken away, and before the consumer leaves the group. Stops early on a failure.
    private func settle(_ partitions: [TopicPartition]?) {
        while true {
            try? commitFinished()
            let left = state.withLock { () -> Int in
                let running = partitions.map { tracker.inFlight(in: $0) } ?? tracker.inFlight
                if running > 0, failure == nil { _ = state.wait(until: Date().addingTimeInterval(0.2)) }
                return failure == nil ? running : 0
            }
            if left == 0 { break }
        }
        if let partitions {
            state.withLock { tracker.forget(partitions) }
            ledger.revoked(partitions)
        }
    }

    /// `body`, tried again `maxRetries` times with a doubling backoff while it throws.
    private func retrying<T>(_ what: String, _ body: () throws(KafkaError) -> T) throws(KafkaError) -> T {
        var attempt = 0
        while true {
            do { return try body() } catch {
                guard attempt < settings.maxRetries else { throw error }
                logger.error("\(what) failed, will retry", ["service": Service.serviceName, "attempt": String(attempt + 1), "error": "\(error)"])
                attempt += 1
                backOff(before: attempt)
            }
        }
    }

    /// The wait before retry `attempt` (1, 2, …): KAFKA_RETRY_BACKOFF_MS, doubled each time.
    private func backOff(before attempt: Int) {
        Thread.sleep(forTimeInterval: Double(settings.retryBackoffMillis << min(attempt - 1, 10)) / 1000)
    }

    /// Processes one record to a durable outcome, sending only what `alreadyDelivered` lacks. A
    /// failure to produce (or a registry that cannot be reached) is retried `maxRetries` times with
    /// a doubling backoff; then the record is dead-lettered. Throws only when even the dead letter
    /// cannot be delivered.
    func process(_ consumed: ConsumerRecord, alreadyDelivered: Set<String>) throws {
        let record = IncomingRecord(value: consumed.value ?? [], key: consumed.key, topic: consumed.topic, partition: consumed.partition,
                                    offset: consumed.offset, headers: Dictionary(consumed.headers.compactMap { header in header.text.map { (header.name, $0) } }) { $1 })
        var lastError: any Error = KafkaError(message: "not processed")
        var delivered = alreadyDelivered
        for attempt in 0...settings.maxRetries {
            if attempt > 0 { backOff(before: attempt) }
            do {
                let outcome = try processor.process(record)
                try deliver(outcome.records, for: consumed, skipping: &delivered)
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
    }

    /// Sends the records one at a time (response first), each acknowledged before the next, leaving
    /// out topics in `delivered` and adding each topic sent to it: a retry after a partial failure
    /// does not send a record twice.
    func deliver(_ records: [OutgoingRecord], for source: ConsumerRecord, skipping delivered: inout Set<String>) throws(KafkaError) {
        let headers = AnswerLedger.headers(source: source, outcomeSize: records.count)
        let outcomeNumber = state.withLock { deliveredOutcomes += 1; return deliveredOutcomes }
        for (index, record) in records.enumerated() {
            let topic = record.destination == .response ? topics.response : topics.deadLetter
            guard !delivered.contains(topic) else { continue }
            if let failpoint = settings.failpoint, failpoint.outcome == outcomeNumber, let limit = failpoint.records, index >= limit { failpoint.exit(logger) }
            ledger.delivered(try producer.send(ProducerRecord(topic: topic, key: record.key, value: record.value, headers: headers)))
            delivered.insert(topic)
        }
        if let failpoint = settings.failpoint, failpoint.outcome == outcomeNumber { failpoint.exit(logger) }
    }
}

/// Lets the consumer's rebalance handler, made before the loop exists, reach the loop.
final class RevocationRelay: @unchecked Sendable {
    var handler: (([TopicPartition]) -> Void)?
}
