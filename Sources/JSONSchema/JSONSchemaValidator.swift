import JSONDocument

/// How a validator finds schemas and treats `format`.
public struct ValidatorOptions: Sendable {
    /// The draft for schemas without `$schema`.
    public var defaultDialect: Dialect
    /// Assert `format` (by default it is an annotation, as 2019-09 and 2020-12 say).
    public var assertFormats: Bool
    /// Schemas by URI (exact URIs; `retrieve` handles prefixes and files).
    public var resources: [String: JSONValue]
    /// Fetches a schema by absolute URI (no fragment) when no resource matches; nil if unknown.
    public var retrieve: (@Sendable (String) throws -> JSONValue?)?

    public init(defaultDialect: Dialect = .draft2020_12, assertFormats: Bool = false,
                resources: [String: JSONValue] = [:], retrieve: (@Sendable (String) throws -> JSONValue?)? = nil) {
        self.defaultDialect = defaultDialect
        self.assertFormats = assertFormats
        self.resources = resources
        self.retrieve = retrieve
    }
}

/// A compiled JSON Schema, ready to validate any number of instances (from any thread).
public final class JSONSchemaValidator: @unchecked Sendable {
    public let dialect: Dialect
    private let root: SchemaNode
    private let compiler: SchemaCompiler

    /// Compiles `schema` (retrieved from `uri`, which relative references resolve against).
    public init(schema: JSONValue, uri: String = "urn:schemactl:schema", options: ValidatorOptions = ValidatorOptions()) throws(SchemaError) {
        let resources = options.resources
        let retrieve = options.retrieve
        let registry = SchemaRegistry(defaultDialect: options.defaultDialect) { uri in
            let key = uri.hasSuffix("#") ? String(uri.dropLast()) : uri
            if let text = builtInMetaSchemas[key] { return try JSONDocument(parsing: text).root }
            if let value = resources[key] ?? resources[uri] { return value }
            return try retrieve?(key)
        }
        do {
            let key = try registry.add(schema, uri: uri)
            dialect = registry.locationInfo(key).dialect
            compiler = SchemaCompiler(registry: registry, assertFormats: options.assertFormats)
            root = try compiler.compileAll(key)
        } catch let error as SchemaError {
            throw error
        } catch let error as JSONParseError {
            throw SchemaError("a referenced schema is not valid JSON: \(error)")
        } catch {
            throw SchemaError("\(error)")
        }
    }

    /// Yes or no, stopping at the first failure.
    public func isValid(_ instance: JSONValue) -> Bool {
        let evaluation = Evaluation(collect: false, compiler: compiler)
        var none: Evaluated? = nil
        return evaluation.validate(root, instance, .root, .root, &none)
    }

    /// Every failed check, in the "basic" output shape; empty when the instance is valid.
    public func validate(_ instance: JSONValue) -> [ValidationError] {
        let evaluation = Evaluation(collect: true, compiler: compiler)
        var none: Evaluated? = nil
        _ = evaluation.validate(root, instance, .root, .root, &none)
        return evaluation.errors
    }
}

extension JSONSchemaValidator {
    /// The dialect a schema declares with `$schema`, or `fallback`.
    public static func dialect(of schema: JSONValue, default fallback: Dialect) -> Dialect {
        if case .string(let uri)? = schema.objectValue?["$schema"], let dialect = Dialect(metaSchemaURI: uri) { return dialect }
        return fallback
    }

    /// One compiled meta-schema per draft, built the first time a schema of that draft is checked.
    private static let metaValidatorDraft7 = metaValidator(.draft7)
    private static let metaValidator2019 = metaValidator(.draft2019_09)
    private static let metaValidator2020 = metaValidator(.draft2020_12)

    private static func metaValidator(_ dialect: Dialect) -> JSONSchemaValidator? {
        guard let text = builtInMetaSchemas[dialect.metaSchemaURI], let document = try? JSONDocument(parsing: text) else { return nil }
        return try? JSONSchemaValidator(schema: document.root, uri: dialect.metaSchemaURI, options: ValidatorOptions(defaultDialect: dialect))
    }

    /// The schema checked against its draft's meta-schema: every way it is malformed.
    public static func metaSchemaErrors(of schema: JSONValue, default fallback: Dialect) -> [ValidationError] {
        let validator = switch dialect(of: schema, default: fallback) {
        case .draft7: metaValidatorDraft7
        case .draft2019_09: metaValidator2019
        case .draft2020_12: metaValidator2020
        }
        return validator?.validate(schema) ?? []
    }
}
