import JSONDocument

/// The schema formats of the Confluent API. A register request without `schemaType` means AVRO.
public enum SchemaType: String, Sendable, CaseIterable {
    case avro = "AVRO", json = "JSON", protobuf = "PROTOBUF"
}

/// `{"name":…,"subject":…,"version":N}`: the name is the Avro full name or the JSON Schema `$ref`.
public struct SchemaReference: Sendable, Hashable {
    public var name: String
    public var subject: String
    /// -1 means "latest" in a request; the registry stores the concrete version.
    public var version: Int

    public init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }

    public init(json: JSONValue) throws(RegistryError) {
        guard let object = json.objectValue, let name = object["name"]?.stringValue, let subject = object["subject"]?.stringValue,
              case .integer(let version)? = object["version"] else {
            throw .invalidSchema("each reference needs a string name, a string subject and an integer version")
        }
        self.init(name: name, subject: subject, version: Int(version))
    }

    public var json: JSONValue {
        .object(JSONObject(["name": .string(name), "subject": .string(subject), "version": .integer(Int64(version))]))
    }
}

/// The body of register, lookup and compatibility requests.
public struct SchemaRequest: Sendable {
    public var schema: String
    public var schemaType: SchemaType
    public var references: [SchemaReference]
    /// Only in IMPORT mode: the id and version to keep.
    public var id: Int?
    public var version: Int?

    public init(schema: String, schemaType: SchemaType = .avro, references: [SchemaReference] = [], id: Int? = nil, version: Int? = nil) {
        self.schema = schema
        self.schemaType = schemaType
        self.references = references
        self.id = id
        self.version = version
    }

    public init(json: JSONValue) throws(RegistryError) {
        guard let object = json.objectValue else { throw .badRequest("the body must be a JSON object with a \"schema\" string") }
        guard let schema = object["schema"]?.stringValue else { throw .invalidSchema("the request has no \"schema\" string") }
        var type = SchemaType.avro
        if let name = object["schemaType"], name != .null {
            guard let text = name.stringValue, let known = SchemaType(rawValue: text.uppercased()) else {
                throw .invalidSchema("unknown schemaType \(name.compactText); use AVRO, JSON or PROTOBUF")
            }
            type = known
        }
        var references: [SchemaReference] = []
        if let list = object["references"], list != .null {
            guard let items = list.arrayValue else { throw .invalidSchema("\"references\" must be an array") }
            for item in items { references.append(try SchemaReference(json: item)) }
        }
        func integer(_ key: String) throws(RegistryError) -> Int? {
            guard let value = object[key], value != .null else { return nil }
            guard case .integer(let n) = value else { throw .invalidSchema("\"\(key)\" must be an integer") }
            return Int(n)
        }
        self.init(schema: schema, schemaType: type, references: references, id: try integer("id"), version: try integer("version"))
        if id == -1 { id = nil }
        if version == -1 { version = nil }
    }

    public var json: JSONValue {
        var object = JSONObject(["schema": .string(schema), "schemaType": .string(schemaType.rawValue)])
        if !references.isEmpty { object.append("references", .array(references.map(\.json))) }
        if let id { object.append("id", .integer(Int64(id))) }
        if let version { object.append("version", .integer(Int64(version))) }
        return .object(object)
    }
}

/// A schema as the registry returns it: by id (`subject`/`version` absent) or as a subject version.
public struct RegisteredSchema: Sendable, Hashable {
    public var subject: String?
    public var version: Int?
    public var id: Int
    public var schemaType: SchemaType
    public var schema: String
    public var references: [SchemaReference]
    public var deleted: Bool

    public init(subject: String? = nil, version: Int? = nil, id: Int, schemaType: SchemaType, schema: String, references: [SchemaReference] = [], deleted: Bool = false) {
        self.subject = subject
        self.version = version
        self.id = id
        self.schemaType = schemaType
        self.schema = schema
        self.references = references
        self.deleted = deleted
    }

    /// Tolerant of server versions: `schemaType` absent means AVRO, `id` may be absent in
    /// by-id answers (it is then `knownID`), unknown properties are ignored.
    public init(json: JSONValue, knownID: Int? = nil) throws(RegistryError) {
        guard let object = json.objectValue, let schema = object["schema"]?.stringValue else {
            throw .unreadableResponse("expected a schema object, got \(json.compactText.prefix(200))")
        }
        var id = knownID
        if case .integer(let n)? = object["id"] { id = Int(n) }
        guard let id else { throw .unreadableResponse("the schema object has no id") }
        var version: Int?
        if case .integer(let n)? = object["version"] { version = Int(n) }
        let type = object["schemaType"]?.stringValue.flatMap { SchemaType(rawValue: $0.uppercased()) } ?? .avro
        var references: [SchemaReference] = []
        for item in object["references"]?.arrayValue ?? [] { references.append(try SchemaReference(json: item)) }
        var deleted = false
        if case .bool(let flag)? = object["deleted"] { deleted = flag }
        self.init(subject: object["subject"]?.stringValue, version: version, id: id, schemaType: type, schema: schema, references: references, deleted: deleted)
    }

    public var json: JSONValue {
        var object = JSONObject()
        if let subject { object.append("subject", .string(subject)) }
        if let version { object.append("version", .integer(Int64(version))) }
        object.append("id", .integer(Int64(id)))
        object.append("schemaType", .string(schemaType.rawValue))
        if !references.isEmpty { object.append("references", .array(references.map(\.json))) }
        object.append("schema", .string(schema))
        if deleted { object.append("deleted", .bool(true)) }
        return .object(object)
    }
}

/// Registry modes: READWRITE (default), READONLY, IMPORT (ids kept as given, no compatibility check).
public enum RegistryMode: String, Sendable, CaseIterable {
    case readWrite = "READWRITE", readOnly = "READONLY", readOnlyOverride = "READONLY_OVERRIDE", importing = "IMPORT"
}
