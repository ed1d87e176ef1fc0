import AvroSchema
import Compatibility
import Foundation
import JSONDocument
import Testing
import TestSupport

/// compat-cases.json: 197 reader/writer pairs with Java 1.12 SchemaCompatibility's verdict, its
/// incompatibility types, messages and locations, in order.
struct AvroCompatibilityVectorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let reader: String
        let writer: String
        let compatible: Bool
        let expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        guard let bytes = try? TestPaths.read(TestPaths.vectors.appendingPathComponent("avro/compat-cases.json")),
              let document = try? JSONDocument(parsing: bytes), case .array(let list) = document.root else { return [] }
        return list.compactMap { entry in
            guard case .object(let o) = entry, let name = o["name"]?.stringValue, let reader = o["reader"], let writer = o["writer"],
                  case .bool(let compatible)? = o["compatible"] else { return nil }
            let expected = (o["incompatibilities"]?.arrayValue ?? []).compactMap { item -> String? in
                guard case .object(let i) = item else { return nil }
                return "\(i["type"]?.stringValue ?? "") \(i["location"]?.stringValue ?? "") \(i["message"]?.stringValue ?? "")"
            }
            return Case(name: name, reader: reader.compactText, writer: writer.compactText, compatible: compatible, expected: expected)
        }
    }()

    static func schema(_ text: String) throws -> AvroSchema {
        let result = AvroParser().parse(try JSONDocument(parsing: text).root)
        return try #require(result.schema)
    }

    @Test func allCasesAreLoaded() { #expect(Self.cases.count == 197) }

    @Test(arguments: cases)
    func matchesJava(_ vector: Case) throws {
        let found = AvroCompatibilityChecker.incompatibilities(reader: try Self.schema(vector.reader), writer: try Self.schema(vector.writer))
        #expect(found.isEmpty == vector.compatible)
        #expect(found.map { "\($0.type.rawValue) \($0.location) \($0.message)" } == vector.expected)
    }
}
