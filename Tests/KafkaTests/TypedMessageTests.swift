import AvroRuntime
import Foundation
import GoldenSeeds
import Kafka
import KafkaAvro
import RegistryClient
import Testing
import TestSupport

@Suite("generated types on Kafka", .serialized)
struct TypedMessageTests {
    @Test func generatedMessagesGoThroughKafkaWithTheRegistrysIDs() throws {
        let registry = try RegistryProcess()
        defer { registry.kill() }
        let ids = MessageSchemaIDs(client: RegistryClient(url: registry.url), register: true)
        let topic = uniqueName("latent-encoder-requests")
        try sharedCluster.createTopic(topic)
        let id = try ids.id(of: LatentEncoderRequest.self, subject: "\(topic)-value")
        // The registry answers lookups with the same id afterwards (no second registration).
        #expect(try MessageSchemaIDs(client: RegistryClient(url: registry.url)).id(of: LatentEncoderRequest.self, subject: "\(topic)-value") == id)

        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { producer.close() }
        let messages = (0..<3).map {
            LatentEncoderRequest(requestId: "r-\($0)", correlationId: $0 == 1 ? nil : "wf", imagePath: "/in/\($0).png", outputDir: "/out", timestamp: 1_700_000_000_000 + Int64($0))
        }
        try producer.send(messages, to: topic, key: { Array($0.requestId.utf8) }, schemaID: id)

        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: sharedCluster.bootstrapServers))
        defer { consumer.close() }
        try consumer.assign([topic], from: .beginning)
        let records = try consume(consumer, count: 3)
        #expect(try records.map { try $0.decode(LatentEncoderRequest.self, schemaIDs: [id]) } == messages)
        #expect(records.first.map { Array($0.value!.prefix(5)) } == ConfluentFraming.header(schemaID: id))
        #expect(throws: AvroDecodingError.unknownSchemaID(id)) { try records[0].decode(LatentEncoderRequest.self, schemaIDs: [id + 1]) }
    }
}
