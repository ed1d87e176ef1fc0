import Kafka
@testable import ReferenceWorkers
import Testing

/// The commit metadata that says where a restarted worker looks for answers already delivered.
struct AnswerLedgerTests {
    @Test func positionsSurviveTheirCommitMetadata() throws {
        var positions = AnswerPositions(topics: ["svc-responses", "svc-dlq"])
        positions.advance(TopicPartition(topic: "svc-responses", partition: 1), to: 40)
        positions.advance(TopicPartition(topic: "svc-responses", partition: 0), to: 12)
        positions.advance(TopicPartition(topic: "svc-responses", partition: 0), to: 7)  // an older bound does not move it back
        #expect(positions.commitMetadata == "answers/1|svc-responses@0=12,1=40|svc-dlq@")
        let parsed = try #require(AnswerPositions(commitMetadata: positions.commitMetadata))
        #expect(parsed == positions)
        #expect(parsed.offsets[TopicPartition(topic: "svc-responses", partition: 1)] == 40)
        #expect(parsed.offsets[TopicPartition(topic: "svc-dlq", partition: 0)] == nil, "an unknown partition is read from its start")
    }

    @Test(arguments: ["", "some other tool's note", "answers/2|t@0=1", "answers/1|t@0=x", "answers/1|t@-1=3", "answers/1|@0=1", "answers/1|t"])
    func metadataThatIsNotOursIsIgnored(metadata: String) {
        #expect(AnswerPositions(commitMetadata: metadata) == nil)
    }

    @Test func anOutcomeIsCompleteWhenEveryRecordItHadIsFound() {
        #expect(!EarlierAnswers().isComplete)
        #expect(!EarlierAnswers(topics: ["responses"], outcomeSize: 2).isComplete)
        #expect(EarlierAnswers(topics: ["responses", "dlq"], outcomeSize: 2).isComplete)
        #expect(EarlierAnswers(topics: ["dlq"], outcomeSize: 1).isComplete)
    }

    @Test func failpointsParseOrAreRefusedByName() throws {
        #expect(ExitFailpoint("exit-after-delivery:3")?.outcome == 3 && ExitFailpoint("exit-after-delivery:3")?.records == nil)
        #expect(ExitFailpoint("exit-after-delivery:5:1")?.records == 1)
        for bad in ["exit-after-delivery", "exit-after-delivery:0", "crash:1", "exit-after-delivery:1:-1", "exit-after-delivery:1:2:3", "exit-after-delivery:3:"] {
            #expect(ExitFailpoint(bad) == nil, "\(bad)")
        }
        #expect(throws: ServiceError.self) { try KafkaSettings.fromEnvironment(["WORKER_FAILPOINT": "sometimes"]) }
        #expect(try KafkaSettings.fromEnvironment([:]).failpoint == nil)
    }
}
