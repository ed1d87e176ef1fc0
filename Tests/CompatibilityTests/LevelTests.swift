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
}
