import AvroRuntime
import Foundation
import Kafka
import RegistryClient
import RegistryModel

/// Generated message types on Kafka: the value is the type's Avro encoding in Confluent framing,
/// with the schema id the registry gives the type's schema under the topic's subject.
extension KafkaProducer {
    @discardableResult
    public func send<Message: AvroMessage>(_ message: Message, to topic: String, key: [UInt8]? = nil, headers: [KafkaHeader] = [],
                                           schemaID: Int32) throws(KafkaError) -> DeliveryReport {
        try send(ProducerRecord(topic: topic, key: key, value: message.confluentBytes(schemaID: schemaID), headers: headers))
    }

    /// Several messages of one type, all acknowledged when this returns.
    @discardableResult
    public func send<Message: AvroMessage>(_ messages: [Message], to topic: String, key: (Message) -> [UInt8]? = { _ in nil },
                                           schemaID: Int32) throws(KafkaError) -> [DeliveryReport] {
        try send(messages.map { ProducerRecord(topic: topic, key: key($0), value: $0.confluentBytes(schemaID: schemaID)) })
    }
}

extension ConsumerRecord {
    /// The value as a generated type; its framing must name one of `schemaIDs` (the ids of the
    /// type's schema), so a record written with another schema is an error, not a misread.
    public func decode<Message: AvroMessage>(_ type: Message.Type, schemaIDs: Set<Int32>) throws(AvroDecodingError) -> Message {
        // A tombstone (no value) reads as truncated at offset 0.
        try Message(confluent: value ?? [], schemaIDs: schemaIDs)
    }
}

/// Schema ids of generated types, looked up (or registered) in a Confluent-compatible registry once per subject.
public final class MessageSchemaIDs: @unchecked Sendable {
    private let client: RegistryClient
    private let register: Bool
    private let lock = NSLock()
    private var ids: [String: Int32] = [:]

    /// With `register`, a schema the subject does not have yet is registered (what Confluent's
    /// serializers do with auto.register.schemas); without it, it is an error.
    public init(client: RegistryClient, register: Bool = false) {
        self.client = client
        self.register = register
    }

    /// The id of `type`'s schema under `subject` (by default `<topic>-value`, Confluent's TopicNameStrategy).
    public func id<Message: AvroMessage>(of type: Message.Type, subject: String) throws(RegistryClientError) -> Int32 {
        let key = "\(subject)\u{0}\(Message.avroFingerprint)"
        lock.lock()
        if let known = ids[key] { lock.unlock(); return known }
        lock.unlock()
        let request = SchemaRequest(schema: Message.avroSchema, schemaType: .avro)
        let registered = try register ? client.register(subject: subject, request) : client.lookup(subject: subject, request)
        lock.lock()
        ids[key] = Int32(registered.id)
        lock.unlock()
        return Int32(registered.id)
    }
}
