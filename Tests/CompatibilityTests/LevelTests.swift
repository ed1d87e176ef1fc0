import AvroSchema
import Compatibility
import JSONDocument
import SchemaConfig
import Testing

/// Confluent's level semantics on top of the reader/writer rule.
struct LevelTests {
    static func schema(_ fields: String) throws -> AvroSchema {
        let text = #"{"type":"record","name":"R","fields":[\#(fields)]}"#
        return try #require(AvroParser().parse(try JSONDocument(parsing: text).root).schema)
    }

    // v1: a; v2: a, b (with default); v3: a, b, c (no default) — adding c breaks BACKWARD.
    let v1 = try! schema(#"{"name":"a","type":"int"}"#)
    let v2 = try! schema(#"{"name":"a","type":"int"},{"name":"b","type":"string","default":""}"#)
    let v3 = try! schema(#"{"name":"a","type":"int"},{"name":"b","type":"string","default":""},{"name":"c","type":"long"}"#)
    let dropB = try! schema(#"{"name":"a","type":"int"}"#)

    @Test func backwardLooksAtTheLatestOnly() {
        #expect(AvroLevelChecker.check(v2, against: [v1], level: .backward).isCompatible)
        let result = AvroLevelChecker.check(v3, against: [v1, v2], level: .backward)
        #expect(result.findings.map(\.version) == [2])
        #expect(result.findings.map(\.incompatibility.type) == [.readerFieldMissingDefaultValue])
        #expect(result.findings.first?.direction == .backward)
    }

    @Test func forwardIsTheOtherDirection() {
        // The previous version reads data of a schema that dropped a field with a default: fine.
        #expect(AvroLevelChecker.check(dropB, against: [v2], level: .forward).isCompatible)
        // v1 (reader) cannot read v3's data? v1 ignores extra writer fields: compatible.
        #expect(AvroLevelChecker.check(v3, against: [v1], level: .forward).isCompatible)
        // v3 as the previous reader needs c, which v1-shaped data lacks.
        #expect(!AvroLevelChecker.check(v1, against: [v3], level: .forward).isCompatible)
    }

    @Test func transitiveChecksNewestFirstAndStopsAtTheFirstFailure() {
        let newest = try! Self.schema(#"{"name":"a","type":"long"},{"name":"c","type":"long","default":0}"#)
        let oldInt = try! Self.schema(#"{"name":"a","type":"string"}"#)
        // Latest (v2) is fine; the older string version is not, only transitive sees it.
        #expect(AvroLevelChecker.check(newest, against: [oldInt, v2], level: .backward).isCompatible)
        let transitive = AvroLevelChecker.check(newest, against: [oldInt, v1, v2], level: .backwardTransitive)
        #expect(transitive.findings.map(\.version) == [1])
        #expect(transitive.findings.first?.incompatibility.type == .typeMismatch)
    }

    @Test func fullChecksForwardThenBackward() {
        let changed = try! Self.schema(#"{"name":"a","type":"string"}"#)
        let result = AvroLevelChecker.check(changed, against: [v1], level: .full)
        #expect(result.findings.map(\.direction) == [.forward, .backward])
        #expect(AvroLevelChecker.check(changed, against: [v1], level: .none).isCompatible)
    }

    // JSON Schema through the same level semantics.
    static func json(_ text: String) throws -> JSONSchemaGraph { try JSONSchemaGraph(schema: JSONDocument(parsing: text).root) }

    @Test func jsonSchemaLevels() throws {
        let closed = try Self.json(#"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#)
        let closedWithB = try Self.json(#"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"additionalProperties":false}"#)
        let stringA = try Self.json(#"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"additionalProperties":false,"required":["b"]}"#)
        // Optional b added to a closed model: BACKWARD fine; FORWARD removes b from a closed model.
        #expect(JSONSchemaLevelChecker.check(closedWithB, against: [closed], level: .backward).isCompatible)
        let full = JSONSchemaLevelChecker.check(closedWithB, against: [closed], level: .full)
        #expect(full.findings.map(\.direction) == [.forward])
        #expect(full.findings.map(\.type) == [.propertyRemovedFromClosedContentModel])
        #expect(JSONSchemaLevelChecker.check(closedWithB, against: [closed], level: .full, policy: .lenient).isCompatible)
        // Transitive: newest first, stop at the first incompatible version.
        let plain = JSONSchemaLevelChecker.check(stringA, against: [closed, closedWithB], level: .backward)
        #expect(plain.findings.map(\.version) == [2])
        #expect(plain.findings.map(\.type) == [.requiredAttributeAdded])
        let transitive = JSONSchemaLevelChecker.check(stringA, against: [closed, closedWithB], level: .backwardTransitive)
        #expect(transitive.findings.map(\.version) == [2])
        let onlyOld = JSONSchemaLevelChecker.check(closedWithB, against: [closed, closedWithB], level: .forwardTransitive)
        #expect(onlyOld.findings.map(\.version) == [1])
        #expect(JSONSchemaLevelChecker.check(stringA, against: [closed], level: .none).isCompatible)
    }

    @Test func jsonSchemaReferencesAndRecursion() throws {
        // A $ref into another document (a Confluent schema reference) and a recursive definition.
        let address = try JSONDocument(parsing: #"{"type":"object","properties":{"street":{"type":"string"}}}"#).root
        let old = try JSONSchemaGraph(schema: JSONDocument(parsing: ##"{"type":"object","properties":{"home":{"$ref":"address.json"},"next":{"$ref":"#"}}}"##).root,
                                      uri: "file:///s/person.json", references: ["address.json": address])
        let narrowed = try JSONDocument(parsing: #"{"type":"object","properties":{"street":{"type":"string","maxLength":3}}}"#).root
        let new = try JSONSchemaGraph(schema: JSONDocument(parsing: ##"{"type":"object","properties":{"home":{"$ref":"address.json"},"next":{"$ref":"#"}}}"##).root,
                                      uri: "file:///s/person.json", references: ["address.json": narrowed])
        let result = JSONSchemaLevelChecker.check(new, against: [old], level: .backward)
        // The recursive "next" was assumed compatible while the root was in progress; the fixpoint
        // round reports the root's break there too.
        #expect(result.findings.map(\.difference.description) == ["MAX_LENGTH_ADDED #/properties/home/properties/street/maxLength",
                                                                  "MAX_LENGTH_ADDED #/properties/next/properties/home/properties/street/maxLength"])
        #expect(JSONSchemaLevelChecker.check(old, against: [old], level: .full).isCompatible)
        #expect(throws: (any Error).self) { try JSONSchemaGraph(schema: JSONDocument(parsing: #"{"$ref":"missing.json"}"#).root) }
    }
}
