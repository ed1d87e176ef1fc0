import Foundation
import JSONDocument
import JSONSchema
import Testing
import TestSupport

/// schemas/deeplens and schemas/rnle: every example document behaves as its file says, and the
/// peer benchmark's rnle messages keep their verdicts.
struct ProjectJSONSchemaTests {
    static let schemas = TestPaths.packageRoot.appendingPathComponent("schemas")

    /// Every project JSON Schema, by $id, so cross-file references resolve.
    static func resources() throws -> [String: JSONValue] {
        var resources: [String: JSONValue] = [:]
        for system in ["deeplens", "rnle"] {
            let folder = schemas.appendingPathComponent(system)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") {
                let schema = try JSONDocument(parsing: TestPaths.read(folder.appendingPathComponent(name))).root
                if case .string(let id)? = schema.objectValue?["$id"] { resources[id] = schema }
            }
        }
        return resources
    }

    static func validator(_ system: String, _ topic: String, formats: Bool = false) throws -> JSONSchemaValidator {
        let schema = try JSONDocument(parsing: TestPaths.read(schemas.appendingPathComponent("\(system)/\(topic).json"))).root
        #expect(JSONSchemaValidator.metaSchemaErrors(of: schema, default: .draft7).isEmpty)
        let id = schema.objectValue?["$id"]?.stringValue ?? "urn:\(topic)"
        return try JSONSchemaValidator(schema: schema, uri: id, options: ValidatorOptions(defaultDialect: .draft7, assertFormats: formats, resources: try resources()))
    }

    static let topics: [(String, String)] = [
        ("deeplens", "images.uploaded"), ("deeplens", "images.validated"), ("deeplens", "images.processed"),
        ("deeplens", "images.indexed"), ("deeplens", "images.failed"), ("deeplens", "tenant.usage"),
        ("rnle", "rnle.commands"), ("rnle", "rnle.command-results"), ("rnle", "rnle.worker-events"),
        ("rnle", "rnle.worker-control"), ("rnle", "rnle.commands.dlq"),
    ]

    @Test(arguments: topics.map { "\($0.0)/\($0.1)" })
    func examples(_ name: String) throws {
        let parts = name.split(separator: "/").map(String.init)
        for formats in [false, true] {
            let validator = try Self.validator(parts[0], parts[1], formats: formats)
            let folder = Self.schemas.appendingPathComponent("\(parts[0])/examples")
            let valid = try JSONDocument(parsing: TestPaths.read(folder.appendingPathComponent("\(parts[1]).valid.json"))).root
            let invalid = try JSONDocument(parsing: TestPaths.read(folder.appendingPathComponent("\(parts[1]).invalid.json"))).root
            #expect((valid.arrayValue?.count ?? 0) >= 3)
            #expect((invalid.arrayValue?.count ?? 0) >= 3)
            for (i, example) in (valid.arrayValue ?? []).enumerated() {
                #expect(validator.validate(example).isEmpty, "\(name) valid example \(i): \(validator.validate(example))")
            }
            for case .object(let entry) in invalid.arrayValue ?? [] {
                let errors = validator.validate(entry["instance"] ?? .null)
                #expect(!errors.isEmpty, "\(name): \(entry["why"]?.stringValue ?? "?") passed")
            }
        }
    }

    /// The rnle messages the peer benchmarks use (../shared/peers/data).
    @Test(arguments: ["rnle.commands", "rnle.command-results", "rnle.worker-events", "rnle.worker-control"])
    func peerMessages(_ topic: String) throws {
        let data = TestPaths.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/peers/data")
        let valid = try JSONDocument(parsing: TestPaths.read(data.appendingPathComponent("\(topic).valid.json"))).root
        let invalid = try JSONDocument(parsing: TestPaths.read(data.appendingPathComponent("\(topic).invalid.json"))).root
        let annotating = try Self.validator("rnle", topic), asserting = try Self.validator("rnle", topic, formats: true)
        for instance in valid.arrayValue ?? [] {
            #expect(annotating.isValid(instance))
            #expect(asserting.isValid(instance))
        }
        for case .object(let entry) in invalid.arrayValue ?? [] {
            let instance = entry["instance"] ?? .null
            #expect(!asserting.isValid(instance), "\(entry["why"]?.stringValue ?? "")")
            if entry["formats_only"] != .bool(true) { #expect(!annotating.isValid(instance), "\(entry["why"]?.stringValue ?? "")") }
        }
    }
}
