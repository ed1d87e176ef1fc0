import Foundation
import HTTPClient
import JSONDocument
import RegistryClient
import RegistryModel
import Testing
import TestSupport

/// Our client against our server over HTTP, endpoint by endpoint, error code by error code.
@Suite struct ClientServerTests {
    static let v1 = #"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]}"#
    /// v1 plus a field with a default: BACKWARD compatible.
    static let v2 = #"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"email","type":"string","default":""}]}"#
    /// A field without a default: not BACKWARD compatible with v1.
    static let breaking = #"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"age","type":"int"}]}"#

    /// The Confluent error code of a failed call.
    func code(_ body: () throws -> Void) -> Int? {
        do { try body(); return nil } catch { return (error as? RegistryClientError)?.errorCode ?? -1 }
    }

    @Test func registerLookupAndRead() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        let first = try client.register(subject: "users-value", SchemaRequest(schema: Self.v1))
        #expect(first.id == 1 && first.version == 1)
        // Same schema again: same id and version, no new version.
        let again = try client.register(subject: "users-value", SchemaRequest(schema: Self.v1))
        #expect(again.id == 1 && again.version == 1)
        let second = try client.register(subject: "users-value", SchemaRequest(schema: Self.v2))
        #expect(second.id == 2 && second.version == 2)
        // The same schema under another subject keeps its id.
        let shared = try client.register(subject: "other-value", SchemaRequest(schema: Self.v1))
        #expect(shared.id == 1 && shared.version == 1)

        #expect(try client.subjects() == ["users-value", "other-value"])
        #expect(try client.subjects(prefix: "users") == ["users-value"])
        #expect(try client.versions(subject: "users-value") == [1, 2])
        let latest = try client.version(subject: "users-value")
        #expect(latest.version == 2 && latest.id == 2 && latest.schemaType == .avro)
        #expect(try client.version(subject: "users-value", "1").schema == Self.v1)
        #expect(try client.lookup(subject: "users-value", SchemaRequest(schema: Self.v1)).version == 1)
        #expect(try client.schema(id: 2).schema == Self.v2)
        #expect(try client.schema(id: 1, subject: "other-value").subject == "other-value")
        #expect(try client.subjects(ofID: 1) == ["users-value", "other-value"])
        #expect(try client.versions(ofID: 1).map { "\($0.subject):\($0.version)" } == ["users-value:1", "other-value:1"])
        #expect(try client.schemaTypes().sorted() == ["AVRO", "JSON"])
        #expect(try client.contexts() == ["."])

        #expect(code { _ = try client.versions(subject: "missing") } == 40401)
        #expect(code { _ = try client.version(subject: "users-value", "9") } == 40402)
        #expect(code { _ = try client.schema(id: 99) } == 40403)
        #expect(code { _ = try client.lookup(subject: "users-value", SchemaRequest(schema: Self.breaking)) } == 40403)
        #expect(code { _ = try client.version(subject: "users-value", "0") } == 42202)
        #expect(code { _ = try client.version(subject: "users-value", "abc") } == 42202)
        #expect(code { _ = try client.register(subject: "bad", SchemaRequest(schema: #"{"type":"record","name":"X"}"#)) } == 42201)
        #expect(code { _ = try client.register(subject: "bad", SchemaRequest(schema: "{not json")) } == 42201)
        #expect(code { _ = try client.register(subject: "bad", SchemaRequest(schema: "\"string\"", schemaType: .protobuf)) } == 42201)
        #expect(code { _ = try client.register(subject: "bad\u{01}subject", SchemaRequest(schema: Self.v1)) } == 42208)
    }

    @Test func compatibilityAndConfig() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        _ = try client.register(subject: "s", SchemaRequest(schema: Self.v1))
        // Unknown subject: compatible (Confluent's rule), unknown version: 40402.
        #expect(try client.compatibility(subject: "nobody", SchemaRequest(schema: Self.v1)).isCompatible)
        #expect(code { _ = try client.compatibility(subject: "s", version: "7", SchemaRequest(schema: Self.v2)) } == 40402)
        #expect(try client.compatibility(subject: "s", SchemaRequest(schema: Self.v2)).isCompatible)
        let refused = try client.compatibility(subject: "s", SchemaRequest(schema: Self.breaking))
        #expect(!refused.isCompatible && refused.messages.contains { $0.contains("READER_FIELD_MISSING_DEFAULT_VALUE") })
        #expect(code { _ = try client.register(subject: "s", SchemaRequest(schema: Self.breaking)) } == 40901)

        #expect(try client.compatibilityLevel() == "BACKWARD")
        #expect(code { _ = try client.compatibilityLevel(subject: "s") } == 40408)
        #expect(try client.compatibilityLevel(subject: "s", defaultToGlobal: true) == "BACKWARD")
        try client.setCompatibilityLevel("NONE", subject: "s")
        #expect(try client.compatibilityLevel(subject: "s") == "NONE")
        #expect(try client.register(subject: "s", SchemaRequest(schema: Self.breaking)).version == 2)
        #expect(code { try client.setCompatibilityLevel("SIDEWAYS") } == 42203)
        try client.setCompatibilityLevel("FULL_TRANSITIVE")
        #expect(try client.compatibilityLevel() == "FULL_TRANSITIVE")
        #expect(try client.deleteCompatibilityLevel(subject: "s") == "NONE")
        #expect(code { _ = try client.deleteCompatibilityLevel(subject: "s") } == 40401)
        try client.deleteCompatibilityLevel()
        #expect(try client.compatibilityLevel() == "BACKWARD")
        // Transitive: v3 is compatible with v2 (breaking) but not with v1 at BACKWARD_TRANSITIVE.
        try client.setCompatibilityLevel("BACKWARD_TRANSITIVE", subject: "s")
        let v3 = #"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"age","type":"int"},{"name":"nick","type":"string"}]}"#
        #expect(try client.compatibility(subject: "s", version: "latest", SchemaRequest(schema: v3)).isCompatible == false)
        let againstAll = try client.compatibility(subject: "s", version: nil, SchemaRequest(schema: v3))
        #expect(!againstAll.isCompatible)
    }

    @Test func modes() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        #expect(try client.mode() == "READWRITE")
        #expect(code { _ = try client.mode(subject: "s") } == 40409)
        #expect(code { try client.setMode("SIDEWAYS") } == 42204)
        _ = try client.register(subject: "s", SchemaRequest(schema: Self.v1))
        // IMPORT while subjects exist needs force.
        #expect(code { try client.setMode("IMPORT") } == 42205)
        // An id in the request outside IMPORT mode.
        #expect(code { _ = try client.register(subject: "t", SchemaRequest(schema: Self.v2, id: 40)) } == 42205)
        try client.setMode("READONLY", subject: "s")
        #expect(try client.mode(subject: "s") == "READONLY")
        #expect(code { _ = try client.register(subject: "s", SchemaRequest(schema: Self.v2)) } == 42205)
        #expect(code { _ = try client.deleteSubject("s") } == 42205)
        #expect(try client.deleteMode(subject: "s") == "READONLY")
        try client.setMode("IMPORT", force: true)
        let imported = try client.register(subject: "imported", SchemaRequest(schema: Self.v2, id: 40, version: 3))
        #expect(imported.id == 40 && imported.version == 3)
        // The id is taken by another schema: refused.
        #expect(code { _ = try client.register(subject: "imported", SchemaRequest(schema: Self.breaking, id: 40, version: 4)) } == 42205)
        // The schema already has id 1: a different id is refused.
        #expect(code { _ = try client.register(subject: "x", SchemaRequest(schema: Self.v1, id: 41)) } == 42207)
        try client.setMode("READWRITE")
        // New ids continue after the largest imported one.
        #expect(try client.register(subject: "after", SchemaRequest(schema: Self.breaking)).id == 41)
    }

    @Test func deletesAndReferences() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        let address = #"{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}"#
        let person = #"{"type":"record","name":"Person","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"}]}"#
        _ = try client.register(subject: "address", SchemaRequest(schema: address))
        #expect(code { _ = try client.register(subject: "person", SchemaRequest(schema: person)) } == 42201) // unresolved without the reference
        let registered = try client.register(subject: "person", SchemaRequest(schema: person, references: [SchemaReference(name: "com.example.Address", subject: "address", version: -1)]))
        // "latest" is stored as the concrete version.
        #expect(try client.version(subject: "person").references == [SchemaReference(name: "com.example.Address", subject: "address", version: 1)])
        #expect(try client.referencedBy(subject: "address", "1") == [registered.id])
        #expect(code { _ = try client.deleteSubject("address") } == 42206)
        #expect(code { _ = try client.deleteVersion(subject: "address", "1") } == 42206)

        // Soft then hard delete of the referrer, then the referenced subject may go.
        #expect(code { _ = try client.deleteSubject("person", permanent: true) } == 40405)
        #expect(try client.deleteSubject("person") == [1])
        #expect(code { _ = try client.deleteSubject("person") } == 40404)
        #expect(code { _ = try client.versions(subject: "person") } == 40401)
        #expect(try client.versions(subject: "person", deleted: true) == [1])
        #expect(try client.subjects(deleted: true).contains("person"))
        #expect(try client.schema(id: registered.id).id == registered.id) // soft-deleted ids still resolve
        #expect(try client.deleteSubject("person", permanent: true) == [1])
        #expect(code { _ = try client.schema(id: registered.id) } == 40403)

        _ = try client.register(subject: "address", SchemaRequest(schema: #"{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"},{"name":"zip","type":"string","default":""}]}"#))
        #expect(code { _ = try client.deleteVersion(subject: "address", "1", permanent: true) } == 40407)
        #expect(try client.deleteVersion(subject: "address", "1") == 1)
        #expect(code { _ = try client.deleteVersion(subject: "address", "1") } == 40406)
        #expect(try client.versions(subject: "address") == [2])
        #expect(try client.deleteVersion(subject: "address", "1", permanent: true) == 1)
        // Version numbers are not reused after deletes.
        _ = try client.deleteVersion(subject: "address", "2")
        #expect(try client.register(subject: "address", SchemaRequest(schema: address)).version == 3)
    }

    @Test func jsonSchemasAndOddSubjects() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        let schema = #"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"a":{"type":"string"}}}"#
        let registered = try client.register(subject: "a/b ü %2F ..", SchemaRequest(schema: schema, schemaType: .json))
        #expect(try client.subjects() == ["a/b ü %2F .."])
        #expect(try client.version(subject: "a/b ü %2F ..").schemaType == .json)
        #expect(try client.schema(id: registered.id).schemaType == .json)
        #expect(code { _ = try client.register(subject: "j", SchemaRequest(schema: #"{"type":"nonsense"}"#, schemaType: .json)) } == 42201)
        #expect(try client.register(subject: "..", SchemaRequest(schema: Self.v1)).version == 1)
        #expect(try client.versions(subject: "..") == [1])
    }

    @Test func listingsContextsAndMetadata() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        _ = try client.register(subject: "a-value", SchemaRequest(schema: Self.v1))
        _ = try client.register(subject: "a-value", SchemaRequest(schema: Self.v2))
        _ = try client.register(subject: "b-value", SchemaRequest(schema: Self.v1))
        #expect(try client.allSchemas().map { "\($0.subject!):\($0.version!):\($0.id)" } == ["a-value:1:1", "a-value:2:2", "b-value:1:1"])
        #expect(try client.allSchemas(latestOnly: true).map { "\($0.subject!):\($0.version!)" } == ["a-value:2", "b-value:1"])
        #expect(try client.allSchemas(subjectPrefix: "b").count == 1)
        // Paging.
        #expect(try client.call("GET", ["subjects", "a-value", "versions"], query: ["offset": "1", "limit": "1"]) == .array([.integer(2)]))
        // A context prefix addresses qualified subjects `:.ctx:subject`.
        _ = try client.call("POST", ["contexts", ".staging", "subjects", "c-value", "versions"], body: SchemaRequest(schema: Self.v1).json)
        #expect(try client.subjects().contains(":.staging:c-value"))
        #expect(try client.contexts() == [".", ".staging"])
        #expect(try client.versions(subject: ":.staging:c-value") == [1])
        // Liveness and metadata used by Confluent's tooling.
        #expect(try client.call("GET", []) == .object(JSONObject()))
        #expect(try client.call("GET", ["v1", "metadata", "id"]).objectValue?["scope"] != nil)
        // Soft-deleted versions as negatives.
        _ = try client.deleteVersion(subject: "a-value", "1")
        #expect(try client.call("GET", ["subjects", "a-value", "versions"], query: ["deletedAsNegative": "true"]) == .array([.integer(-1), .integer(2)]))
    }

    @Test func jsonSchemaCompatibilityWithPolicy() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        let v1 = #"{"type":"object","properties":{"a":{"type":"string"}}}"#
        let v2 = #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}}"#
        _ = try client.register(subject: "j", SchemaRequest(schema: v1, schemaType: .json))
        // Adding an optional property to an open content model: incompatible under STRICT ...
        let strict = try client.compatibility(subject: "j", SchemaRequest(schema: v2, schemaType: .json))
        #expect(!strict.isCompatible && strict.messages.contains { $0.contains("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL") })
        #expect(code { _ = try client.register(subject: "j", SchemaRequest(schema: v2, schemaType: .json)) } == 40901)
        // ... accepted under LENIENT.
        try client.setCompatibilityLevel("BACKWARD", subject: "j", policy: "LENIENT")
        #expect(try client.register(subject: "j", SchemaRequest(schema: v2, schemaType: .json)).version == 2)
        // A type change is incompatible under both.
        let typeChanged = #"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}}}"#
        #expect(code { _ = try client.register(subject: "j", SchemaRequest(schema: typeChanged, schemaType: .json)) } == 40901)
        // An Avro schema under a JSON subject is refused as a different type.
        let mixed = try client.compatibility(subject: "j", SchemaRequest(schema: Self.v1))
        #expect(!mixed.isCompatible && mixed.messages.first == "Incompatible because of different schema type")
    }

    @Test func unreachableRegistryIsAClearError() throws {
        let client = RegistryClient(url: "http://127.0.0.1:1", retries: 1, backoff: 0.01)
        do {
            _ = try client.subjects()
            Issue.record("expected an error")
        } catch {
            guard case .unreachable = error else { Issue.record("expected unreachable, got \(error)"); return }
        }
    }
}
