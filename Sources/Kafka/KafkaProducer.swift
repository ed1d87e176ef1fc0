import CRdKafka
import Foundation

/// An idempotent producer (acks=all): `send` returns only when the broker has acknowledged every
/// record, or throws the delivery error. Safe to use from several threads.
public final class KafkaProducer: @unchecked Sendable {
    private let handle: OpaquePointer
    private let guardian = ClientGuard("producer")
    private let topicsLock = NSLock()
    private var knownTopics: Set<String> = []

    /// The defaults a pipeline wants; `configuration` overrides them. `message.timeout.ms` bounds how
    /// long a send waits for a broker that went away.
    public static let defaults: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "message.timeout.ms": "30000",
        "linger.ms": "1",
    ]

    public init(configuration: KafkaConfiguration) throws(KafkaError) {
        let conf = try KafkaConfiguration(configuration.properties.merging(Self.defaults) { mine, _ in mine }).makeNative()
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
            guard let message, let opaque = message.pointee._private else { return }
            let waiter = Unmanaged<DeliveryWaiter>.fromOpaque(opaque).takeRetainedValue()
            let raw = message.pointee
            if raw.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                waiter.finish(.success(DeliveryReport(topic: String(cString: rd_kafka_topic_name(raw.rkt)), partition: raw.partition, offset: raw.offset)))
            } else {
                waiter.finish(.failure(KafkaError(raw.err, "delivery to \(String(cString: rd_kafka_topic_name(raw.rkt))) failed")))
            }
        }
        handle = try makeClient(RD_KAFKA_PRODUCER, conf)
    }

    /// Sends one record and waits for its acknowledgement.
    @discardableResult
    public func send(_ record: ProducerRecord) throws(KafkaError) -> DeliveryReport {
        try send([record])[0]
    }

    /// Sends records (in order, per partition) and waits until all are acknowledged; throws the first failure.
    @discardableResult
    public func send(_ records: [ProducerRecord]) throws(KafkaError) -> [DeliveryReport] {
        try guardian.run { () throws(KafkaError) in try sendUnguarded(records) }
    }

    private func sendUnguarded(_ records: [ProducerRecord]) throws(KafkaError) -> [DeliveryReport] {
        for topic in Set(records.map(\.topic)) { learn(topic) }
        var waiters: [DeliveryWaiter] = []
        waiters.reserveCapacity(records.count)
        for record in records {
            let waiter = DeliveryWaiter()
            try enqueue(record, waiter)
            waiters.append(waiter)
        }
        var reports: [DeliveryReport] = []
        reports.reserveCapacity(records.count)
        for waiter in waiters {
            while !waiter.isDone { rd_kafka_poll(handle, 20) }
            switch waiter.outcome! {
            case .success(let report): reports.append(report)
            case .failure(let error): throw error
            }
        }
        return reports
    }

    /// librdkafka 2.0 looks up a topic it has not seen on its next one-second metadata scan, so a
    /// first send would wait up to a second: ask for the topic's metadata at once instead.
    private func learn(_ topic: String) {
        topicsLock.lock()
        let known = !knownTopics.insert(topic).inserted
        topicsLock.unlock()
        guard !known, let topicHandle = rd_kafka_topic_new(handle, topic, nil) else { return }
        defer { rd_kafka_topic_destroy(topicHandle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        // Errors are left to the send itself, which reports them per record.
        if rd_kafka_metadata(handle, 0, topicHandle, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata { rd_kafka_metadata_destroy(metadata) }
    }

    private func enqueue(_ record: ProducerRecord, _ waiter: DeliveryWaiter) throws(KafkaError) {
        let opaque = Unmanaged.passRetained(waiter).toOpaque()
        while true {
            var headers: OpaquePointer? = nil
            if !record.headers.isEmpty {
                headers = rd_kafka_headers_new(record.headers.count)
                for header in record.headers {
                    if let value = header.value {
                        value.withUnsafeBytes { _ = rd_kafka_header_add(headers, header.name, -1, $0.baseAddress, $0.count) }
                    } else {
                        _ = rd_kafka_header_add(headers, header.name, -1, nil, 0)
                    }
                }
            }
            let error = withOptionalBytes(record.key) { key in
                withOptionalBytes(record.value) { value in
                    schemactl_rdkafka_produce(handle, record.topic, key.baseAddress, key.count, value.baseAddress, value.count, headers, opaque)
                }
            }
            if error == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            if let headers { rd_kafka_headers_destroy(headers) }
            if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                rd_kafka_poll(handle, 50)  // let delivery reports drain the local queue, then retry
                continue
            }
            Unmanaged<DeliveryWaiter>.fromOpaque(opaque).release()
            throw KafkaError(error, "cannot produce to \(record.topic)")
        }
    }

    /// Waits for everything in flight (up to `timeout` seconds), then releases the client.
    public func close(timeout: Double = 10) {
        guard guardian.close() else { return } // a send ends when its records are acknowledged or time out
        _ = rd_kafka_flush(handle, Int32(timeout * 1000))
        rd_kafka_destroy(handle)
    }

    deinit { close() }
}

/// One record's delivery outcome, set by librdkafka's delivery-report callback.
final class DeliveryWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<DeliveryReport, KafkaError>?

    func finish(_ result: Result<DeliveryReport, KafkaError>) {
        lock.lock()
        self.result = result
        lock.unlock()
    }

    var isDone: Bool { lock.lock(); defer { lock.unlock() }; return result != nil }
    var outcome: Result<DeliveryReport, KafkaError>? { lock.lock(); defer { lock.unlock() }; return result }
}

/// Bytes for C, where nil means "no key/value" (a null pointer), not an empty one.
func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    guard let bytes else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    return bytes.withUnsafeBytes { buffer in
        // An empty array may have no base address; librdkafka needs a non-null pointer for an empty value.
        buffer.baseAddress == nil ? withUnsafeBytes(of: UInt8(0)) { body(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0)) } : body(buffer)
    }
}
