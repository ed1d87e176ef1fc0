import Foundation
import RegistryClient
import RegistryModel
import Testing
import TestSupport

/// The server is killed with SIGKILL while clients register; after a restart on the same SQLite
/// file every registration that was answered 200 is there with its id, and no id is reused.
@Suite struct CrashSafetyTests {
    static func schema(_ writer: Int, _ n: Int) -> String {
        #"{"type":"record","name":"R\#(writer)_\#(n)","fields":[{"name":"x","type":"int"}]}"#
    }

    @Test func acknowledgedRegistrationsSurviveSIGKILL() throws {
        let folder = try makeTemporaryDirectory()
        let storage = "sqlite:" + folder.appendingPathComponent("registry.db").path
        let server = try RegistryProcess(storage: storage)
        let lock = NSLock()
        nonisolated(unsafe) var acknowledged: [(subject: String, schema: String, id: Int, version: Int)] = []
        let group = DispatchGroup()
        for writer in 0..<4 {
            DispatchQueue.global().async(group: group) {
                let client = RegistryClient(url: server.url, retries: 0)
                for n in 0..<100_000 {
                    let subject = "subject-\(writer)-\(n % 3)"
                    let text = Self.schema(writer, n)
                    // NONE per subject would need extra calls; distinct record names per version are
                    // not BACKWARD compatible, so each subject gets its level first.
                    if n < 3 { _ = try? client.setCompatibilityLevel("NONE", subject: subject) }
                    guard let registered = try? client.register(subject: subject, SchemaRequest(schema: text)) else { return }
                    lock.lock()
                    acknowledged.append((subject, text, registered.id, registered.version!))
                    lock.unlock()
                }
            }
        }
        // Let them write for a while, then kill the server mid-stream.
        var waited = 0
        while waited < 100 {
            usleep(20_000)
            waited += 1
            lock.lock()
            let count = acknowledged.count
            lock.unlock()
            if count >= 200 { break }
        }
        server.kill()
        group.wait()
        #expect(acknowledged.count >= 50, "the writers registered too little before the kill: \(acknowledged.count)")
        #expect(Set(acknowledged.map(\.id)).count == acknowledged.count, "an id was handed out twice")

        let restarted = try RegistryProcess(storage: storage)
        let client = RegistryClient(url: restarted.url)
        for entry in acknowledged {
            let found = try client.lookup(subject: entry.subject, SchemaRequest(schema: entry.schema))
            #expect(found.id == entry.id && found.version == entry.version, "\(entry.subject) v\(entry.version) lost or changed")
        }
        let fresh = try client.register(subject: "after-restart", SchemaRequest(schema: Self.schema(99, 0)))
        #expect(fresh.id > acknowledged.map(\.id).max()!, "a new id must not reuse one handed out before the crash")
    }
}
