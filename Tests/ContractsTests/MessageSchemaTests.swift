import AvroRuntime
import Contracts
import Foundation
import JSONDocument
import Testing

@Suite("message schemas of contracts")
struct MessageSchemaTests {
    let avro = """
    {"type":"record","name":"R","fields":[
      {"name":"id","type":"string"},
      {"name":"note","type":["null","string"],"default":null},
      {"name":"size","type":["null",{"type":"record","name":"Size","fields":[{"name":"w","type":"int"}]}],"default":null},
      {"name":"tags","type":{"type":"map","values":"long"}}]}
    """

    func json(_ text: String) throws -> JSONValue { try JSONDocument(parsing: Array(text.utf8)).root }

    @Test func avroDatumsArePlainJSONWithUnionBranchesInferred() throws {
        let schema = try MessageSchema.make(text: avro, isJSONSchema: false, references: [], id: 7, origin: "R.avsc")
        let datum = try json(#"{"id":"a","note":"hello","size":{"w":3},"tags":{"x":1}}"#)
        let bytes = try schema.encode(datum)
        #expect(Array(bytes.prefix(5)) == ConfluentFraming.header(schemaID: 7))
        #expect(try schema.decode(payload: bytes[5...]) == datum)
        // Defaults fill what is left out; a wrapped union value is accepted too.
        let wrapped = try schema.encode(try json(#"{"id":"b","note":{"string":"x"},"tags":{}}"#))
        #expect(try schema.decode(payload: wrapped[5...]) == json(#"{"id":"b","note":"x","size":null,"tags":{}}"#))
        #expect(schema.problems(with: try json(#"{"id":1,"tags":{}}"#)).map(\.pointer) == ["/id"])
        #expect(throws: ContractError.self) { try schema.encode(try json(#"{"id":"c"}"#)) }
    }

    @Test func jsonSchemaDatumsAreFramedJSONTextValidatedBeforeSending() throws {
        let schema = try MessageSchema.make(text: #"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","required":["taskId"],"properties":{"taskId":{"type":"string","pattern":"^[a-z0-9-]+$"}}}"#,
                                            isJSONSchema: true, references: [], id: 12, origin: "cmd.json")
        let datum = try json(#"{"taskId":"t-1","extra":[1,2.5]}"#)
        let bytes = try schema.encode(datum)
        #expect(Array(bytes.prefix(5)) == ConfluentFraming.header(schemaID: 12))
        #expect(String(decoding: bytes[5...], as: UTF8.self) == #"{"taskId":"t-1","extra":[1,2.5]}"#)
        #expect(try schema.decode(payload: bytes[5...]) == datum)
        #expect(schema.problems(with: try json(#"{"taskId":"NO"}"#)).map(\.pointer) == ["/taskId"])
        #expect(throws: ContractError.self) { try schema.decode(payload: Array("{not json".utf8)[...]) }
    }

    @Test func jsonSchemaReferencesResolveByNameAndById() throws {
        let uploaded = #"{"$id":"https://example.test/s/uploaded.json","type":"object","required":["ImageId"],"properties":{"ImageId":{"type":"string"}}}"#
        let failed = #"{"$id":"https://example.test/s/failed.json","type":"object","properties":{"ImageEvent":{"$ref":"uploaded.json"}}}"#
        let schema = try MessageSchema.make(text: failed, isJSONSchema: true, references: [("uploaded.json", uploaded)], id: nil, origin: "failed.json")
        #expect(schema.problems(with: try json(#"{"ImageEvent":{"ImageId":"x"}}"#)).isEmpty)
        #expect(schema.problems(with: try json(#"{"ImageEvent":{}}"#)).map(\.pointer) == ["/ImageEvent"])
    }
}
