import JSONDocument
import JSONSchema

/// A JSON Schema as Confluent's differ sees it: the schema "classes" of the everit library it is
/// built on. The class decides what can be compared at all (two schemas of different classes are
/// a TYPE_CHANGED), so the model follows everit's loading: `type: [a, b]` is an anyOf of one
/// schema per type, a schema with several kinds of keywords (`type` + `enum`, `allOf` + `anyOf`)
/// is an implicit allOf of one schema per kind, keywords without `type` imply their type.
final class SchemaNode {
    enum Criterion: String { case allOf, anyOf, oneOf }

    enum Shape {
        case trueSchema, falseSchema, empty
        /// A `$ref`, resolved to the place it names; the differ compares the target.
        case reference(SchemaReferenceResolver.Location)
        case string(StringFacets)
        case number(NumberFacets)
        case boolean, null
        case object(ObjectFacets)
        case array(ArrayFacets)
        case enumeration([JSONValue])
        case constant(JSONValue)
        case not(SchemaNode)
        case combined(Criterion, [SchemaNode])
        /// if/then/else: a class of its own, never compared further (as in Confluent).
        case conditional
    }

    var shape: Shape = .empty
    var id: JSONValue?
    var title: JSONValue?
    var description: JSONValue?
    /// Present (even when `null`) iff the schema has a `default`.
    var defaultValue: JSONValue?
    /// Kafka Connect's `connect.type: bytes` marker: such schemas compare equal across classes.
    var isConnectBytes = false
    /// The JSON this schema was loaded from, for de-duplicating combined subschemas.
    var json: JSONValue = .object(JSONObject())

    /// everit's class name, for the "same class?" test.
    var className: String {
        switch shape {
        case .trueSchema: "TrueSchema"
        case .falseSchema: "FalseSchema"
        case .empty: "EmptySchema"
        case .reference: "ReferenceSchema"
        case .string: "StringSchema"
        case .number: "NumberSchema"
        case .boolean: "BooleanSchema"
        case .null: "NullSchema"
        case .object: "ObjectSchema"
        case .array: "ArraySchema"
        case .enumeration: "EnumSchema"
        case .constant: "ConstSchema"
        case .not: "NotSchema"
        case .combined: "CombinedSchema"
        case .conditional: "ConditionalSchema"
        }
    }

    /// everit's `instanceof EmptySchema` (TrueSchema extends EmptySchema).
    var isEmptyOrTrue: Bool {
        switch shape { case .empty, .trueSchema: true; default: false }
    }

    var isFalse: Bool { if case .falseSchema = shape { true } else { false } }

    var combined: (criterion: Criterion, subschemas: [SchemaNode])? {
        if case .combined(let criterion, let subschemas) = shape { (criterion, subschemas) } else { nil }
    }
}

struct StringFacets {
    var maxLength: JSONValue?
    var minLength: JSONValue?
    var pattern: String?
}

struct NumberFacets {
    var maximum: JSONValue?
    var minimum: JSONValue?
    var exclusiveMaximum: JSONValue?
    var exclusiveMinimum: JSONValue?
    var multipleOf: JSONValue?
    var requiresInteger = false
}

/// An open/closed/partly open content model: `additional` (additionalProperties or, for arrays,
/// additionalItems) and the unevaluated keyword beside it.
struct ContentModel {
    var permitsAdditional = true
    var additionalSchema: SchemaNode?
    var permitsUnevaluated = true
    var unevaluatedSchema: SchemaNode?
}

struct ObjectFacets {
    var properties: [(name: String, schema: SchemaNode)] = []
    var required: [String] = []
    var patternProperties: [(pattern: String, schema: SchemaNode)] = []
    var content = ContentModel()
    /// `dependencies` (draft 7) or `dependentRequired` / `dependentSchemas` (2019-09 on): the
    /// keyword is kept so paths point at what the schema says.
    var dependencyArrays: [(name: String, properties: [String])] = []
    var dependencyArraysKeyword = "dependencies"
    var dependencySchemas: [(name: String, schema: SchemaNode)] = []
    var dependencySchemasKeyword = "dependencies"
    var maxProperties: JSONValue?
    var minProperties: JSONValue?

    func property(_ name: String) -> SchemaNode? {
        properties.first { sameCodePoints($0.name, name) }?.schema
    }
}

struct ArrayFacets {
    /// `items` as one schema for every item.
    var allItems: SchemaNode?
    /// A tuple: `items` as an array (draft 7, 2019-09) or `prefixItems` (2020-12).
    var tuple: [SchemaNode]?
    var tupleKeyword = "items"
    /// What follows a tuple: `additionalItems`, or `items` in 2020-12.
    var content = ContentModel()
    var additionalKeyword = "additionalItems"
    var maxItems: JSONValue?
    var minItems: JSONValue?
    var uniqueItems = false
    var maxContains: JSONValue?
    var minContains: JSONValue?
}
