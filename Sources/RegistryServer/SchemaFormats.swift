import AvroSchema
import Compatibility
import Diagnostics
import Fingerprint
import JSONDocument
import JSONSchema
import RegistryModel
import SchemaConfig
import Validation

/// A schema the registry has read: its canonical text and the model compatibility needs.
struct ParsedSchema: @unchecked Sendable {
    var type: SchemaType
    var canonicalText: String
    var avro: AvroSchema?
    /// JSON Schemas, loaded with their references resolved, as Confluent's differ sees them.
    var json: JSONSchemaGraph?
}

/// Reading, checking and comparing schemas of each type, with our own engines: the strict Avro
/// parser and Java-1.12 compatibility rules, the JSON Schema validator.
enum SchemaFormats {
    /// Parses `text` as a schema of `type`, with the schemas it references (by reference name).
    /// The canonical text is the compact JSON of the document (keys sorted when `normalize`).
    static func parse(_ text: String, type: SchemaType, references: [(name: String, schema: StoredSchema)], normalize: Bool) throws(RegistryError) -> ParsedSchema {
        let document: JSONDocument
        do { document = try JSONDocument(parsing: Array(text.utf8)) } catch {
            throw .invalidSchema("the schema is not valid JSON: \(error)")
        }
        let canonical = (normalize ? sortedKeys(document.root) : document.root).compactText
        switch type {
        case .avro:
            let file = SourceFile(path: "schema.avsc", bytes: document.text)
            let context = references.enumerated().map { SourceFile(path: "reference\($0.offset).avsc", bytes: Array($0.element.schema.text.utf8)) }
            let analysis = SchemaValidator().analyze([file], context: context)[0]
            let errors = analysis.report.diagnostics.filter { $0.severity == .error }
            guard errors.isEmpty, let schema = analysis.schema else {
                throw .invalidSchema(errors.map { "\($0.message) [\($0.rule) at \($0.pointer.isEmpty ? "/" : $0.pointer)]" }.joined(separator: "; "))
            }
            return ParsedSchema(type: .avro, canonicalText: canonical, avro: schema)
        case .json:
            let errors = JSONSchemaValidator.metaSchemaErrors(of: document.root, default: .draft7)
            guard errors.isEmpty else {
                throw .invalidSchema("not a valid JSON Schema: " + errors.prefix(5).map { "\($0.instanceLocation.isEmpty ? "/" : $0.instanceLocation): \($0.error)" }.joined(separator: "; "))
            }
            var documents: [String: JSONValue] = [:]
            for reference in references {
                guard let root = try? JSONDocument(parsing: Array(reference.schema.text.utf8)).root else { continue }
                // Known by its reference name and by its own `$id`, which a `$ref` resolves against.
                documents[reference.name] = root
                if case .string(let id)? = root.objectValue?["$id"] { documents[id.hasSuffix("#") ? String(id.dropLast()) : id] = root }
            }
            do {
                return ParsedSchema(type: .json, canonicalText: canonical, json: try JSONSchemaGraph(schema: document.root, references: documents))
            } catch {
                throw .invalidSchema("the JSON Schema cannot be loaded: \(error)")
            }
        case .protobuf:
            throw .invalidSchema("PROTOBUF schemas are not supported by this registry; use AVRO or JSON")
        }
    }

    /// Identity used to give the same schema the same id: type, canonical text and references.
    static func hash(type: SchemaType, text: String, references: [SchemaReference]) -> String {
        var input = Array(type.rawValue.utf8) + [0] + Array(text.utf8)
        for reference in references { input += [0] + Array("\(reference.name)\u{0}\(reference.subject)\u{0}\(reference.version)".utf8) }
        return hexString(MD5.digest(input))
    }

    /// Messages of the first incompatible previous version (empty when compatible), with
    /// Confluent's level semantics. `previous` is oldest first.
    static func incompatibilities(new: ParsedSchema, previous: [(version: Int, schema: ParsedSchema)], level: CompatibilityLevel,
                                  policy: CompatibilityPolicy = .strict) -> [String] {
        guard level != .none, !previous.isEmpty else { return [] }
        if let other = previous.last(where: { $0.schema.type != new.type }) {
            return ["Incompatible because of different schema type", "{oldSchemaVersion: \(other.version)}"]
        }
        switch new.type {
        case .avro:
            guard let schema = new.avro else { return [] }
            let result = AvroLevelChecker.check(schema, against: previous.compactMap(\.schema.avro), level: level)
            guard let first = result.findings.first else { return [] }
            let version = previous[first.version - 1].version
            return result.findings.map { finding in
                "{errorType:\"\(finding.incompatibility.type.rawValue)\", description:\"\(finding.incompatibility.message)\", location:\"\(finding.incompatibility.location)\"}"
            } + ["{oldSchemaVersion: \(version)}", "{compatibility: '\(level.rawValue)'}"]
        case .json:
            guard let graph = new.json else { return [] }
            let result = JSONSchemaLevelChecker.check(graph, against: previous.compactMap(\.schema.json), level: level, policy: policy)
            guard let first = result.findings.first else { return [] }
            return result.findings.map { "{errorType:\"\($0.type.rawValue)\", description:\"\($0.message)\"}" }
                + ["{oldSchemaVersion: \(previous[first.version - 1].version)}", "{compatibility: '\(level.rawValue)', compatibilityPolicy: '\(policy.rawValue)'}"]
        case .protobuf:
            return []
        }
    }

    /// The level's direction against one version only (what `/compatibility/…/versions/{v}` does).
    static func singleVersionLevel(_ level: CompatibilityLevel) -> CompatibilityLevel {
        switch level {
        case .backwardTransitive: .backward
        case .forwardTransitive: .forward
        case .fullTransitive: .full
        default: level
        }
    }

    private static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(sortedKeys))
        case .object(let object):
            let members = object.members.sorted { Array($0.key.utf16).lexicographicallyPrecedes(Array($1.key.utf16)) }
            return .object(JSONObject(members.map { JSONObject.Member(key: $0.key, value: sortedKeys($0.value)) }))
        default: return value
        }
    }
}
