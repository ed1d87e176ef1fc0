import AvroSchema
import Compatibility
import Foundation
import JSONDocument
import Testing
import TestSupport

/// Apicurio Registry's compatibility test data (Apache-2.0, read in place): 145 JSON Schema and 4
/// Avro cases, each an original (registered) and an updated schema with the expected outcome:
/// "backward" = BACKWARD passes and FORWARD fails, "both" = both pass, "none" = both fail.
/// Apicurio has its own JSON Schema rules; where Confluent's differ, Confluent's win, and each such
/// case is listed below with the Confluent rule that decides it.
struct ApicurioVectorTests {
    struct Case: Sendable {
        let id: String
        let expected: String
        let original: JSONValue
        let updated: JSONValue
    }

    static func cases(_ file: String) throws -> [Case] {
        let bytes = try TestPaths.read(TestPaths.vectors.appendingPathComponent("confluent/apicurio/\(file)"))
        guard case .array(let tests)? = try JSONDocument(parsing: bytes).root.objectValue?["tests"] else { return [] }
        return tests.compactMap { test in
            guard case .object(let o) = test, let id = o["id"]?.stringValue, let expected = o["compatibility"]?.stringValue,
                  let original = o["original"], let updated = o["updated"] else { return nil }
            return Case(id: id, expected: expected, original: original, updated: updated)
        }
    }

    static func outcome(backward: Bool, forward: Bool) -> String {
        switch (backward, forward) {
        case (true, true): "both"
        case (true, false): "backward"
        case (false, true): "forward"
        case (false, false): "none"
        }
    }

    /// The JSON cases where Confluent's rules give another outcome than Apicurio expects, by
    /// position in the file (ids repeat), with the outcome Confluent gives and why.
    static let confluentDisagrees: [Int: (outcome: String, rule: String)] = [
        13: ("both", "format is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        14: ("both", "format is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        26: ("both", "NumberSchemaDiff compares minimum and the draft-6+ numeric exclusiveMinimum only; draft-04's boolean exclusiveMinimum flag is not compared"),
        27: ("none", "exclusiveMinimum and minimum are separate keywords: BACKWARD finds MINIMUM_ADDED, FORWARD EXCLUSIVE_MINIMUM_ADDED, both incompatible"),
        28: ("none", "exclusiveMinimum and minimum are separate keywords: BACKWARD finds MINIMUM_ADDED, FORWARD EXCLUSIVE_MINIMUM_ADDED, both incompatible"),
        30: ("none", "draft-04 minimum+exclusive flag vs draft-07 exclusiveMinimum: BACKWARD finds EXCLUSIVE_MINIMUM_ADDED, FORWARD MINIMUM_ADDED"),
        31: ("both", "NumberSchemaDiff compares maximum and the draft-6+ numeric exclusiveMaximum only; draft-04's boolean exclusiveMaximum flag is not compared"),
        32: ("none", "exclusiveMaximum and maximum are separate keywords: BACKWARD finds MAXIMUM_ADDED, FORWARD EXCLUSIVE_MAXIMUM_ADDED, both incompatible"),
        33: ("none", "exclusiveMaximum and maximum are separate keywords: BACKWARD finds MAXIMUM_ADDED, FORWARD EXCLUSIVE_MAXIMUM_ADDED, both incompatible"),
        35: ("none", "draft-04 maximum+exclusive flag vs draft-07 exclusiveMaximum: BACKWARD finds EXCLUSIVE_MAXIMUM_ADDED, FORWARD MAXIMUM_ADDED"),
        41: ("both", "ObjectSchemaDiff.compareRequired looks only at properties declared in both `properties` maps; these schemas declare none"),
        42: ("both", "ObjectSchemaDiff.compareRequired looks only at properties declared in both `properties` maps; these schemas declare none"),
        44: ("both", "propertyNames is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        52: ("both", "patternProperties schemas are not compared; they only decide whether an added or removed declared property is covered"),
        53: ("both", "patternProperties schemas are not compared; they only decide whether an added or removed declared property is covered"),
        62: ("both", "contains is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        98: ("none", "const loads as everit's ConstSchema and enum as EnumSchema: different schema classes are TYPE_CHANGED in both directions"),
        100: ("both", "contentEncoding is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        101: ("both", "contentEncoding is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        103: ("both", "contentMediaType is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        104: ("both", "contentMediaType is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        124: ("both", "if/then/else (ConditionalSchema) is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        125: ("both", "if/then/else (ConditionalSchema) is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
        126: ("both", "if/then/else (ConditionalSchema) is not compared by Confluent's differ (SchemaDiff has no rule for it): no difference either way"),
    ]

    @Test func jsonSchemaCases() throws {
        let cases = try Self.cases("jsonschema-compatibility-test-data.json")
        #expect(cases.count == 145)
        var agree = 0
        for (index, test) in cases.enumerated() {
            let original = try JSONSchemaGraph(schema: test.original)
            let updated = try JSONSchemaGraph(schema: test.updated)
            let backward = JSONSchemaLevelChecker.check(updated, against: [original], level: .backward)
            let forward = JSONSchemaLevelChecker.check(updated, against: [original], level: .forward)
            let outcome = Self.outcome(backward: backward.isCompatible, forward: forward.isCompatible)
            if outcome == test.expected {
                agree += 1
                #expect(Self.confluentDisagrees[index] == nil, "case \(index) (\(test.id)) is listed as a disagreement but agrees")
            } else {
                let listed = Self.confluentDisagrees[index]
                #expect(listed?.outcome == outcome, "case \(index) (\(test.id)): Apicurio expects \(test.expected), Confluent's rules give \(outcome)")
            }
        }
        #expect(agree == 145 - Self.confluentDisagrees.count)
        print("Apicurio JSON Schema cases: \(agree) of \(cases.count) agree with Confluent's rules")
    }

    @Test func avroCases() throws {
        let cases = try Self.cases("avro-compatibility-test-data.json")
        #expect(cases.count == 4)
        for test in cases {
            let original = try #require(AvroParser().parse(test.original).schema, "\(test.id)")
            let updated = try #require(AvroParser().parse(test.updated).schema, "\(test.id)")
            let backward = AvroLevelChecker.check(updated, against: [original], level: .backward).isCompatible
            let forward = AvroLevelChecker.check(updated, against: [original], level: .forward).isCompatible
            #expect(Self.outcome(backward: backward, forward: forward) == test.expected, "\(test.id)")
        }
    }
}
