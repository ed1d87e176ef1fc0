import AvroRuntime
import ReferenceWorkers
import Testing

/// The transport-independent half of Kafka mode: request records in, response or DLQ records out.
@Suite struct MessageProcessorTests {
    func processor(_ workspace: Workspace, metrics: Metrics = Metrics()) throws -> MessageProcessor<LatentEncoderService> {
        MessageProcessor(runner: ServiceRunner(service: LatentEncoderService(context: try workspace.context()), metrics: metrics,
                                               logger: Logger(json: true, sink: { _ in })),
                         responseSchemaID: 21, deadLetterSchemaID: 99)
    }

    func record(_ value: [UInt8]) -> IncomingRecord {
        IncomingRecord(value: value, key: Array("k".utf8), topic: "latent-encoder-requests", partition: 2, offset: 17, headers: ["trace": "t1"])
    }

    @Test func aRequestRecordGetsAFramedResponseKeyedByRequestId() throws {
        let workspace = try Workspace()
        let request = LatentEncoderRequest(requestId: "kafka-1", correlationId: "wf", imagePath: workspace.image1, outputDir: workspace.output,
                                           megapixels: 0.0625, timestamp: 5)
        let outcome = try processor(workspace).process(record(request.confluentBytes(schemaID: 3)))
        #expect(outcome.records.count == 1 && outcome.errorCode == nil)
        guard let produced = outcome.response, let key = produced.key else {
            Issue.record("expected a response")
            return
        }
        let value = produced.value
        #expect(key == Array("kafka-1".utf8))
        let (schemaID, start) = try ConfluentFraming.parse(value)
        #expect(schemaID == 21)
        let response = try LatentEncoderResponse(avro: value[start...])
        #expect(response.status == .success && response.requestId == "kafka-1" && response.correlationId == "wf")
        #expect(response.latentShape == [1, 4, 26, 39])
    }

    @Test func aRejectedRequestIsAnErrorResponseAndADeadLetterKeyedByRequestId() throws {
        let workspace = try Workspace()
        let request = LatentEncoderRequest(requestId: "kafka-2", imagePath: workspace.path("absent.png"), outputDir: workspace.output, timestamp: 5)
        let bytes = request.confluentBytes(schemaID: 3)
        let outcome = try processor(workspace).process(record(bytes))
        #expect(outcome.errorCode == "IMAGE_NOT_FOUND")
        guard let value = outcome.response?.value, let letter = outcome.deadLetter else {
            Issue.record("expected an error response and a dead letter")
            return
        }
        #expect(outcome.records.map(\.destination) == [.response, .deadLetter], "the response goes first")
        let response = try LatentEncoderResponse(avro: value[5...])
        #expect(response.status == .error && response.errorMessage?.hasPrefix("IMAGE_NOT_FOUND") == true)
        #expect(letter.key == Array("kafka-2".utf8))
        let envelope = try DeadLetter(avro: letter.value[5...])
        #expect(envelope.errorCode == "IMAGE_NOT_FOUND" && envelope.originalMessage == bytes && envelope.retryCount == 0)
    }

    @Test func anUndecodableRecordGoesToTheDeadLetterTopicWhole() throws {
        let workspace = try Workspace()
        let metrics = Metrics()
        let garbage: [UInt8] = [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        for value in [garbage, Array("{\"request_id\": \"json, not avro\"}".utf8), []] {
            let outcome = try processor(workspace, metrics: metrics).process(record(value))
            guard outcome.records.count == 1, let produced = outcome.deadLetter else {
                Issue.record("expected only a dead letter for \(value)")
                continue
            }
            let envelope = produced.value
            #expect(outcome.errorCode == "MALFORMED_MESSAGE" && produced.key == Array("k".utf8))
            let (schemaID, start) = try ConfluentFraming.parse(envelope)
            #expect(schemaID == 99)
            let letter = try DeadLetter(avro: envelope[start...])
            #expect(letter.originalMessage == value && letter.originalKey == Array("k".utf8))
            #expect(letter.sourceTopic == "latent-encoder-requests" && letter.sourcePartition == 2 && letter.sourceOffset == 17)
            #expect(letter.service == "latent-encoder" && letter.errorCode == "MALFORMED_MESSAGE" && letter.headers == ["trace": "t1"])
        }
        #expect(metrics.requestCount(service: "latent-encoder", status: "dead_letter") == 3)
    }

    @Test func standardTopicsFollowTheSeed() {
        let topics = ServiceTopics.standard("latent-encoder")
        #expect(topics == ServiceTopics(request: "latent-encoder-requests", response: "latent-encoder-responses",
                                        deadLetter: "latent-encoder-dlq", consumerGroup: "latent-encoder-group"))
        #expect(ServiceTopics.standard("sampling", environment: ["KAFKA_REQUEST_TOPIC": "custom"]).request == "custom")
        #expect(ServiceTopics.orchestrator() == ServiceTopics(request: "workflow-orchestrator", response: "workflow-results",
                                                            deadLetter: "workflow-orchestrator-dlq", consumerGroup: "workflow-orchestrator-group"))
        #expect(ServiceTopics.orchestrator(environment: ["KAFKA_RESPONSE_TOPIC": "results"]).response == "results")
    }
}
