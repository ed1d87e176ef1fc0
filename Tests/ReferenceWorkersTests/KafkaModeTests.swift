import AvroRuntime
import Foundation
import HTTPClient
import Kafka
import KafkaAvro
import ReferenceWorkers
import Testing
import TestSupport

/// The workers in `--mode kafka` on `schemactl dev`: real processes, real topics, the registry's ids.
@Suite(.serialized) struct KafkaModeTests {
    @Test func aWorkflowGoesFromInputImagesToADecodedImageThroughAllFourServices() throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        for service in ["latent-encoder", "text-encoder", "sampling", "decoding", "workflow"] { try harness.start(service) }
        let results = try harness.listener(["workflow-results"])
        defer { results.close() }
        let workflow = WorkflowRequest(workflowId: "wf-\(UUID().uuidString.lowercased())", image1Path: harness.data + "/in/person.png",
                                       image2Path: harness.data + "/in/garment.png", prompt: "the person wears the garment",
                                       outputFilename: "tryon.png", outputDir: harness.data + "/out",
                                       steps: StandardWorkflow.steps(seed: 7, steps: 2, megapixels: 0.0625), timestamp: millisNow())
        let producer = try harness.producer()
        defer { producer.close() }
        try producer.send(workflow, to: "workflow-orchestrator", key: Array(workflow.workflowId.utf8),
                          serializer: harness.serializer(WorkflowRequest.self, topic: "workflow-orchestrator"))
        let records = try results.collect(timeout: 120) { $0.contains { $0.keyText == workflow.workflowId } }
        let record = try #require(records.first { $0.keyText == workflow.workflowId }, "no WorkflowResult")
        let result = try record.decode(with: harness.deserializer(WorkflowResult.self))
        #expect(result.status == .success, "\(result.errorCode ?? "") \(result.errorMessage ?? "")")
        #expect(result.stepResults.map(\.stepId) == ["encode", "text", "sample", "decode"])
        #expect(result.stepResults.allSatisfy { $0.status == .success })
        let imagePath = try #require(result.outputImagePath)
        #expect(imagePath == harness.data + "/out/tryon.png")
        // The output is a real image: it decodes, has the latent's size times 8, and is not flat.
        let image = try Compute.loadImage(imagePath, maxPixels: 1 << 24)
        #expect(image.shape.count == 4 && image.shape[0] == 1 && image.shape[1] == 3)
        #expect(image.shape[2] % 8 == 0 && image.shape[3] % 8 == 0 && image.shape[2] >= 8)
        let pixels = image.values
        #expect((pixels.max() ?? 0) - (pixels.min() ?? 0) > 0.05, "the decoded image is flat")
    }

    @Test func theOrchestratorRunsWorkflowsAtTheSameTime() throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        // No decoding service yet: a workflow that needs it waits at its last step.
        for service in ["latent-encoder", "text-encoder", "sampling", "workflow"] { try harness.start(service) }
        let results = try harness.listener(["workflow-results"])
        defer { results.close() }
        let producer = try harness.producer()
        defer { producer.close() }
        let serializer = harness.serializer(WorkflowRequest.self, topic: "workflow-orchestrator")
        func workflow(_ id: String, steps: [WorkflowStep]) -> WorkflowRequest {
            WorkflowRequest(workflowId: id, image1Path: harness.data + "/in/person.png", image2Path: harness.data + "/in/garment.png",
                            prompt: "the person wears the garment", outputFilename: "\(id).png", outputDir: harness.data + "/out",
                            steps: steps, timestamp: millisNow())
        }
        let waiting = workflow("wf-needs-decoding", steps: StandardWorkflow.steps(seed: 1, steps: 1))
        let latentOnly = workflow("wf-latent-only", steps: Array(StandardWorkflow.steps(seed: 2, steps: 1).prefix(3)))
        for request in [waiting, latentOnly] {
            try producer.send(request, to: "workflow-orchestrator", key: Array(request.workflowId.utf8), serializer: serializer)
        }
        // The second workflow is answered while the first still waits for its decoding step (with
        // KAFKA_MAX_IN_FLIGHT=1 nothing comes until the first one's step times out).
        var records = try results.collect(timeout: 50) { $0.contains { $0.keyText == latentOnly.workflowId } }
        #expect(records.map(\.keyText) == [latentOnly.workflowId], "the orchestrator did not run the second workflow beside the first")
        try harness.start("decoding")
        records = try results.collect(after: records, timeout: 50) { $0.contains { $0.keyText == waiting.workflowId } }
        records = try results.collect(after: records, timeout: 1) { _ in false }
        #expect(records.map(\.keyText) == [latentOnly.workflowId, waiting.workflowId])
        let deserializer = harness.deserializer(WorkflowResult.self)
        for record in records {
            let result = try record.decode(with: deserializer)
            #expect(result.status == .success, "\(result.workflowId): \(result.errorCode ?? "") \(result.errorMessage ?? "")")
        }
    }

    @Test func sigtermLetsTheWorkflowsInFlightFinishAndCommitsThem() throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        // Nothing serves the steps: each workflow times out at its first steps after 5 s.
        try harness.start("workflow", environment: ["STEP_TIMEOUT_SECONDS": "5"])
        let results = try harness.listener(["workflow-results"])
        defer { results.close() }
        let stepRequests = try harness.listener(["latent-encoder-requests"])
        defer { stepRequests.close() }
        let producer = try harness.producer()
        defer { producer.close() }
        let ids = ["wf-term-1", "wf-term-2", "wf-term-3"]
        for id in ids {
            let request = WorkflowRequest(workflowId: id, image1Path: harness.data + "/in/person.png", image2Path: harness.data + "/in/garment.png",
                                          prompt: "p", outputFilename: "\(id).png", outputDir: harness.data + "/out",
                                          steps: StandardWorkflow.steps(seed: 1, steps: 1), timestamp: millisNow())
            try producer.send(request, to: "workflow-orchestrator", key: Array(id.utf8), serializer: harness.serializer(WorkflowRequest.self, topic: "workflow-orchestrator"))
        }
        // All three are in flight once each has sent its first step.
        #expect(try stepRequests.collect(timeout: 30) { $0.count >= 3 }.count == 3)
        #expect(harness.terminate("workflow") == 0)
        let records = try results.collect(timeout: 2) { _ in false }
        #expect(Set(records.map(\.keyText)) == Set(ids), "every workflow in flight at SIGTERM was answered before the exit")
        #expect(records.count == ids.count)
        let group = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: harness.dev.bootstrapServers, ["group.id": "workflow-orchestrator-group"]))
        defer { group.close() }
        #expect(try group.committed([TopicPartition(topic: "workflow-orchestrator", partition: 0)])[TopicPartition(topic: "workflow-orchestrator", partition: 0)]?.offset == 3)
    }

    @Test func malformedRecordsAreDeadLetteredAndBadRequestsAnsweredWhileTheWorkerGoesOn() throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        try PipelineFixtures.writeGradient(width: 400, height: 400, to: harness.data + "/in/huge.png")
        try harness.start("latent-encoder", environment: ["MAX_IMAGE_PIXELS": "100000", "METRICS_PORT": "0", "METRICS_HOST": "127.0.0.1"])
        let listener = try harness.listener(["latent-encoder-responses", "latent-encoder-dlq"])
        defer { listener.close() }
        let producer = try harness.producer()
        defer { producer.close() }
        let serializer = harness.serializer(LatentEncoderRequest.self, topic: "latent-encoder-requests")
        let valid = try serializer.serialize(LatentEncoderRequest(requestId: "x", imagePath: "x", outputDir: "x", timestamp: 0))
        // Undecodable: garbage, a wrong magic byte, a schema id the registry does not have.
        let malformed: [(key: String, value: [UInt8])] = [
            ("garbage", Array("not avro at all".utf8)),
            ("magic", [1] + valid.dropFirst()),
            ("unknown-id", [0, 0x7F, 0xFF, 0xFF, 0x01] + valid.dropFirst(5)),
        ]
        for record in malformed { try producer.send(ProducerRecord(topic: "latent-encoder-requests", key: Array(record.key.utf8), value: record.value)) }
        // Decodable but unusable, then a good one: the worker must still be there to answer it.
        let bad: [(id: String, image: String, model: String, code: String)] = [
            ("not-an-image", harness.data + "/in/not-an-image.png", TinyModels.vaeName, "IMAGE_INVALID"),
            ("huge", harness.data + "/in/huge.png", TinyModels.vaeName, "IMAGE_TOO_LARGE"),
            ("no-model", harness.data + "/in/person.png", "missing.safetensors", "VAE_MODEL_NOT_FOUND"),
            ("outside", "/etc/passwd", TinyModels.vaeName, "PATH_NOT_ALLOWED"),
        ]
        for request in bad {
            try producer.send(LatentEncoderRequest(requestId: request.id, imagePath: request.image, vaeModelName: request.model,
                                                   outputDir: harness.data + "/out", megapixels: 0.0625, timestamp: millisNow()),
                              to: "latent-encoder-requests", key: Array(request.id.utf8), serializer: serializer)
        }
        try producer.send(LatentEncoderRequest(requestId: "good", imagePath: harness.data + "/in/person.png", outputDir: harness.data + "/out",
                                               megapixels: 0.0625, timestamp: millisNow()),
                          to: "latent-encoder-requests", key: Array("good".utf8), serializer: serializer)
        let records = try listener.collect(timeout: 60) { records in
            records.filter { $0.topic == "latent-encoder-dlq" }.count >= malformed.count + bad.count && records.contains { $0.keyText == "good" }
        }
        let letters = try Dictionary(records.filter { $0.topic == "latent-encoder-dlq" }.map {
            ($0.keyText, try $0.decode(with: harness.deserializer(DeadLetter.self)))
        }) { first, _ in first }
        for record in malformed {
            let letter = try #require(letters[record.key], "no dead letter for \(record.key)")
            #expect(letter.errorCode == "MALFORMED_MESSAGE" && letter.originalMessage == record.value && letter.sourceTopic == "latent-encoder-requests")
        }
        let responses = try Dictionary(records.filter { $0.topic == "latent-encoder-responses" }.map {
            ($0.keyText, try $0.decode(with: harness.deserializer(LatentEncoderResponse.self)))
        }) { first, _ in first }
        for request in bad {
            let response = try #require(responses[request.id], "no response for \(request.id)")
            #expect(response.status == .error && response.errorMessage?.hasPrefix(request.code) == true, "\(request.id): \(response.errorMessage ?? "")")
            #expect(letters[request.id]?.errorCode == request.code, "\(request.id) is dead-lettered with its code")
        }
        #expect(responses["good"]?.status == .success, "the worker answers after the bad input")
        #expect(letters["good"] == nil)
        // What Prometheus scrapes counts all of it.
        let log = try String(contentsOfFile: harness.log("latent-encoder"), encoding: .utf8)
        let url = try #require(log.firstMatch(of: /"url":"(http:[^"]+\/metrics)"/)?.1, "no metrics endpoint in \(log)")
        let scrape = try HTTPClient().send("GET", String(url))
        #expect(scrape.status == 200)
        let metrics = String(decoding: scrape.body, as: UTF8.self)
        #expect(metrics.contains("vtryon_requests_total{service=\"latent-encoder\",status=\"dead_letter\"} 3"), "\(metrics)")
        #expect(metrics.contains("vtryon_requests_total{service=\"latent-encoder\",status=\"error\"} 4"), "\(metrics)")
        #expect(metrics.contains("vtryon_requests_total{service=\"latent-encoder\",status=\"success\"} 1"), "\(metrics)")
        #expect(metrics.contains("vtryon_errors_total{service=\"latent-encoder\",code=\"PATH_NOT_ALLOWED\"} 1"), "\(metrics)")
        #expect(metrics.contains("vtryon_consumer_lag{service=\"latent-encoder\",partition=\"latent-encoder-requests[0]\"} 0"), "\(metrics)")
    }

    @Test func sigtermFinishesTheRecordInHandCommitsAndLeaves() throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        try harness.start("latent-encoder")
        let listener = try harness.listener(["latent-encoder-responses"])
        defer { listener.close() }
        let producer = try harness.producer()
        defer { producer.close() }
        let ids = (0..<10).map { "term-\($0)" }
        try producer.send(ids.map { LatentEncoderRequest(requestId: $0, imagePath: harness.data + "/in/person.png", outputDir: harness.data + "/out",
                                                         megapixels: 0.5, timestamp: millisNow()) },
                          to: "latent-encoder-requests", key: { Array($0.requestId.utf8) },
                          serializer: harness.serializer(LatentEncoderRequest.self, topic: "latent-encoder-requests"))
        var records = try listener.collect(timeout: 60) { $0.count >= 2 }
        #expect(harness.terminate("latent-encoder") == 0, "a stop requested by SIGTERM is a clean exit")
        records = try listener.collect(after: records, timeout: 1) { _ in false }
        let answered = Set(records.map(\.keyText))
        #expect(answered.count < ids.count, "SIGTERM came after everything was answered")
        // Every answered request is committed, and nothing else: the group resumes right after them.
        let group = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: harness.dev.bootstrapServers, ["group.id": "latent-encoder-group"]))
        let committed = try group.committed([TopicPartition(topic: "latent-encoder-requests", partition: 0)])
        group.close()
        #expect(committed[TopicPartition(topic: "latent-encoder-requests", partition: 0)]?.offset == Int64(answered.count))
        // It left the group: a new worker takes over at once (no session timeout to wait out) and answers only the rest.
        let restarted = Date()
        try harness.start("latent-encoder")
        #expect(Date().timeIntervalSince(restarted) < 5.5, "the new member waited for the old one's session to expire")
        records = try listener.collect(after: records, timeout: 60) { Set($0.map(\.keyText)).isSuperset(of: ids) }
        #expect(Set(records.map(\.keyText)) == Set(ids))
        #expect(records.count == ids.count, "no request was answered twice")
    }

    @Test func aWorkerKilledMidStreamLosesNoRequest() throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        try harness.start("latent-encoder")
        let listener = try harness.listener(["latent-encoder-responses", "latent-encoder-dlq"])
        defer { listener.close() }
        let producer = try harness.producer()
        defer { producer.close() }
        let serializer = harness.serializer(LatentEncoderRequest.self, topic: "latent-encoder-requests")
        // Requests slow enough (0.5 MP) that several are in flight when the worker dies; every fifth cannot be served.
        let ids = (0..<16).map { "fault-\($0)" }
        let requests = ids.enumerated().map { index, id in
            LatentEncoderRequest(requestId: id, imagePath: harness.data + (index % 5 == 4 ? "/in/missing-\(id).png" : "/in/person.png"),
                                 outputDir: harness.data + "/out", megapixels: 0.5, timestamp: millisNow())
        }
        try producer.send(requests, to: "latent-encoder-requests", key: { Array($0.requestId.utf8) }, serializer: serializer)
        var records = try listener.collect(timeout: 60) { $0.filter { $0.topic == "latent-encoder-responses" }.count >= 3 }
        harness.kill("latent-encoder")
        let answeredBeforeKill = Set(records.filter { $0.topic == "latent-encoder-responses" }.map(\.keyText))
        #expect(answeredBeforeKill.count < ids.count, "the kill came after every request was answered: nothing was in flight")
        try harness.start("latent-encoder")
        let unusableIDs = ids.enumerated().filter { $0.offset % 5 == 4 }.map(\.element)
        records = try listener.collectAnswers(after: records, ids: ids, responses: "latent-encoder-responses", letters: unusableIDs,
                                              deadLetters: "latent-encoder-dlq", timeout: 90)
        let deserializer = harness.deserializer(LatentEncoderResponse.self)
        var responses: [String: [LatentEncoderResponse]] = [:]
        for record in records where record.topic == "latent-encoder-responses" { responses[record.keyText, default: []].append(try record.decode(with: deserializer)) }
        let letters = records.filter { $0.topic == "latent-encoder-dlq" }.map(\.keyText)
        for (index, id) in ids.enumerated() {
            let answers = try #require(responses[id], "request \(id) was lost")
            let unusable = index % 5 == 4
            #expect(answers.count == 1, "\(id): answered \(answers.count) times")
            #expect(answers.allSatisfy { $0.status == (unusable ? .error : .success) }, "\(id)")
            #expect(letters.filter { $0 == id }.count == (unusable ? 1 : 0), "\(id): a dead letter exactly once when the request cannot be served")
        }
    }
}
