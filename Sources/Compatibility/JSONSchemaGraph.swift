import JSONDocument
import JSONSchema

/// A JSON Schema loaded for comparison: every `$ref` resolved (against the schema's own
/// `$id`s, `definitions`/`$defs` and anchors, and the referenced documents given by URI), every
/// subschema classified the way everit does. Loading fails on an unresolved `$ref`, like
/// Confluent's "Unresolved $ref". A schema without `$schema` is draft-07, as in Confluent.
public final class JSONSchemaGraph: @unchecked Sendable {
    typealias Location = SchemaReferenceResolver.Location

    private let resolver: SchemaReferenceResolver
    private var nodes: [Location: SchemaNode] = [:]
    private let idKeyword: String
    private(set) var root = SchemaNode()

    /// `references` maps URIs (a Confluent schema reference's name, a file URL, an `$id`) to the
    /// documents they name.
    public init(schema: JSONValue, uri: String = "urn:schemactl:compat", references: [String: JSONValue] = [:],
                defaultDialect: Dialect = .draft7) throws(SchemaError) {
        // Confluent loads draft-04 and draft-06 with the same everit model as draft-07: stand-in
        // meta-schemas let them load as draft-07, with draft-04's `id` for `$id`.
        var documents = references
        for draft in ["draft-04", "draft-06"] where documents["http://json-schema.org/\(draft)/schema"] == nil {
            documents["http://json-schema.org/\(draft)/schema"] = .object(JSONObject())
        }
        idKeyword = schema.objectValue?["$schema"]?.stringValue?.contains("draft-04") == true ? "id" : "$id"
        resolver = try SchemaReferenceResolver(schema: schema, uri: uri, documents: documents, defaultDialect: defaultDialect)
        root = try node(at: resolver.root)
    }

    /// The schema a node stands for: references followed to their target (a chain of `$ref`s
    /// that only names itself is the empty schema).
    func target(_ node: SchemaNode) -> SchemaNode {
        var current = node
        for _ in 0..<64 {
            guard case .reference(let location) = current.shape, let next = nodes[location] else { return current }
            current = next
        }
        return SchemaNode()
    }

    private func node(at location: Location) throws(SchemaError) -> SchemaNode {
        if let known = nodes[location] { return known }
        let node = SchemaNode()
        nodes[location] = node // before loading: a recursive $ref finds it
        guard let value = resolver.value(at: location) else {
            throw SchemaError("no schema at \(location.pointer)", pointer: location.pointer.description)
        }
        try load(value, into: node, at: location, dialect: resolver.dialect(at: location))
        return node
    }

    private func load(_ value: JSONValue, into node: SchemaNode, at location: Location, dialect: Dialect) throws(SchemaError) {
        node.json = value
        let object: JSONObject
        switch value {
        case .bool(true): node.shape = .trueSchema; return
        case .bool(false): node.shape = .falseSchema; return
        case .object(let o): object = o
        default: throw SchemaError("a schema must be an object or a boolean, not \(value.typeName)", pointer: location.pointer.description)
        }
        node.id = object[idKeyword]
        node.title = object["title"]
        node.description = object["description"]
        node.defaultValue = object["default"]
        node.isConnectBytes = object["connect.type"] == .string("bytes")

        var parts: [SchemaNode.Shape] = []
        var names: [String] = []
        func add(_ shape: SchemaNode.Shape, _ name: String) { parts.append(shape); names.append(name) }

        if case .string(let reference)? = object["$ref"] {
            let target = try resolver.resolve(reference, at: location)
            _ = try self.node(at: target)
            // draft-07: $ref makes its siblings be ignored; later drafts apply both.
            if dialect == .draft7 { node.shape = .reference(target); return }
            add(.reference(target), "$ref")
        }
        if case .array(let values)? = object["enum"] { add(.enumeration(values), "enum") }
        for criterion in [SchemaNode.Criterion.allOf, .anyOf, .oneOf] {
            guard case .array(let members)? = object[criterion.rawValue] else { continue }
            var subschemas: [SchemaNode] = []
            for index in members.indices { subschemas.append(try self.node(at: child(location, criterion.rawValue, String(index)))) }
            add(.combined(criterion, subschemas), criterion.rawValue)
        }
        if object["not"] != nil { add(.not(try self.node(at: child(location, "not"))), "not") }
        if let constant = object["const"] { add(.constant(constant), "const") }

        var consumed: Set<KeywordGroup> = []
        switch object["type"] {
        case .string(let type)?:
            if let group = KeywordGroup(type: type) { consumed.insert(group) }
            add(try typed(type, object, location, dialect), type)
        case .array(let types)?:
            var subschemas: [SchemaNode] = []
            for case .string(let type) in types {
                if let group = KeywordGroup(type: type) { consumed.insert(group) }
                let part = SchemaNode()
                part.shape = try typed(type, object, location, dialect)
                part.json = .object(JSONObject(["type": .string(type), "of": value]))
                subschemas.append(part)
            }
            add(.combined(.anyOf, subschemas), "type")
        default:
            break
        }
        // Keywords of a type without `type` imply that type (everit's property sniffing).
        for group in KeywordGroup.allCases where !consumed.contains(group) && group.keywords(dialect).contains(where: { object.contains($0) }) {
            add(try typed(group.typeName, object, location, dialect), group.typeName)
        }
        if object["if"] != nil || object["then"] != nil || object["else"] != nil { add(.conditional, "if") }

        switch parts.count {
        case 0: node.shape = .empty
        case 1: node.shape = parts[0]
        default:
            let members = zip(parts, names).map { shape, name in
                let part = SchemaNode()
                part.shape = shape
                part.json = .object(JSONObject(["part": .string(name), "of": value]))
                return part
            }
            node.shape = .combined(.allOf, members)
        }
    }

    private func child(_ location: Location, _ tokens: String...) -> Location {
        var pointer = location.pointer
        for token in tokens { pointer = pointer / token }
        return Location(document: location.document, pointer: pointer)
    }

    private func typed(_ type: String, _ object: JSONObject, _ location: Location, _ dialect: Dialect) throws(SchemaError) -> SchemaNode.Shape {
        switch type {
        case "string":
            return .string(StringFacets(maxLength: object["maxLength"], minLength: object["minLength"], pattern: object["pattern"]?.stringValue))
        case "number", "integer":
            return .number(NumberFacets(maximum: object["maximum"].flatMap(Self.number), minimum: object["minimum"].flatMap(Self.number),
                                        exclusiveMaximum: object["exclusiveMaximum"].flatMap(Self.number),
                                        exclusiveMinimum: object["exclusiveMinimum"].flatMap(Self.number),
                                        multipleOf: object["multipleOf"].flatMap(Self.number), requiresInteger: type == "integer"))
        case "boolean": return .boolean
        case "null": return .null
        case "object": return .object(try objectFacets(object, location, dialect))
        case "array": return .array(try arrayFacets(object, location, dialect))
        default: throw SchemaError("unknown type \"\(type)\"", pointer: (location.pointer / "type").description)
        }
    }

    private static func number(_ value: JSONValue) -> JSONValue? { value.isNumber ? value : nil }

    private func objectFacets(_ object: JSONObject, _ location: Location, _ dialect: Dialect) throws(SchemaError) -> ObjectFacets {
        var facets = ObjectFacets()
        if case .object(let properties)? = object["properties"] {
            for member in properties.members {
                facets.properties.append((member.key, try node(at: child(location, "properties", member.key))))
            }
        }
        if case .array(let required)? = object["required"] { facets.required = required.compactMap(\.stringValue) }
        if case .object(let patterns)? = object["patternProperties"] {
            for member in patterns.members {
                facets.patternProperties.append((member.key, try node(at: child(location, "patternProperties", member.key))))
            }
        }
        facets.content = try contentModel(object, location, additional: "additionalProperties",
                                          unevaluated: dialect == .draft7 ? nil : "unevaluatedProperties")
        var dependencyKeywords = ["dependencies"]
        if dialect != .draft7 { dependencyKeywords += ["dependentRequired", "dependentSchemas"] }
        for keyword in dependencyKeywords {
            guard case .object(let dependencies)? = object[keyword] else { continue }
            for member in dependencies.members {
                if case .array(let names) = member.value {
                    facets.dependencyArrays.append((member.key, names.compactMap(\.stringValue)))
                    facets.dependencyArraysKeyword = keyword
                } else {
                    facets.dependencySchemas.append((member.key, try node(at: child(location, keyword, member.key))))
                    facets.dependencySchemasKeyword = keyword
                }
            }
        }
        facets.maxProperties = object["maxProperties"]
        facets.minProperties = object["minProperties"]
        return facets
    }

    private func arrayFacets(_ object: JSONObject, _ location: Location, _ dialect: Dialect) throws(SchemaError) -> ArrayFacets {
        var facets = ArrayFacets()
        if dialect == .draft2020_12 {
            if case .array(let prefix)? = object["prefixItems"] {
                facets.tuple = try prefix.indices.map { (index) throws(SchemaError) in try node(at: child(location, "prefixItems", String(index))) }
                facets.tupleKeyword = "prefixItems"
                facets.additionalKeyword = "items"
                facets.content = try contentModel(object, location, additional: "items", unevaluated: "unevaluatedItems")
            } else {
                if object["items"] != nil { facets.allItems = try node(at: child(location, "items")) }
                facets.content = try contentModel(object, location, additional: nil, unevaluated: "unevaluatedItems")
            }
        } else {
            if case .array(let tuple)? = object["items"] {
                facets.tuple = try tuple.indices.map { (index) throws(SchemaError) in try node(at: child(location, "items", String(index))) }
            } else if object["items"] != nil {
                facets.allItems = try node(at: child(location, "items"))
            }
            facets.content = try contentModel(object, location, additional: "additionalItems",
                                              unevaluated: dialect == .draft7 ? nil : "unevaluatedItems")
        }
        facets.maxItems = object["maxItems"]
        facets.minItems = object["minItems"]
        facets.uniqueItems = object["uniqueItems"] == .bool(true)
        if dialect != .draft7 {
            facets.maxContains = object["maxContains"]
            facets.minContains = object["minContains"]
        }
        return facets
    }

    /// `false` forbids, `true` (or absence) permits, a schema partly opens.
    private func contentModel(_ object: JSONObject, _ location: Location, additional: String?, unevaluated: String?) throws(SchemaError) -> ContentModel {
        var model = ContentModel()
        if let additional, let value = object[additional] {
            if value == .bool(false) { model.permitsAdditional = false }
            else if value != .bool(true) { model.additionalSchema = try node(at: child(location, additional)) }
        }
        if let unevaluated, let value = object[unevaluated] {
            if value == .bool(false) { model.permitsUnevaluated = false }
            else if value != .bool(true) { model.unevaluatedSchema = try node(at: child(location, unevaluated)) }
        }
        return model
    }
}

/// The keywords that make everit load a schema of a type when `type` does not say.
private enum KeywordGroup: CaseIterable {
    case object, array, number, string

    init?(type: String) {
        switch type {
        case "object": self = .object
        case "array": self = .array
        case "number", "integer": self = .number
        case "string": self = .string
        default: return nil
        }
    }

    var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .number: "number"
        case .string: "string"
        }
    }

    func keywords(_ dialect: Dialect) -> [String] {
        let later = dialect != .draft7
        switch self {
        case .object:
            return ["properties", "required", "additionalProperties", "minProperties", "maxProperties", "dependencies",
                    "patternProperties", "propertyNames"] + (later ? ["unevaluatedProperties", "dependentRequired", "dependentSchemas"] : [])
        case .array:
            return ["items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"]
                + (later ? ["prefixItems", "unevaluatedItems", "minContains", "maxContains"] : [])
        case .number: return ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
        case .string: return ["minLength", "maxLength", "pattern", "format"]
        }
    }
}
