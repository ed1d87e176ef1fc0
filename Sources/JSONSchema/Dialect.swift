/// The JSON Schema drafts schemactl implements.
public enum Dialect: String, Sendable, Hashable, CaseIterable {
    case draft7 = "7"
    case draft2019_09 = "2019-09"
    case draft2020_12 = "2020-12"

    public var metaSchemaURI: String {
        switch self {
        case .draft7: "http://json-schema.org/draft-07/schema"
        case .draft2019_09: "https://json-schema.org/draft/2019-09/schema"
        case .draft2020_12: "https://json-schema.org/draft/2020-12/schema"
        }
    }

    /// The draft a `$schema` URI names, if it is one of the standard meta-schemas.
    public init?(metaSchemaURI uri: String) {
        var text = uri
        if text.hasSuffix("#") { text.removeLast() }
        if text.hasPrefix("https://json-schema.org/draft-07/") || text.hasPrefix("http://json-schema.org/draft-07/") {
            if text.hasSuffix("/schema") { self = .draft7; return }
        }
        for dialect in [Dialect.draft2019_09, .draft2020_12] {
            let standard = dialect.metaSchemaURI
            if text == standard || text == standard.replacing("https://", with: "http://") { self = dialect; return }
        }
        return nil
    }

    /// Accepts `7`, `draft7`, `draft-07`, `2019-09`, `2020-12` and the meta-schema URIs.
    public init?(name: String) {
        switch name.lowercased() {
        case "7", "07", "draft7", "draft-07", "draft-7": self = .draft7
        case "2019-09", "draft2019-09", "draft-2019-09", "201909": self = .draft2019_09
        case "2020-12", "draft2020-12", "draft-2020-12", "202012": self = .draft2020_12
        default:
            guard let dialect = Dialect(metaSchemaURI: name) else { return nil }
            self = dialect
        }
    }

    /// All vocabularies of the draft's standard meta-schema.
    var standardVocabularies: Set<Vocabulary> {
        switch self {
        case .draft7: [.core, .applicator, .validation, .formatAnnotation, .content, .metaData]
        case .draft2019_09: [.core, .applicator, .validation, .formatAnnotation, .content, .metaData]
        case .draft2020_12: [.core, .applicator, .unevaluated, .validation, .formatAnnotation, .content, .metaData]
        }
    }
}

/// Keyword groups a meta-schema can switch on with `$vocabulary` (2019-09 and later).
enum Vocabulary: Hashable, Sendable {
    case core, applicator, unevaluated, validation, formatAnnotation, formatAssertion, content, metaData

    init?(uri: String) {
        let prefixes = ["https://json-schema.org/draft/2020-12/vocab/", "https://json-schema.org/draft/2019-09/vocab/"]
        guard let prefix = prefixes.first(where: { uri.hasPrefix($0) }) else { return nil }
        switch uri.dropFirst(prefix.count) {
        case "core": self = .core
        case "applicator": self = .applicator
        case "unevaluated": self = .unevaluated
        case "validation": self = .validation
        case "format": self = .formatAnnotation
        case "format-annotation": self = .formatAnnotation
        case "format-assertion": self = .formatAssertion
        case "content": self = .content
        case "meta-data": self = .metaData
        default: return nil
        }
    }

    /// The vocabulary a keyword belongs to in `dialect` (nil: not a keyword of that draft).
    static func of(_ keyword: String, in dialect: Dialect) -> Vocabulary? {
        switch keyword {
        case "$id", "$schema", "$ref", "$comment": return .core
        case "definitions": return dialect == .draft7 ? .applicator : nil
        // Kept in 2019-09 and later too, for schemas written before dependentRequired/dependentSchemas.
        case "dependencies": return .applicator
        case "$defs", "$anchor", "$vocabulary": return dialect == .draft7 ? nil : .core
        case "$recursiveRef", "$recursiveAnchor": return dialect == .draft2019_09 ? .core : nil
        case "$dynamicRef", "$dynamicAnchor": return dialect == .draft2020_12 ? .core : nil
        case "items", "contains", "additionalProperties", "properties", "patternProperties", "propertyNames",
             "if", "then", "else", "allOf", "anyOf", "oneOf", "not":
            return .applicator
        case "additionalItems": return dialect == .draft2020_12 ? nil : .applicator
        case "prefixItems": return dialect == .draft2020_12 ? .applicator : nil
        case "dependentSchemas": return dialect == .draft7 ? nil : .applicator
        case "unevaluatedItems", "unevaluatedProperties":
            switch dialect { case .draft7: return nil; case .draft2019_09: return .applicator; case .draft2020_12: return .unevaluated }
        case "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
             "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties",
             "minProperties", "required":
            return .validation
        case "maxContains", "minContains", "dependentRequired": return dialect == .draft7 ? nil : .validation
        case "format": return .formatAnnotation
        case "contentMediaType", "contentEncoding", "contentSchema": return .content
        case "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples": return .metaData
        default: return nil
        }
    }
}
