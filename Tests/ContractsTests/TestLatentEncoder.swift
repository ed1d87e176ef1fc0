import AvroRuntime
import Contracts
import Foundation
import JSONDocument
import Kafka

/// A small latent-encoder service for the tests: reads latent-encoder-requests (from the end, when
/// started) and answers the way `behavior` says, with the registry's schemas and Confluent framing.
final class TestLatentEncoder: @unchecked Sendable {
    enum Behavior: Sendable {
        case correct
        case wrongStatus
        case silent
        case deadLetterOnly
        case late(seconds: Double)
        case correctPlusDeadLetter
        case twice
    }

    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let schemas: SchemaSource
    private let behavior: Behavior
    private let stopFlag = NSLock()
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(bootstrapServers: String, schemas: SchemaSource, behavior: Behavior) throws {
        self.schemas = schemas
        self.behavior = behavior
        consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: bootstrapServers, ["log_level": "2", "fetch.wait.max.ms": "10"]))
        try consumer.assign(["latent-encoder-requests"], from: .end)
        producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: bootstrapServers, ["log_level": "2"]))
        Thread.detachNewThread { [self] in
            while !isStopped {
                if let record = try? consumer.poll(timeout: 0.05) { try? answer(record) }
            }
            finished.signal()
        }
    }

    private var isStopped: Bool { stopFlag.lock(); defer { stopFlag.unlock() }; return stopped }

    func stop() {
        stopFlag.lock()
        stopped = true
        stopFlag.unlock()
        finished.wait()
        consumer.close()
        producer.close()
    }

    private func answer(_ record: ConsumerRecord) throws {
        guard let payload = record.value else { return }
        let (id, start) = try ConfluentFraming.parse(payload)
        let request = try schemas.schema(id: id).decode(payload: payload[start...])
        guard case .object(let fields) = request, case .string(let requestID) = fields["request_id"] ?? .null else { return }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var response = JSONObject([
            "request_id": .string(requestID), "correlation_id": fields["correlation_id"] ?? .null, "status": .string("success"),
            "latent_file_path": .string("\(fields["output_dir"]?.stringValue ?? "/tmp")/\(requestID).pt"), "latent_shape": .array([.integer(1), .integer(16), .integer(128), .integer(128)]),
            "error_message": .null, "timestamp": .integer(now),
        ])
        let key = Array(requestID.utf8)
        func respond(_ value: JSONObject) throws {
            let bytes = try schemas.schema(nil, topic: "latent-encoder-responses").encode(.object(value))
            try producer.send(ProducerRecord(topic: "latent-encoder-responses", key: key, value: bytes))
        }
        func deadLetter() throws {
            let envelope = JSONObject([
                // bytes in Avro's JSON shape: one code point per byte
                "original_message": .string(String(String.UnicodeScalarView(payload.map { Unicode.Scalar($0) }))),
                "original_key": .string(requestID), "source_topic": .string(record.topic), "source_partition": .integer(Int64(record.partition)),
                "source_offset": .integer(record.offset), "error_code": .string("IMAGE_NOT_FOUND"), "error_message": .string("no such file"),
                "retry_count": .integer(3), "failed_at": .integer(now), "headers": .object(JSONObject()), "service": .string("latent-encoder"),
            ])
            let bytes = try schemas.schema(nil, topic: "latent-encoder-dlq").encode(.object(envelope))
            try producer.send(ProducerRecord(topic: "latent-encoder-dlq", key: key, value: bytes, headers: [KafkaHeader("x-error-code", "IMAGE_NOT_FOUND")]))
        }
        switch behavior {
        case .correct: try respond(response)
        case .wrongStatus:
            response = JSONObject(response.members.map { $0.key == "status" ? JSONObject.Member(key: "status", value: .string("error")) : $0 })
            try respond(response)
        case .silent: break
        case .deadLetterOnly: try deadLetter()
        case .late(let seconds):
            Thread.sleep(forTimeInterval: seconds)
            try respond(response)
        case .correctPlusDeadLetter:
            try respond(response)
            try deadLetter()
        case .twice:
            try respond(response)
            try respond(response)
        }
    }
}
