import AvroRegistry
import AvroRuntime
import Foundation
import GoldenSeeds
import Kafka
import KafkaAvro
import Testing
import TestSupport

@Suite("generated types on Kafka", .serialized)
struct TypedMessageTests {
    @Test func generatedMessagesGoThroughKafkaWithTheRegistrysSerializer() throws {
        let registry = try RegistryProcess()
        defer { registry.kill() }
        let resolver = RegistryClientSchemaResolver(url: registry.url)
        let topic = uniqueName("latent-encoder-requests")
        try sharedCluster.createTopic(topic)
        let serializer = AvroRegistrySerializer<LatentEncoderRequest>(resolver: resolver, subject: "\(topic)-value", autoRegister: true)

        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { producer.close() }
        let messages = (0..<3).map {
            LatentEncoderRequest(requestId: "r-\($0)", correlationId: $0 == 1 ? nil : "wf", imagePath: "/in/\($0).png", outputDir: "/out", timestamp: 1_700_000_000_000 + Int64($0))
        }
        try producer.send(messages, to: topic, key: { Array($0.requestId.utf8) }, serializer: serializer)

        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { consumer.close() }
        try consumer.assign([topic], from: .beginning)
        let records = try consume(consumer, count: 3)
        let deserializer = AvroRegistryDeserializer<LatentEncoderRequest>(resolver: resolver)
        #expect(try records.map { try $0.decode(with: deserializer) } == messages)
        let id = try resolver.id(ofSchema: LatentEncoderRequest.avroSchema, subject: "\(topic)-value", register: false)
        #expect(records.map(\.key) == messages.map { Array($0.requestId.utf8) })
        #expect(records.first.map { Array($0.value!.prefix(5)) } == ConfluentFraming.header(schemaID: id))
        #expect(try records[0].decode(LatentEncoderRequest.self, schemaIDs: [id]) == messages[0])
        #expect(throws: AvroDecodingError.unknownSchemaID(id)) { try records[0].decode(LatentEncoderRequest.self, schemaIDs: [id + 1]) }
    }
}
