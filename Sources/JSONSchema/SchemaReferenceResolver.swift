import JSONDocument

/// `$ref` resolution for tools that walk schemas themselves (the compatibility differ): the same
/// indexing as the validator (`$id`, anchors, JSON pointers, per-draft rules), offline, over the
/// documents given by URI plus the built-in meta-schemas.
public final class SchemaReferenceResolver {
    /// A schema's place: which loaded document, and the JSON pointer inside it.
    public struct Location: Hashable, Sendable {
        public var document: Int
        public var pointer: JSONPointer
        public init(document: Int, pointer: JSONPointer) { self.document = document; self.pointer = pointer }
    }

    private let registry: SchemaRegistry
    /// Where the schema given to `init` starts.
    public let root: Location

    /// Indexes `schema` (retrieved from `uri`) and makes `documents` available to its references,
    /// by their URIs as given and resolved against `uri` (a Confluent schema reference's name is
    /// often relative: "address.json").
    public init(schema: JSONValue, uri: String, documents given: [String: JSONValue], defaultDialect: Dialect) throws(SchemaError) {
        var documents = given
        for (name, document) in given {
            let resolved = URIReference(uri).resolving(name).withoutFragment.description
            if documents[resolved] == nil { documents[resolved] = document }
        }
        registry = SchemaRegistry(defaultDialect: defaultDialect) { uri in
            let key = uri.hasSuffix("#") ? String(uri.dropLast()) : uri
            if let text = builtInMetaSchemas[key] { return try JSONDocument(parsing: text).root }
            return documents[key] ?? documents[uri]
        }
        do {
            let key = try registry.add(schema, uri: uri)
            root = Location(document: key.document, pointer: JSONPointer(parsing: key.pointer) ?? .root)
        } catch let error as SchemaError {
            throw error
        } catch {
            throw SchemaError("\(error)")
        }
    }

    public func value(at location: Location) -> JSONValue? {
        registry.value(at: SchemaLocationKey(document: location.document, pointer: location.pointer.description))
    }

    /// The draft in force at `location` (its document's or an embedded resource's `$schema`).
    public func dialect(at location: Location) -> Dialect {
        registry.locationInfo(SchemaLocationKey(document: location.document, pointer: location.pointer.description)).dialect
    }

    /// The schema `reference` (a `$ref` value) names, resolved against the base URI in force at
    /// `location`. Like Confluent, `#/definitions/X` and `#/$defs/X` stand in for each other.
    public func resolve(_ reference: String, at location: Location) throws(SchemaError) -> Location {
        let info = registry.locationInfo(SchemaLocationKey(document: location.document, pointer: location.pointer.description))
        var target = URIReference(info.base).resolving(reference)
        var candidates = [target]
        if let fragment = target.fragment {
            for (from, to) in [("/definitions/", "/$defs/"), ("/$defs/", "/definitions/")] where fragment.hasPrefix(from) {
                target.fragment = to + fragment.dropFirst(from.count)
                candidates.append(target)
            }
        }
        for candidate in candidates {
            let found: SchemaLocationKey?
            do { found = try registry.resolve(candidate) } catch let error as SchemaError { throw error } catch { throw SchemaError("\(error)") }
            if let found { return Location(document: found.document, pointer: JSONPointer(parsing: found.pointer) ?? .root) }
        }
        throw SchemaError("unresolved $ref \"\(reference)\": no schema or reference named \(candidates[0].description) is available", pointer: location.pointer.description)
    }
}
