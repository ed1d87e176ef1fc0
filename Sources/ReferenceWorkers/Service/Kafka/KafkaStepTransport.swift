import AvroRuntime
import Foundation
import Kafka

/// The orchestrator's steps over Kafka: each request goes to its service's request topic keyed by
/// request_id, and the call waits (up to the step deadline) for the response with that key on the
/// service's response topic. One thread reads the four response topics from their end (no group:
/// every orchestrator sees every response) and hands each awaited record to its caller.
public final class KafkaStepTransport: StepTransport, @unchecked Sendable {
    public let deadline: Double
    private let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let logger: Logger
    private let condition = NSCondition()
    private var awaited: Set<String> = []
    private var arrived: [String: [UInt8]] = [:]
    private var stopped = false
    private var failure: KafkaError?
    private let serializers: Serializers

    private let deserializers: Deserializers

    /// One per message type, so that each caches its schema ids and resolution plans.
    struct Serializers {
        let latent: AvroRegistrySerializer<LatentEncoderRequest>
        let text: AvroRegistrySerializer<TextEncoderRequest>
        let sampling: AvroRegistrySerializer<SamplingRequest>
        let decoding: AvroRegistrySerializer<DecodingRequest>
    }

    struct Deserializers {
        let latent: AvroRegistryDeserializer<LatentEncoderResponse>
        let text: AvroRegistryDeserializer<TextEncoderResponse>
        let sampling: AvroRegistryDeserializer<SamplingResponse>
        let decoding: AvroRegistryDeserializer<DecodingResponse>
    }

    static let services = ["latent-encoder", "text-encoder", "sampling", "decoding"]

    /// Starts reading the response topics at their current end: call before any step is sent.
    public init(settings: KafkaSettings, resolver: any SchemaIDResolver, logger: Logger) throws(KafkaError) {
        deadline = settings.stepTimeoutSeconds
        self.logger = logger
        producer = try KafkaProducer(configuration: settings.configuration())
        consumer = try KafkaConsumer(configuration: settings.configuration())
        try consumer.assign(Self.services.map { ServiceTopics.standard($0).response }, from: .end)
        func subject(_ service: String) -> String { ServiceTopics.standard(service).request + "-value" }
        serializers = Serializers(latent: .init(resolver: resolver, subject: subject("latent-encoder")),
                                  text: .init(resolver: resolver, subject: subject("text-encoder")),
                                  sampling: .init(resolver: resolver, subject: subject("sampling")),
                                  decoding: .init(resolver: resolver, subject: subject("decoding")))
        deserializers = Deserializers(latent: .init(resolver: resolver), text: .init(resolver: resolver),
                                      sampling: .init(resolver: resolver), decoding: .init(resolver: resolver))
        Thread.detachNewThread { [self] in dispatch() }
    }

    /// Stops the reading thread and releases the clients.
    public func close() {
        condition.withLock { stopped = true }
        producer.close()
    }

    private func dispatch() {
        while !condition.withLock({ stopped }) {
            do {
                guard let record = try consumer.poll(timeout: 0.2), let key = record.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                condition.withLock {
                    if awaited.contains(key) {
                        arrived[key] = record.value ?? []
                        condition.broadcast()
                    }
                }
            } catch {
                logger.error("reading step responses failed", ["error": "\(error)"])
                condition.withLock { failure = error; condition.broadcast() }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        consumer.close()
    }

    /// Sends `value` keyed by `id` and returns the response keyed by `id`, or nil after the deadline.
    func exchange<Response: AvroMessage>(id: String, topic: String, value: () throws -> [UInt8], reader: AvroRegistryDeserializer<Response>) -> Response? {
        condition.withLock { _ = awaited.insert(id) }
        defer { condition.withLock { awaited.remove(id); arrived[id] = nil } }
        do { try producer.send(ProducerRecord(topic: topic, key: Array(id.utf8), value: value())) } catch {
            logger.error("step request not sent", ["request_id": id, "topic": topic, "error": "\(error)"])
            return nil
        }
        let until = Date().addingTimeInterval(deadline)
        let bytes: [UInt8]? = condition.withLock {
            while arrived[id] == nil, Date() < until, !stopped { _ = condition.wait(until: until) }
            return arrived[id]
        }
        guard let bytes else { return nil }
        do { return try reader.deserialize(bytes) } catch {
            logger.error("step response does not decode", ["request_id": id, "error": "\(error)"])
            return nil
        }
    }

    public func call(_ request: LatentEncoderRequest) -> LatentEncoderResponse? {
        exchange(id: request.requestId, topic: ServiceTopics.standard("latent-encoder").request, value: { try serializers.latent.serialize(request) }, reader: deserializers.latent)
    }
    public func call(_ request: TextEncoderRequest) -> TextEncoderResponse? {
        exchange(id: request.requestId, topic: ServiceTopics.standard("text-encoder").request, value: { try serializers.text.serialize(request) }, reader: deserializers.text)
    }
    public func call(_ request: SamplingRequest) -> SamplingResponse? {
        exchange(id: request.requestId, topic: ServiceTopics.standard("sampling").request, value: { try serializers.sampling.serialize(request) }, reader: deserializers.sampling)
    }
    public func call(_ request: DecodingRequest) -> DecodingResponse? {
        exchange(id: request.requestId, topic: ServiceTopics.standard("decoding").request, value: { try serializers.decoding.serialize(request) }, reader: deserializers.decoding)
    }
}
