import Foundation
import Testing
import TestSupport

/// Python's confluent-kafka (pip `confluent-kafka[avro,json]`, installed by .ci/run) as a
/// third-party client: its SchemaRegistryClient calls, and its Avro and JSON serializers and
/// deserializers round-tripping the seed messages through our server.
@Suite struct ConfluentKafkaPeerTests {
    @Test func confluentKafkaClientAndSerdesAgainstOurServer() throws {
        let server = try RegistryProcess()
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/RegistryTests/confluent_kafka_peer.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, server.url, TestPaths.packageRoot.appendingPathComponent("schemas").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "confluent-kafka peer failed (pip install 'confluent-kafka[avro,json]==2.16.0'):\n\(text.suffix(3000))")
        #expect(text.contains("all peer checks passed"))
        #expect(text.components(separatedBy: "AvroSerializer -> our registry").count - 1 >= 10)
    }
}
