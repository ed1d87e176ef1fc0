import JSONDocument

/// A place in a loaded document: which document, and the JSON pointer inside it.
struct SchemaLocationKey: Hashable, Sendable {
    var document: Int
    var pointer: String
}

/// What is known about a schema location from indexing: its base URI, draft and vocabularies.
struct LocationInfo: Sendable {
    var base: String
    var dialect: Dialect
    var vocabularies: Set<Vocabulary>
}

/// Why a schema cannot be used.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// JSON pointer inside the schema document, when the problem has a place.
    public var pointer: String
    public init(_ message: String, pointer: String = "") { self.message = message; self.pointer = pointer }
    public var description: String { pointer.isEmpty ? message : "\(pointer): \(message)" }
}

/// Every loaded schema document, indexed by the URIs (`$id`, `$anchor`, `$dynamicAnchor`, JSON
/// pointers) that references can name. Resolution is offline: unknown URIs go to `retrieve`,
/// which maps them to local files (or, when allowed, the network).
final class SchemaRegistry {
    private(set) var documents: [JSONValue] = []
    private(set) var resources: [String: SchemaLocationKey] = [:]
    private(set) var anchors: [String: SchemaLocationKey] = [:]
    private(set) var dynamicAnchors: [String: [String: SchemaLocationKey]] = [:]
    private(set) var recursiveAnchors: Set<String> = []
    private(set) var info: [SchemaLocationKey: LocationInfo] = [:]
    private var metaSchemaCache: [String: (Dialect, Set<Vocabulary>)] = [:]
    let defaultDialect: Dialect
    let retrieve: (String) throws -> JSONValue?

    init(defaultDialect: Dialect, retrieve: @escaping (String) throws -> JSONValue?) {
        self.defaultDialect = defaultDialect
        self.retrieve = retrieve
    }

    /// Adds a document retrieved from `uri`; returns the location of its root.
    @discardableResult
    func add(_ value: JSONValue, uri: String, dialect: Dialect? = nil) throws -> SchemaLocationKey {
        let base = URIReference(uri).withoutFragment.description
        if let existing = resources[base] { return existing }
        let id = documents.count
        documents.append(value)
        let root = SchemaLocationKey(document: id, pointer: "")
        resources[base] = root
        let rootDialect = dialect ?? defaultDialect
        try index(value, at: JSONPointer.root, document: id, base: base, dialect: rootDialect,
                  vocabularies: rootDialect.standardVocabularies, isRoot: true)
        return root
    }

    func value(at key: SchemaLocationKey) -> JSONValue? {
        documents[key.document][JSONPointer(parsing: key.pointer) ?? .root]
    }

    /// The base URI, draft and vocabularies in force at `key` (inherited from the nearest indexed
    /// ancestor when the place itself was not indexed, e.g. inside an unknown keyword).
    func locationInfo(_ key: SchemaLocationKey) -> LocationInfo {
        if let known = info[key] { return known }
        var tokens = JSONPointer(parsing: key.pointer)?.tokens ?? []
        while !tokens.isEmpty {
            tokens.removeLast()
            if let known = info[SchemaLocationKey(document: key.document, pointer: JSONPointer(tokens).description)] { return known }
        }
        return LocationInfo(base: "", dialect: defaultDialect, vocabularies: defaultDialect.standardVocabularies)
    }

    // MARK: - Resolving references

    /// The location an absolute URI reference names, loading its document when needed.
    func resolve(_ uri: URIReference) throws -> SchemaLocationKey? {
        let base = uri.withoutFragment.description
        if resources[base] == nil {
            guard let document = try retrieve(base) else { return nil }
            try add(document, uri: base)
        }
        guard let resource = resources[base] else { return nil }
        let fragment = (uri.fragment ?? "").removingPercentEncoding
        if fragment.isEmpty { return resource }
        if fragment.hasPrefix("/") {
            guard let pointer = JSONPointer(parsing: fragment) else { return nil }
            let full = resource.pointer + pointer.description
            let key = SchemaLocationKey(document: resource.document, pointer: full)
            return value(at: key) == nil ? nil : key
        }
        return anchors[base + "#" + fragment]
    }

    func dynamicAnchor(_ name: String, inResource base: String) -> SchemaLocationKey? {
        dynamicAnchors[base]?[name]
    }

    func hasRecursiveAnchor(_ base: String) -> Bool { recursiveAnchors.contains(base) }

    // MARK: - Indexing

    private func index(_ value: JSONValue, at pointer: JSONPointer, document: Int, base: String, dialect: Dialect,
                       vocabularies: Set<Vocabulary>, isRoot: Bool) throws {
        let key = SchemaLocationKey(document: document, pointer: pointer.description)
        guard case .object(let object) = value else {
            info[key] = LocationInfo(base: base, dialect: dialect, vocabularies: vocabularies)
            return
        }
        var dialect = dialect
        var vocabularies = vocabularies
        if case .string(let schemaURI)? = object["$schema"] {
            (dialect, vocabularies) = try metaSchema(schemaURI)
        }
        var base = base
        if case .string(let id)? = object["$id"] {
            let resolved = URIReference(base).resolving(id)
            if dialect == .draft7 && object["$ref"] != nil {
                // draft-07: $ref makes every sibling, $id included, be ignored.
            } else if dialect == .draft7 && id.hasPrefix("#") {
                anchors[base + id] = key
            } else {
                base = resolved.withoutFragment.description
                if resources[base] == nil { resources[base] = key }
                if dialect == .draft7, let fragment = resolved.fragment, !fragment.isEmpty {
                    anchors[base + "#" + fragment] = key
                }
            }
        }
        if dialect != .draft7 {
            if case .string(let anchor)? = object["$anchor"] { anchors[base + "#" + anchor] = key }
            if dialect == .draft2020_12, case .string(let anchor)? = object["$dynamicAnchor"] {
                anchors[base + "#" + anchor] = key
                dynamicAnchors[base, default: [:]][anchor] = key
            }
            if dialect == .draft2019_09, object["$recursiveAnchor"] == .bool(true) { recursiveAnchors.insert(base) }
        }
        info[key] = LocationInfo(base: base, dialect: dialect, vocabularies: vocabularies)
        if dialect == .draft7 && object["$ref"] != nil { return }

        for member in object.members {
            let child = pointer / member.key
            switch Self.subschemaShape(member.key, dialect: dialect) {
            case .single:
                try index(member.value, at: child, document: document, base: base, dialect: dialect, vocabularies: vocabularies, isRoot: false)
            case .map:
                guard case .object(let map) = member.value else { continue }
                for entry in map.members {
                    try index(entry.value, at: child / entry.key, document: document, base: base, dialect: dialect, vocabularies: vocabularies, isRoot: false)
                }
            case .array:
                guard case .array(let elements) = member.value else { continue }
                for (i, element) in elements.enumerated() {
                    try index(element, at: child / i, document: document, base: base, dialect: dialect, vocabularies: vocabularies, isRoot: false)
                }
            case .singleOrArray:
                if case .array(let elements) = member.value {
                    for (i, element) in elements.enumerated() {
                        try index(element, at: child / i, document: document, base: base, dialect: dialect, vocabularies: vocabularies, isRoot: false)
                    }
                } else {
                    try index(member.value, at: child, document: document, base: base, dialect: dialect, vocabularies: vocabularies, isRoot: false)
                }
            case .mapOfSchemaOrArray:
                guard case .object(let map) = member.value else { continue }
                for entry in map.members where entry.value.objectValue != nil || entry.value == .bool(true) || entry.value == .bool(false) {
                    try index(entry.value, at: child / entry.key, document: document, base: base, dialect: dialect, vocabularies: vocabularies, isRoot: false)
                }
            case nil:
                continue
            }
        }
    }

    enum SubschemaShape { case single, map, array, singleOrArray, mapOfSchemaOrArray }

    /// Where a keyword holds subschemas; nil for keywords whose values are data (const, enum,
    /// unknown keywords), which must not be indexed.
    static func subschemaShape(_ keyword: String, dialect: Dialect) -> SubschemaShape? {
        switch keyword {
        case "additionalProperties", "propertyNames", "not", "if", "then", "else", "contains", "contentSchema":
            return .single
        case "additionalItems": return dialect == .draft2020_12 ? nil : .single
        case "unevaluatedItems", "unevaluatedProperties": return dialect == .draft7 ? nil : .single
        case "properties", "patternProperties": return .map
        case "definitions": return .map
        case "$defs", "dependentSchemas": return dialect == .draft7 ? nil : .map
        case "dependencies": return .mapOfSchemaOrArray
        case "allOf", "anyOf", "oneOf": return .array
        case "prefixItems": return dialect == .draft2020_12 ? .array : nil
        case "items": return dialect == .draft2020_12 ? .single : .singleOrArray
        default: return nil
        }
    }

    /// The draft and vocabularies a `$schema` URI selects. A custom meta-schema is loaded to read
    /// its `$vocabulary`; a required vocabulary schemactl does not know is an error.
    private func metaSchema(_ uri: String) throws -> (Dialect, Set<Vocabulary>) {
        if let standard = Dialect(metaSchemaURI: uri) { return (standard, standard.standardVocabularies) }
        let base = URIReference(uri).withoutFragment.description
        if let cached = metaSchemaCache[base] { return cached }
        guard let key = try resolve(URIReference(base)), case .object(let meta)? = value(at: key) else {
            throw SchemaError("unknown meta-schema \"\(uri)\": it is not a standard draft and no resource maps it (use --resource URI=PATH)")
        }
        let dialect = info[key]?.dialect ?? defaultDialect
        var vocabularies: Set<Vocabulary> = dialect.standardVocabularies
        if dialect != .draft7, case .object(let declared)? = meta["$vocabulary"] {
            vocabularies = [.core]
            for member in declared.members {
                if let vocabulary = Vocabulary(uri: member.key) {
                    vocabularies.insert(vocabulary)
                } else if member.value == .bool(true) {
                    throw SchemaError("meta-schema \(uri) requires the vocabulary \(member.key), which schemactl does not implement")
                }
            }
        }
        metaSchemaCache[base] = (dialect, vocabularies)
        return (dialect, vocabularies)
    }
}

extension String {
    /// `%xx` sequences decoded as UTF-8 (invalid ones kept as written).
    var removingPercentEncoding: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
