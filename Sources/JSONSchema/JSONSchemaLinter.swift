import Diagnostics
import JSONDocument

/// A lint finding about a JSON Schema document, located by JSON pointer.
public struct JSONSchemaFinding: Sendable, Hashable {
    public enum Rule: String, Sendable, CaseIterable {
        case metaSchema = "JSONSCHEMA_META_SCHEMA"
        case invalidSchema = "JSONSCHEMA_INVALID"
        case unknownKeyword = "JSONSCHEMA_UNKNOWN_KEYWORD"
        case requiredNotDefined = "JSONSCHEMA_REQUIRED_NOT_DEFINED"
        case ignoredBesideRef = "JSONSCHEMA_IGNORED_BESIDE_REF"

        public var isError: Bool { self == .metaSchema || self == .invalidSchema }

        public var summary: String {
            switch self {
            case .metaSchema: "The schema does not validate against its draft's meta-schema."
            case .invalidSchema: "The schema cannot be compiled: an unresolvable $ref, an invalid pattern, an unknown required vocabulary."
            case .unknownKeyword: "A keyword the schema's draft does not define (often a typo such as \"requried\"); it is ignored."
            case .requiredNotDefined: "\"required\" names a property that a closed object (additionalProperties: false) does not define, so no instance can be valid."
            case .ignoredBesideRef: "In draft-07 every keyword beside \"$ref\" is ignored."
            }
        }
    }

    public var rule: Rule
    public var message: String
    public var pointer: JSONPointer
    /// Point at the member's key rather than its value.
    public var atKey: Bool
}

/// Finds the mistakes the JSON Schema specification lets through: typo'd keywords, impossible
/// `required`, keywords draft-07 silently ignores beside `$ref`.
public enum JSONSchemaLinter {
    public static func lint(_ schema: JSONValue, defaultDialect: Dialect) -> [JSONSchemaFinding] {
        var findings: [JSONSchemaFinding] = []
        walk(schema, at: .root, dialect: JSONSchemaValidator.dialect(of: schema, default: defaultDialect), into: &findings)
        return findings
    }

    private static let annotationKeywords: Set<String> = ["$comment", "title", "description", "default", "examples", "deprecated",
                                                          "readOnly", "writeOnly", "contentMediaType", "contentEncoding", "contentSchema"]

    private static func walk(_ value: JSONValue, at pointer: JSONPointer, dialect: Dialect, into findings: inout [JSONSchemaFinding]) {
        guard case .object(let object) = value else { return }
        var dialect = dialect
        if case .string(let uri)? = object["$schema"], let declared = Dialect(metaSchemaURI: uri) { dialect = declared }
        let known = knownKeywords[dialect] ?? []
        for key in object.keys where !known.contains(key) && !key.hasPrefix("x-") {
            let suggestion = known.filter { !$0.hasPrefix("$") || key.hasPrefix("$") }.min { editDistance($0, key) < editDistance($1, key) }
            let hint = suggestion.flatMap { editDistance($0, key) <= 2 ? "; did you mean \"\($0)\"?" : nil } ?? ""
            findings.append(JSONSchemaFinding(rule: .unknownKeyword,
                message: "\"\(key)\" is not a JSON Schema \(dialect.rawValue == "7" ? "draft-07" : dialect.rawValue) keyword and is ignored\(hint)",
                pointer: pointer / key, atKey: true))
        }
        if dialect == .draft7, object["$ref"] != nil {
            let ignored = object.keys.filter { !["$ref", "$schema", "definitions"].contains($0) && !annotationKeywords.contains($0) && known.contains($0) }
            if !ignored.isEmpty {
                findings.append(JSONSchemaFinding(rule: .ignoredBesideRef,
                    message: "draft-07 ignores every keyword beside \"$ref\" (here: \(ignored.joined(separator: ", "))); wrap them: {\"allOf\": [{\"$ref\": …}, {…}]}",
                    pointer: pointer / ignored[0], atKey: true))
            }
        }
        if object["additionalProperties"] == .bool(false), case .array(let required)? = object["required"] {
            let defined = Set(object["properties"]?.objectValue?.keys ?? [])
            let patterns = object["patternProperties"]?.objectValue?.keys ?? []
            for (index, name) in required.compactMap(\.stringValue).enumerated() where !defined.contains(name) && patterns.isEmpty {
                findings.append(JSONSchemaFinding(rule: .requiredNotDefined,
                    message: "\"\(name)\" is required but not among the properties of this closed object (additionalProperties: false), so no instance can be valid; define it or drop it from required",
                    pointer: pointer / "required" / index, atKey: false))
            }
        }
        for member in object.members {
            let child = pointer / member.key
            switch SchemaRegistry.subschemaShape(member.key, dialect: dialect) {
            case .single: walk(member.value, at: child, dialect: dialect, into: &findings)
            case .map, .mapOfSchemaOrArray:
                for entry in member.value.objectValue?.members ?? [] { walk(entry.value, at: child / entry.key, dialect: dialect, into: &findings) }
            case .array:
                for (i, element) in (member.value.arrayValue ?? []).enumerated() { walk(element, at: child / i, dialect: dialect, into: &findings) }
            case .singleOrArray:
                if case .array(let elements) = member.value {
                    for (i, element) in elements.enumerated() { walk(element, at: child / i, dialect: dialect, into: &findings) }
                } else {
                    walk(member.value, at: child, dialect: dialect, into: &findings)
                }
            case nil: continue
            }
        }
    }

    /// The keywords each draft defines (built once, not per schema object).
    private static let knownKeywords: [Dialect: Set<String>] = Dictionary(uniqueKeysWithValues: Dialect.allCases.map { ($0, keywords(of: $0)) })

    private static func keywords(of dialect: Dialect) -> Set<String> {
        let all = ["$id", "$schema", "$ref", "$comment", "definitions", "dependencies", "$defs", "$anchor", "$vocabulary",
                   "$recursiveRef", "$recursiveAnchor", "$dynamicRef", "$dynamicAnchor", "items", "contains", "additionalProperties",
                   "properties", "patternProperties", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
                   "additionalItems", "prefixItems", "dependentSchemas", "unevaluatedItems", "unevaluatedProperties", "type", "const",
                   "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
                   "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required", "maxContains",
                   "minContains", "dependentRequired", "format", "contentMediaType", "contentEncoding", "contentSchema", "title",
                   "description", "default", "deprecated", "readOnly", "writeOnly", "examples"]
        var known = Set(all.filter { Vocabulary.of($0, in: dialect) != nil })
        known.insert("definitions") // the draft-07 home of $ref targets, still common in later drafts
        return known
    }
}
