import Foundation
import RegistryModel
@testable import RegistryServer
import Testing

/// A store that refuses writes: the client gets 50001 and the registry's memory stays as the
/// store has it, so nothing is answered that a restart would not find.
final class RefusingStore: RegistryStore, @unchecked Sendable {
    var refuse = false
    func load() -> RegistryState { RegistryState() }
    func commit(_ changes: [StateChange]) throws(StoreError) {
        if refuse { throw StoreError(description: "disk full") }
    }
    func close() {}
}

@Suite struct StoreFailureTests {
    static let schema = #"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#

    @Test func aFailedCommitIs50001AndChangesNothing() throws {
        let store = RefusingStore()
        let service = try RegistryService(store: store)
        _ = try service.register(subject: "s", request: SchemaRequest(schema: Self.schema))
        store.refuse = true
        #expect(throws: RegistryError.storeError("disk full")) {
            _ = try service.register(subject: "t", request: SchemaRequest(schema: #""string""#))
        }
        #expect(throws: RegistryError.storeError("disk full")) { _ = try service.deleteSubject("s", permanent: false) }
        #expect(throws: RegistryError.storeError("disk full")) { _ = try service.setConfig(subject: "s", level: "NONE", policy: nil) }
        #expect(service.subjects() == ["s"])
        #expect(try service.versions(subject: "s") == [1])
        #expect(throws: RegistryError.self) { _ = try service.config(subject: "s") }
        // Through HTTP: Confluent's body and code.
        let routes = RegistryRoutes(service: service)
        let response = routes.handle(.init(method: "POST", target: "/subjects/t/versions", body: Array(#"{"schema":"\"string\""}"#.utf8)))
        #expect(response.status == 500)
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""error_code":50001"#))
        // Once the store works again, ids continue where they were.
        store.refuse = false
        #expect(try service.register(subject: "t", request: SchemaRequest(schema: #""string""#)).id == 2)
    }
}
