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
        #expect(try KafkaSettings.fromEnvironment(["KAFKA_MAX_IN_FLIGHT": "4"]).maxInFlight == 4)
        #expect(try KafkaSettings.fromEnvironment([:]).maxInFlight == nil, "the service's own default")
        #expect(throws: ServiceError.self) { try KafkaSettings.fromEnvironment(["KAFKA_MAX_IN_FLIGHT": "0"]) }
    }
}

/// Commits while records of a partition finish out of order.
struct CommitTrackerTests {
    let partition = TopicPartition(topic: "requests", partition: 0)

    @Test func aCommitPassesOnlyRecordsThatAreDoneInOrderAndKeepsTheFirstRunningRecordsPositions() {
        var tracker = CommitTracker()
        tracker.started(partition, offset: 5, metadata: "at-5")
        tracker.started(partition, offset: 6, metadata: "at-6")
        tracker.started(partition, offset: 7, metadata: "at-7")
        #expect(tracker.inFlight == 3)
        // 6 finishes first: 5 still runs, nothing may be committed.
        #expect(tracker.finished(partition, offset: 6) == nil)
        // 5 finishes: 5 and 6 are done; the commit stops before 7 and stores 7's start positions.
        #expect(tracker.finished(partition, offset: 5) == CommitTracker.Commit(partition: partition, offset: 7, metadata: "at-7"))
        #expect(tracker.inFlight == 1 && tracker.inFlight(in: [partition]) == 1)
        // 7 finishes: nothing runs any more, so the positions are the current ones (nil).
        #expect(tracker.finished(partition, offset: 7) == CommitTracker.Commit(partition: partition, offset: 8, metadata: nil))
        #expect(tracker.inFlight == 0)
    }

    @Test func partitionsAreTrackedApartAndForgotten() {
        var tracker = CommitTracker()
        let other = TopicPartition(topic: "requests", partition: 1)
        tracker.started(partition, offset: 0, metadata: "a")
        tracker.started(other, offset: 0, metadata: "b")
        #expect(tracker.finished(other, offset: 0)?.offset == 1)
        #expect(tracker.inFlight(in: [other]) == 0 && tracker.inFlight(in: [partition]) == 1)
        tracker.forget([partition])
        #expect(tracker.inFlight == 0)
        #expect(tracker.finished(partition, offset: 0) == nil, "a forgotten record is not committed")
    }
}
