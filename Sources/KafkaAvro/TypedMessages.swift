import AvroRuntime
import Kafka

/// Generated message types on Kafka, in Confluent's wire format: through the runtime's registry
/// serializer and deserializer (ids looked up once, writer schemas resolved), or with a known id.
extension KafkaProducer {
    /// Serializes (the schema id from the registry, on first use) and sends; returns when acknowledged.
    @discardableResult
    public func send<Message: AvroMessage>(_ message: Message, to topic: String, key: [UInt8]? = nil, headers: [KafkaHeader] = [],
                                           serializer: AvroRegistrySerializer<Message>) throws -> DeliveryReport {
        try send(ProducerRecord(topic: topic, key: key, value: serializer.serialize(message), headers: headers))
    }

    /// Sends with a schema id known beforehand (no registry).
    @discardableResult
    public func send<Message: AvroMessage>(_ message: Message, to topic: String, key: [UInt8]? = nil, headers: [KafkaHeader] = [],
                                           schemaID: Int32) throws(KafkaError) -> DeliveryReport {
        try send(ProducerRecord(topic: topic, key: key, value: message.confluentBytes(schemaID: schemaID), headers: headers))
    }

    /// Several messages of one type, all acknowledged when this returns.
    @discardableResult
    public func send<Message: AvroMessage>(_ messages: [Message], to topic: String, key: (Message) -> [UInt8]? = { _ in nil },
                                           serializer: AvroRegistrySerializer<Message>) throws -> [DeliveryReport] {
        try send(messages.map { ProducerRecord(topic: topic, key: key($0), value: try serializer.serialize($0)) })
    }

    @discardableResult
    public func send<Message: AvroMessage>(_ messages: [Message], to topic: String, key: (Message) -> [UInt8]? = { _ in nil },
                                           schemaID: Int32) throws(KafkaError) -> [DeliveryReport] {
        try send(messages.map { ProducerRecord(topic: topic, key: key($0), value: $0.confluentBytes(schemaID: schemaID)) })
    }
}

extension ConsumerRecord {
    /// The value as a generated type, read with the writer's schema its framing names (resolved to the type's).
    public func decode<Message: AvroMessage>(with deserializer: AvroRegistryDeserializer<Message>) throws(AvroSerdeError) -> Message {
        try deserializer.deserialize(value ?? [])
    }

    /// The value as a generated type when its framing names one of `schemaIDs` (the ids of the type's
    /// own schema); another id is an error, not a misread. A tombstone reads as truncated at offset 0.
    public func decode<Message: AvroMessage>(_ type: Message.Type, schemaIDs: Set<Int32>) throws(AvroDecodingError) -> Message {
        try Message(confluent: value ?? [], schemaIDs: schemaIDs)
    }
}
