import Kafka

/// What may be committed while records of a partition finish out of order (KAFKA_MAX_IN_FLIGHT > 1):
/// a partition's committed offset moves past a record only once it and every record before it are
/// done, so a crash never skips an unanswered record.
///
/// Each record keeps the answer positions taken when it started (`AnswerLedger.commitMetadata`): a
/// commit that stops before a record still running stores that record's positions, which lie before
/// any answer to it or to the records after it, as the ledger needs after a crash.
struct CommitTracker: Sendable {
    private struct Entry: Sendable {
        var offset: Int64
        var metadata: String
        var done = false
    }

    /// A commit to make: `offset` is the partition's next record; nil `metadata` means "the positions now".
    struct Commit: Sendable, Hashable {
        var partition: TopicPartition
        var offset: Int64
        var metadata: String?
    }

    private var pending: [TopicPartition: [Entry]] = [:]

    var inFlight: Int { pending.values.reduce(0) { $0 + $1.filter { !$0.done }.count } }

    func inFlight(in partitions: [TopicPartition]) -> Int {
        partitions.reduce(0) { $0 + (pending[$1]?.filter { !$0.done }.count ?? 0) }
    }

    /// A record handed to a worker thread; records of a partition start in offset order.
    mutating func started(_ partition: TopicPartition, offset: Int64, metadata: String) {
        pending[partition, default: []].append(Entry(offset: offset, metadata: metadata))
    }

    /// Marks a record done; returns the commit it allows, or nil while an earlier record still runs.
    mutating func finished(_ partition: TopicPartition, offset: Int64) -> Commit? {
        guard var entries = pending[partition], let index = entries.firstIndex(where: { $0.offset == offset }) else { return nil }
        entries[index].done = true
        let prefix = entries.prefix { $0.done }.count
        guard prefix > 0 else {
            pending[partition] = entries
            return nil
        }
        let next = entries[prefix - 1].offset + 1
        entries.removeFirst(prefix)
        pending[partition] = entries.isEmpty ? nil : entries
        return Commit(partition: partition, offset: next, metadata: entries.first?.metadata)
    }

    /// Forgets a partition's records (after it was taken away and its finished records committed).
    mutating func forget(_ partitions: [TopicPartition]) {
        for partition in partitions { pending[partition] = nil }
    }
}
