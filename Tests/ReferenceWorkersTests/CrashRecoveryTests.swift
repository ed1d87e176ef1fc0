import AvroRegistry
import AvroRuntime
import Foundation
import Kafka
import KafkaAvro
import ReferenceWorkers
import RegistryClient
import Testing
import TestSupport

/// A worker that dies after delivering an outcome but before committing its record: the restarted
/// worker must not answer that record again (exactly one response, one dead letter where due). The
/// crash is placed there by WORKER_FAILPOINT, since a SIGKILL from outside only rarely hits the gap.
@Suite(.serialized) struct CrashRecoveryTests {
    /// (failpoint, records processed at once, whether the restarted worker finds a complete earlier outcome)
    static let crashes: [(failpoint: String, maxInFlight: Int, alreadyAnswered: Bool)] = [
        // the first record of a new group: no commit (and so no stored answer positions) yet
        ("exit-after-delivery:1", 1, true),
        // an unusable request: its error response and its dead letter were both delivered
        ("exit-after-delivery:5", 1, true),
        // only the error response was delivered: the restart sends the dead letter alone
        ("exit-after-delivery:5:1", 1, false),
        // three at a time, finishing out of order: answered, uncommitted and unanswered records mixed
        ("exit-after-delivery:2", 3, true),
    ]

    @Test(arguments: crashes)
    func aCrashBetweenDeliveryAndCommitAnswersEachRequestOnce(failpoint: String, maxInFlight: Int, alreadyAnswered: Bool) throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        let concurrency = ["KAFKA_MAX_IN_FLIGHT": String(maxInFlight)]
        try harness.start("latent-encoder", environment: concurrency.merging(["WORKER_FAILPOINT": failpoint]) { $1 })
        let listener = try harness.listener(["latent-encoder-responses", "latent-encoder-dlq"])
        defer { listener.close() }
        let producer = try harness.producer()
        defer { producer.close() }
        let ids = (0..<6).map { "crash-\($0)" }
        let unusable = Set([ids[4]])
        try producer.send(ids.map { id in
            LatentEncoderRequest(requestId: id, imagePath: harness.data + (unusable.contains(id) ? "/in/missing.png" : "/in/person.png"),
                                 outputDir: harness.data + "/out", megapixels: 0.0625, timestamp: millisNow())
        }, to: "latent-encoder-requests", key: { Array($0.requestId.utf8) },
           serializer: harness.serializer(LatentEncoderRequest.self, topic: "latent-encoder-requests"))
        #expect(harness.exitStatus("latent-encoder", timeout: 60) == 86, "the failpoint did not end the worker")
        var records = try listener.collect(timeout: 1) { _ in false }
        #expect(!records.isEmpty, "nothing was delivered before the crash")

        try harness.start("latent-encoder", environment: concurrency)
        records = try listener.collectAnswers(after: records, ids: ids, responses: "latent-encoder-responses", letters: Array(unusable),
                                              deadLetters: "latent-encoder-dlq", timeout: 60)
        for id in ids {
            let responses = records.filter { $0.topic == "latent-encoder-responses" && $0.keyText == id }
            let letters = records.filter { $0.topic == "latent-encoder-dlq" && $0.keyText == id }
            #expect(responses.count == 1, "\(id): \(responses.count) responses")
            #expect(letters.count == (unusable.contains(id) ? 1 : 0), "\(id): \(letters.count) dead letters")
        }
        // Every answer names its source record; the dead letter of the partial outcome came from the restart.
        for record in records {
            #expect(record.header("schemactl.source")?.text?.hasPrefix("latent-encoder-requests/0/") == true)
        }
        let log = try String(contentsOfFile: harness.log("latent-encoder"), encoding: .utf8)
        #expect(log.contains("already answered before a restart") == alreadyAnswered, "\(log.suffix(2000))")
    }

    @Test func aRecordWhoseResponseCannotBeEncodedIsDeadLetteredAfterItsRetries() throws {
        let harness = try KafkaHarness()
        defer { harness.stopAll() }
        // The response's subject is gone from the registry: the worker cannot frame a response (not
        // the message's fault, so it retries), then dead-letters the request as RETRIES_EXHAUSTED.
        let registry = RegistryClient(url: harness.dev.registryURL)
        _ = try registry.deleteSubject("latent-encoder-responses-value")
        _ = try registry.deleteSubject("latent-encoder-responses-value", permanent: true)
        try harness.start("latent-encoder", environment: ["KAFKA_MAX_RETRIES": "2", "KAFKA_RETRY_BACKOFF_MS": "10"])
        let listener = try harness.listener(["latent-encoder-responses", "latent-encoder-dlq"])
        defer { listener.close() }
        let producer = try harness.producer()
        defer { producer.close() }
        let request = LatentEncoderRequest(requestId: "no-response-schema", imagePath: harness.data + "/in/person.png",
                                           outputDir: harness.data + "/out", megapixels: 0.0625, timestamp: millisNow())
        let serializer = harness.serializer(LatentEncoderRequest.self, topic: "latent-encoder-requests")
        try producer.send(ProducerRecord(topic: "latent-encoder-requests", key: Array(request.requestId.utf8), value: try serializer.serialize(request)))
        var records = try listener.collect(timeout: 60) { !$0.isEmpty }
        records = try listener.collect(after: records, timeout: 1) { _ in false }
        #expect(records.count == 1 && records.first?.topic == "latent-encoder-dlq", "\(records.map(\.topic))")
        let letter = try #require(records.first).decode(with: harness.deserializer(DeadLetter.self))
        #expect(letter.errorCode == "RETRIES_EXHAUSTED")
        #expect(letter.retryCount == 2)
        #expect(letter.errorMessage.contains("3 attempts"), "\(letter.errorMessage)")
        #expect(letter.originalMessage == (try serializer.serialize(request)))
        #expect(letter.sourceTopic == "latent-encoder-requests" && letter.sourceOffset == 0)
        #expect(harness.exitStatus("latent-encoder", timeout: 0.5) == nil, "the worker stopped instead of going on")
    }
}
