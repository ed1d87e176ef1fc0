import Contracts
import Foundation
import JSONDocument
import Kafka
import Testing
import TestSupport

extension TestServiceSuites {
    @Suite("contract record")
    struct ContractRecordTests {
        @Test func aResponsePolledBeforeItsRequestStillBelongsToIt() throws {
            // Written in this order on purpose: the recorder must keep the response until the request comes.
            let recorder = ContractRecorder(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), kafkaProperties: ["log_level": "2"])
            let requestID = UUID().uuidString.lowercased()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let response = try JSONDocument(parsing: Array("""
                {"request_id":"\(requestID)","correlation_id":null,"status":"success","latent_file_path":"/out/\(requestID).pt","latent_shape":[1,4,8,8],"error_message":null,"timestamp":\(now)}
                """.utf8)).root
            let request = try JSONDocument(parsing: Array("""
                {"request_id":"\(requestID)","correlation_id":null,"image_path":"/in/p.png","output_dir":"/out","timestamp":\(now)}
                """.utf8)).root
            let schemas = registrySchemas()
            let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: dev.bootstrapServers, ["log_level": "2"]))
            defer { producer.close() }
            let exchanges = try recorder.record(requestTopic: "latent-encoder-requests", responseTopics: ["latent-encoder-responses"],
                                                correlate: .value(["request_id"]), duration: 20, maxRequests: 1, settle: 0.5) {
                DispatchQueue.global().async {
                    try? producer.send(ProducerRecord(topic: "latent-encoder-responses", key: Array(requestID.utf8),
                                                      value: schemas.schema(nil, topic: "latent-encoder-responses").encode(response)))
                    Thread.sleep(forTimeInterval: 0.3)
                    try? producer.send(ProducerRecord(topic: "latent-encoder-requests", key: Array(requestID.utf8),
                                                      value: schemas.schema(nil, topic: "latent-encoder-requests").encode(request)))
                }
            }
            #expect(exchanges.count == 1)
            #expect(exchanges.first?.responses.count == 1, "the response that came first was dropped")
            #expect(exchanges.first?.responses.first?.afterSeconds == 0, "written before the request: no delay to record")
        }

        @Test func aRecordedExchangeBecomesAContractThatLintsAndVerifies() throws {
            let service = try TestLatentEncoder(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), behavior: .correct)
            defer { service.stop() }
            let folder = try makeTemporaryDirectory()
            let output = folder.appendingPathComponent("recorded.yaml")

            // Record in a child process while this test plays the client: one request, then the service answers.
            let recorder = Process()
            recorder.executableURL = TestPaths.schemactl
            recorder.arguments = ["contract", "record", "--bootstrap", dev.bootstrapServers, "--registry", dev.registryURL,
                                  "--request-topic", "latent-encoder-requests", "--response-topic", "latent-encoder-responses",
                                  "--response-topic", "latent-encoder-dlq", "--correlate", "value.request_id", "--service", "latent-encoder",
                                  "--max", "1", "--duration", "20s"]
            recorder.currentDirectoryURL = TestPaths.packageRoot
            let stdout = Pipe(), stderr = Pipe()
            recorder.standardOutput = stdout
            recorder.standardError = stderr
            try recorder.run()
            var announced = ""
            while !announced.contains("listening") {
                let chunk = stderr.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                announced += String(decoding: chunk, as: UTF8.self)
            }
            let requestID = UUID().uuidString.lowercased()
            let schema = try registrySchemas().schema(nil, topic: "latent-encoder-requests")
            let value = try JSONDocument(parsing: Array("""
                {"request_id":"\(requestID)","correlation_id":null,"image_path":"/data/in/p.png","output_dir":"/data/latents","timestamp":\(Int64(Date().timeIntervalSince1970 * 1000))}
                """.utf8)).root
            let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: dev.bootstrapServers, ["log_level": "2"]))
            try producer.send(ProducerRecord(topic: "latent-encoder-requests", key: Array(requestID.utf8), value: schema.encode(value)))
            producer.close()
            let recorded = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            recorder.waitUntilExit()
            #expect(recorder.terminationStatus == 0, "\(announced)")
            try recorded.write(to: output, atomically: true, encoding: .utf8)

            // What it inferred: the request id became a variable the response echoes; times got matchers; the silent DLQ is a quiet window.
            #expect(recorded.contains("  request_id: { gen: uuid }"), "\(recorded)")
            #expect(recorded.contains("  timestamp: { gen: now, unit: millis }"), "\(recorded)")
            #expect(recorded.contains("    request_id: \"{{request_id}}\""), "\(recorded)")
            #expect(recorded.contains("      request_id: \"{{request_id}}\""), "\(recorded)")
            #expect(recorded.contains("      timestamp: { $match: timestamp, unit: millis, within: 10m }"), "\(recorded)")
            #expect(recorded.contains("      latent_shape: [1, 16, 128, 128]"), "\(recorded)")
            #expect(recorded.contains("      latent_file_path: \"/data/latents/{{request_id}}.pt\""), "\(recorded)")
            #expect(recorded.contains("  - { topic: latent-encoder-dlq, quiet: 5s }"), "\(recorded)")

            let lint = try runSchemactl(["contract", "lint", output.path])
            #expect(lint.status == 0, "\(lint.stdout)\(recorded)")
            let verify = try runSchemactl(["contract", "verify", "--bootstrap", dev.bootstrapServers, "--registry", dev.registryURL, output.path])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("PASS latent-encoder.recorded-1"))
        }
    }
}
