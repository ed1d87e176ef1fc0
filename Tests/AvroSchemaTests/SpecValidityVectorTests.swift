import AvroSchema
import Foundation
import JSONDocument
import Testing
import TestSupport

/// `schema-validity-cases.json`: the verdict of the Avro 1.12 specification on 192 schemas
/// (and of 1.11 where it differs), plus whether each logical type is applied or ignored.
struct SpecValidityVectorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let spec: String
        let spec111: String?
        let logicalType: String?
        var testDescription: String { name }
    }

    /// Read with our own JSON reader, which keeps `1.0` a real (Foundation would turn it into `1`).
    static let cases: [Case] = {
        guard let bytes = try? TestPaths.read(TestPaths.vectors.appendingPathComponent("avro/schema-validity-cases.json")),
              let document = try? JSONDocument(parsing: bytes), case .array(let list) = document.root else { return [] }
        return list.compactMap { entry in
            guard case .object(let o) = entry, let name = o["name"]?.stringValue, let spec = o["spec"]?.stringValue else { return nil }
            let text = o["schema_text"]?.stringValue ?? o["schema"]?.compactText ?? ""
            return Case(name: name, text: text, spec: spec, spec111: o["spec_1_11"]?.stringValue, logicalType: o["logical_type"]?.stringValue)
        }
    }()

    /// Where the specification leaves the verdict open, what schemactl decides and why.
    static let unspecified: [String: (valid: Bool, why: String)] = [
        "namespace JSON null": (true, "treated as absent, like Java and Python; warned as AVRO_NULL_NAMESPACE"),
        "enum named ns.int": (false, "the spec says primitive names may not be defined in any namespace"),
        "null namespace inside a namespaced record via namespace \"\"": (false, "a short name resolves in the enclosing namespace only; Java's null-namespace fallback is not in the spec (same rule as the 'short reference … to a null-namespace type' case, which the spec marks invalid)"),
        "error type outside a protocol": (true, "read as a record, like Java and Python; warned as AVRO_ERROR_OUTSIDE_PROTOCOL"),
        "double default \"NaN\" string": (true, "Java's AVRO-972 extension, read by Java and Python; warned as AVRO_NONSTANDARD_DEFAULT"),
        "float default \"Infinity\" string": (true, "see NaN; warned as AVRO_NONSTANDARD_DEFAULT"),
        "enum with empty symbols": (true, "the spec does not require symbols; warned as AVRO_EMPTY_ENUM"),
        "fixed size 0": (true, "the spec does not forbid it; warned as AVRO_ZERO_SIZE_FIXED"),
    ]

    static func verdict(_ text: String, version: AvroSpecVersion) -> (valid: Bool, result: AvroParseResult?, error: String?) {
        do {
            let document = try JSONDocument(parsing: text)
            let result = AvroParser(specVersion: version).parse(document.root)
            return (!result.hasErrors, result, result.issues.filter { $0.rule.severity == .error }.map(\.message).first)
        } catch {
            return (false, nil, error.message)
        }
    }

    @Test func allCasesAreLoaded() {
        #expect(Self.cases.count == 192)
    }

    @Test(arguments: cases)
    func verdictUnder1_12(_ vector: Case) {
        let (valid, _, error) = Self.verdict(vector.text, version: .v1_12)
        let expected: Bool
        switch vector.spec {
        case "valid": expected = true
        case "invalid": expected = false
        default:
            guard let decision = Self.unspecified[vector.name] else {
                Issue.record("unspecified case without a documented decision: \(vector.name)")
                return
            }
            expected = decision.valid
        }
        #expect(valid == expected, "\(vector.name): \(error ?? "no error")")
    }

    @Test(arguments: cases.filter { $0.spec111 != nil || $0.spec != "unspecified" })
    func verdictUnder1_11(_ vector: Case) {
        let expected = (vector.spec111 ?? vector.spec) == "valid"
        let (valid, _, error) = Self.verdict(vector.text, version: .v1_11)
        // 1.11 lacks the logical types added in 1.12, which it ignores: verdicts don't change.
        #expect(valid == expected, "\(vector.name): \(error ?? "no error")")
    }

    @Test(arguments: cases.filter { $0.logicalType != nil })
    func logicalTypeAppliedOrIgnored(_ vector: Case) throws {
        let result = try #require(Self.verdict(vector.text, version: .v1_12).result)
        let schema = try #require(result.schema)
        var logical: AvroLogicalType? = nil
        switch schema.root {
        case .primitive(_, let a), .array(_, let a), .map(_, let a): logical = a.logicalType
        case .fixed(let f): logical = f.annotations.logicalType
        case .enumeration(let e): logical = e.annotations.logicalType
        case .record(let r):
            logical = r.annotations.logicalType
            if logical == nil, let field = r.fields.first, case .primitive(_, let a) = field.type { logical = a.logicalType }
        default: break
        }
        #expect((logical != nil) == (vector.logicalType == "applied"), "\(vector.name): \(String(describing: logical))")
        if vector.logicalType == "ignored" {
            // Ignored is not silent: every ignored logical type gets a warning.
            #expect(result.issues.contains { [.invalidLogicalType, .unknownLogicalType, .fieldLevelLogicalType].contains($0.rule) })
        }
    }
}
