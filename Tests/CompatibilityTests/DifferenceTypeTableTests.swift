import Compatibility
import JSONDocument
import SchemaConfig
import Testing

/// One row per Confluent difference type (all 132): a pair of schemas that produces it, every
/// difference the pair produces (in order), and the verdict under STRICT and under LENIENT. The
/// types Confluent never emits have no pair; their rows check the policy tables instead.
struct DifferenceTypeTableTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let type: JSONSchemaDifferenceType
        let original: String?
        let update: String?
        let differences: [String]
        let strict: Bool
        let lenient: Bool
        let note: String?
        var testDescription: String { type.rawValue }

        init(_ type: JSONSchemaDifferenceType, _ original: String?, _ update: String?, _ differences: [String],
             strict: Bool, lenient: Bool, note: String? = nil) {
            self.type = type
            self.original = original
            self.update = update
            self.differences = differences
            self.strict = strict
            self.lenient = lenient
            self.note = note
        }
    }

    static let rows: [Row] = [
        Row(.idChanged, #"{"type":"string","$id":"urn:a"}"#, #"{"type":"string","$id":"urn:b"}"#, ["ID_CHANGED #/"], strict: true, lenient: true),
        Row(.descriptionChanged, #"{"type":"string","description":"a"}"#, #"{"type":"string","description":"b"}"#, ["DESCRIPTION_CHANGED #/"], strict: true, lenient: true),
        Row(.titleChanged, #"{"type":"string","title":"a"}"#, #"{"type":"string","title":"b"}"#, ["TITLE_CHANGED #/"], strict: true, lenient: true),
        Row(.defaultChanged, #"{"type":"string","default":"a"}"#, #"{"type":"string","default":"b"}"#, ["DEFAULT_CHANGED #/"], strict: true, lenient: true),
        Row(.schemaAdded, #"{"type":"array"}"#, #"{"type":"array","items":{"type":"string"}}"#, ["SCHEMA_ADDED #/items"], strict: false, lenient: false),
        Row(.schemaRemoved, #"{"type":"array","items":{"type":"string"}}"#, #"{"type":"array"}"#, ["SCHEMA_REMOVED #/items"], strict: true, lenient: true),
        Row(.typeExtended, #"{"type":"integer"}"#, #"{"type":"number"}"#, ["TYPE_EXTENDED #/"], strict: true, lenient: true),
        Row(.typeNarrowed, #"{"type":"number"}"#, #"{"type":"integer"}"#, ["TYPE_NARROWED #/"], strict: false, lenient: false),
        Row(.typeChanged, #"{"type":"string"}"#, #"{"type":"number"}"#, ["TYPE_CHANGED #/"], strict: false, lenient: false),
        Row(.maxLengthAdded, #"{"type":"string"}"#, #"{"type":"string","maxLength":5}"#, ["MAX_LENGTH_ADDED #/maxLength"], strict: false, lenient: false),
        Row(.maxLengthRemoved, #"{"type":"string","maxLength":5}"#, #"{"type":"string"}"#, ["MAX_LENGTH_REMOVED #/maxLength"], strict: true, lenient: true),
        Row(.maxLengthIncreased, #"{"type":"string","maxLength":5}"#, #"{"type":"string","maxLength":6}"#, ["MAX_LENGTH_INCREASED #/maxLength"], strict: true, lenient: true),
        Row(.maxLengthDecreased, #"{"type":"string","maxLength":5}"#, #"{"type":"string","maxLength":4}"#, ["MAX_LENGTH_DECREASED #/maxLength"], strict: false, lenient: false),
        Row(.minLengthAdded, #"{"type":"string"}"#, #"{"type":"string","minLength":5}"#, ["MIN_LENGTH_ADDED #/minLength"], strict: false, lenient: false),
        Row(.minLengthRemoved, #"{"type":"string","minLength":5}"#, #"{"type":"string"}"#, ["MIN_LENGTH_REMOVED #/minLength"], strict: true, lenient: true),
        Row(.minLengthIncreased, #"{"type":"string","minLength":5}"#, #"{"type":"string","minLength":6}"#, ["MIN_LENGTH_INCREASED #/minLength"], strict: false, lenient: false),
        Row(.minLengthDecreased, #"{"type":"string","minLength":5}"#, #"{"type":"string","minLength":4}"#, ["MIN_LENGTH_DECREASED #/minLength"], strict: true, lenient: true),
        Row(.patternAdded, #"{"type":"string"}"#, #"{"type":"string","pattern":"^a"}"#, ["PATTERN_ADDED #/pattern"], strict: false, lenient: false),
        Row(.patternRemoved, #"{"type":"string","pattern":"^a"}"#, #"{"type":"string"}"#, ["PATTERN_REMOVED #/pattern"], strict: true, lenient: true),
        Row(.patternChanged, #"{"type":"string","pattern":"^a"}"#, #"{"type":"string","pattern":"^a|^b"}"#, ["PATTERN_CHANGED #/pattern"], strict: false, lenient: false, note: "any change of the regex text, even a wider one"),
        Row(.maximumAdded, #"{"type":"number"}"#, #"{"type":"number","maximum":10}"#, ["MAXIMUM_ADDED #/maximum"], strict: false, lenient: false),
        Row(.maximumRemoved, #"{"type":"number","maximum":10}"#, #"{"type":"number"}"#, ["MAXIMUM_REMOVED #/maximum"], strict: true, lenient: true),
        Row(.maximumIncreased, #"{"type":"number","maximum":10}"#, #"{"type":"number","maximum":11.5}"#, ["MAXIMUM_INCREASED #/maximum"], strict: true, lenient: true),
        Row(.maximumDecreased, #"{"type":"number","maximum":10}"#, #"{"type":"number","maximum":9}"#, ["MAXIMUM_DECREASED #/maximum"], strict: false, lenient: false),
        Row(.minimumAdded, #"{"type":"number"}"#, #"{"type":"number","minimum":10}"#, ["MINIMUM_ADDED #/minimum"], strict: false, lenient: false),
        Row(.minimumRemoved, #"{"type":"number","minimum":10}"#, #"{"type":"number"}"#, ["MINIMUM_REMOVED #/minimum"], strict: true, lenient: true),
        Row(.minimumIncreased, #"{"type":"number","minimum":10}"#, #"{"type":"number","minimum":11.5}"#, ["MINIMUM_INCREASED #/minimum"], strict: false, lenient: false),
        Row(.minimumDecreased, #"{"type":"number","minimum":10}"#, #"{"type":"number","minimum":9}"#, ["MINIMUM_DECREASED #/minimum"], strict: true, lenient: true),
        Row(.exclusiveMaximumAdded, #"{"type":"number"}"#, #"{"type":"number","exclusiveMaximum":10}"#, ["EXCLUSIVE_MAXIMUM_ADDED #/exclusiveMaximum"], strict: false, lenient: false),
        Row(.exclusiveMaximumRemoved, #"{"type":"number","exclusiveMaximum":10}"#, #"{"type":"number"}"#, ["EXCLUSIVE_MAXIMUM_REMOVED #/exclusiveMaximum"], strict: true, lenient: true),
        Row(.exclusiveMaximumIncreased, #"{"type":"number","exclusiveMaximum":10}"#, #"{"type":"number","exclusiveMaximum":11.5}"#, ["EXCLUSIVE_MAXIMUM_INCREASED #/exclusiveMaximum"], strict: true, lenient: true),
        Row(.exclusiveMaximumDecreased, #"{"type":"number","exclusiveMaximum":10}"#, #"{"type":"number","exclusiveMaximum":9}"#, ["EXCLUSIVE_MAXIMUM_DECREASED #/exclusiveMaximum"], strict: false, lenient: false),
        Row(.exclusiveMinimumAdded, #"{"type":"number"}"#, #"{"type":"number","exclusiveMinimum":10}"#, ["EXCLUSIVE_MINIMUM_ADDED #/exclusiveMinimum"], strict: false, lenient: false),
        Row(.exclusiveMinimumRemoved, #"{"type":"number","exclusiveMinimum":10}"#, #"{"type":"number"}"#, ["EXCLUSIVE_MINIMUM_REMOVED #/exclusiveMinimum"], strict: true, lenient: true),
        Row(.exclusiveMinimumIncreased, #"{"type":"number","exclusiveMinimum":10}"#, #"{"type":"number","exclusiveMinimum":11.5}"#, ["EXCLUSIVE_MINIMUM_INCREASED #/exclusiveMinimum"], strict: false, lenient: false),
        Row(.exclusiveMinimumDecreased, #"{"type":"number","exclusiveMinimum":10}"#, #"{"type":"number","exclusiveMinimum":9}"#, ["EXCLUSIVE_MINIMUM_DECREASED #/exclusiveMinimum"], strict: true, lenient: true),
        Row(.multipleOfAdded, #"{"type":"number"}"#, #"{"type":"number","multipleOf":2}"#, ["MULTIPLE_OF_ADDED #/multipleOf"], strict: false, lenient: false),
        Row(.multipleOfRemoved, #"{"type":"number","multipleOf":2}"#, #"{"type":"number"}"#, ["MULTIPLE_OF_REMOVED #/multipleOf"], strict: true, lenient: true),
        Row(.multipleOfExpanded, #"{"type":"number","multipleOf":0.5}"#, #"{"type":"number","multipleOf":1.5}"#, ["MULTIPLE_OF_EXPANDED #/multipleOf"], strict: false, lenient: false, note: "compared exactly: 1.5 is 3 × 0.5"),
        Row(.multipleOfReduced, #"{"type":"number","multipleOf":4}"#, #"{"type":"number","multipleOf":2}"#, ["MULTIPLE_OF_REDUCED #/multipleOf"], strict: true, lenient: true),
        Row(.multipleOfChanged, #"{"type":"number","multipleOf":2}"#, #"{"type":"number","multipleOf":3}"#, ["MULTIPLE_OF_CHANGED #/multipleOf"], strict: false, lenient: false),
        Row(.requiredAttributeAdded, #"{"type":"object","properties":{"a":{"type":"string"}}}"#, #"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#, ["REQUIRED_ATTRIBUTE_ADDED #/required/a"], strict: false, lenient: false),
        Row(.requiredAttributeWithDefaultAdded, #"{"type":"object","properties":{"a":{"type":"string","default":"x"}}}"#, #"{"type":"object","properties":{"a":{"type":"string","default":"x"}},"required":["a"]}"#, ["REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/a"], strict: true, lenient: true),
        Row(.requiredAttributeRemoved, #"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#, #"{"type":"object","properties":{"a":{"type":"string"}}}"#, ["REQUIRED_ATTRIBUTE_REMOVED #/required/a"], strict: true, lenient: true),
        Row(.maxPropertiesAdded, #"{"type":"object"}"#, #"{"type":"object","maxProperties":3}"#, ["MAX_PROPERTIES_ADDED #/maxProperties"], strict: false, lenient: false),
        Row(.maxPropertiesRemoved, #"{"type":"object","maxProperties":3}"#, #"{"type":"object"}"#, ["MAX_PROPERTIES_REMOVED #/maxProperties"], strict: true, lenient: true),
        Row(.maxPropertiesIncreased, #"{"type":"object","maxProperties":3}"#, #"{"type":"object","maxProperties":4}"#, ["MAX_PROPERTIES_INCREASED #/maxProperties"], strict: true, lenient: true),
        Row(.maxPropertiesDecreased, #"{"type":"object","maxProperties":3}"#, #"{"type":"object","maxProperties":2}"#, ["MAX_PROPERTIES_DECREASED #/maxProperties"], strict: false, lenient: false),
        Row(.minPropertiesAdded, #"{"type":"object"}"#, #"{"type":"object","minProperties":3}"#, ["MIN_PROPERTIES_ADDED #/minProperties"], strict: false, lenient: false),
        Row(.minPropertiesRemoved, #"{"type":"object","minProperties":3}"#, #"{"type":"object"}"#, ["MIN_PROPERTIES_REMOVED #/minProperties"], strict: true, lenient: true),
        Row(.minPropertiesIncreased, #"{"type":"object","minProperties":3}"#, #"{"type":"object","minProperties":4}"#, ["MIN_PROPERTIES_INCREASED #/minProperties"], strict: false, lenient: false),
        Row(.minPropertiesDecreased, #"{"type":"object","minProperties":3}"#, #"{"type":"object","minProperties":2}"#, ["MIN_PROPERTIES_DECREASED #/minProperties"], strict: true, lenient: true),
        Row(.maxItemsAdded, #"{"type":"array"}"#, #"{"type":"array","maxItems":3}"#, ["MAX_ITEMS_ADDED #/maxItems"], strict: false, lenient: false),
        Row(.maxItemsRemoved, #"{"type":"array","maxItems":3}"#, #"{"type":"array"}"#, ["MAX_ITEMS_REMOVED #/maxItems"], strict: true, lenient: true),
        Row(.maxItemsIncreased, #"{"type":"array","maxItems":3}"#, #"{"type":"array","maxItems":4}"#, ["MAX_ITEMS_INCREASED #/maxItems"], strict: true, lenient: true),
        Row(.maxItemsDecreased, #"{"type":"array","maxItems":3}"#, #"{"type":"array","maxItems":2}"#, ["MAX_ITEMS_DECREASED #/maxItems"], strict: false, lenient: false),
        Row(.minItemsAdded, #"{"type":"array"}"#, #"{"type":"array","minItems":3}"#, ["MIN_ITEMS_ADDED #/minItems"], strict: false, lenient: false),
        Row(.minItemsRemoved, #"{"type":"array","minItems":3}"#, #"{"type":"array"}"#, ["MIN_ITEMS_REMOVED #/minItems"], strict: true, lenient: true),
        Row(.minItemsIncreased, #"{"type":"array","minItems":3}"#, #"{"type":"array","minItems":4}"#, ["MIN_ITEMS_INCREASED #/minItems"], strict: false, lenient: false),
        Row(.minItemsDecreased, #"{"type":"array","minItems":3}"#, #"{"type":"array","minItems":2}"#, ["MIN_ITEMS_DECREASED #/minItems"], strict: true, lenient: true),
        Row(.maxContainsAdded, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"}}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"maxContains":3}"#, ["MAX_CONTAINS_ADDED #/maxContains"], strict: false, lenient: false),
        Row(.maxContainsRemoved, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"maxContains":3}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"}}"#, ["MAX_CONTAINS_REMOVED #/maxContains"], strict: true, lenient: true),
        Row(.maxContainsIncreased, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"maxContains":3}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"maxContains":4}"#, ["MAX_CONTAINS_INCREASED #/maxContains"], strict: true, lenient: true),
        Row(.maxContainsDecreased, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"maxContains":3}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"maxContains":2}"#, ["MAX_CONTAINS_DECREASED #/maxContains"], strict: false, lenient: false),
        Row(.minContainsAdded, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"}}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"minContains":3}"#, ["MIN_CONTAINS_ADDED #/minContains"], strict: false, lenient: false),
        Row(.minContainsRemoved, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"minContains":3}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"}}"#, ["MIN_CONTAINS_REMOVED #/minContains"], strict: true, lenient: true),
        Row(.minContainsIncreased, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"minContains":3}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"minContains":4}"#, ["MIN_CONTAINS_INCREASED #/minContains"], strict: false, lenient: false),
        Row(.minContainsDecreased, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"minContains":3}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","contains":{"type":"string"},"minContains":2}"#, ["MIN_CONTAINS_DECREASED #/minContains"], strict: true, lenient: true),
        Row(.additionalPropertiesAdded, #"{"type":"object","additionalProperties":false}"#, #"{"type":"object"}"#, ["ADDITIONAL_PROPERTIES_ADDED #/additionalProperties"], strict: true, lenient: true),
        Row(.additionalPropertiesRemoved, #"{"type":"object"}"#, #"{"type":"object","additionalProperties":false}"#, ["ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties"], strict: false, lenient: true),
        Row(.additionalPropertiesExtended, #"{"type":"object","additionalProperties":{"type":"string"}}"#, #"{"type":"object"}"#, ["ADDITIONAL_PROPERTIES_EXTENDED #/additionalProperties"], strict: true, lenient: true),
        Row(.additionalPropertiesNarrowed, #"{"type":"object"}"#, #"{"type":"object","additionalProperties":{"type":"string"}}"#, ["ADDITIONAL_PROPERTIES_NARROWED #/additionalProperties"], strict: false, lenient: true),
        Row(.dependencyArrayAdded, #"{"type":"object"}"#, #"{"type":"object","dependencies":{"a":["b"]}}"#, ["DEPENDENCY_ARRAY_ADDED #/dependencies/a"], strict: false, lenient: false),
        Row(.dependencyArrayRemoved, #"{"type":"object","dependencies":{"a":["b"]}}"#, #"{"type":"object"}"#, ["DEPENDENCY_ARRAY_REMOVED #/dependencies/a"], strict: true, lenient: true),
        Row(.dependencyArrayExtended, #"{"type":"object","dependencies":{"a":["b"]}}"#, #"{"type":"object","dependencies":{"a":["b","c"]}}"#, ["DEPENDENCY_ARRAY_EXTENDED #/dependencies/a"], strict: false, lenient: false),
        Row(.dependencyArrayNarrowed, #"{"type":"object","dependencies":{"a":["b","c"]}}"#, #"{"type":"object","dependencies":{"a":["b"]}}"#, ["DEPENDENCY_ARRAY_NARROWED #/dependencies/a"], strict: true, lenient: true),
        Row(.dependencyArrayChanged, #"{"type":"object","dependencies":{"a":["b"]}}"#, #"{"type":"object","dependencies":{"a":["c"]}}"#, ["DEPENDENCY_ARRAY_CHANGED #/dependencies/a"], strict: false, lenient: false),
        Row(.dependencySchemaAdded, #"{"type":"object"}"#, #"{"type":"object","dependencies":{"a":{"required":["b"]}}}"#, ["DEPENDENCY_SCHEMA_ADDED #/dependencies/a"], strict: false, lenient: false),
        Row(.dependencySchemaRemoved, #"{"type":"object","dependencies":{"a":{"required":["b"]}}}"#, #"{"type":"object"}"#, ["DEPENDENCY_SCHEMA_REMOVED #/dependencies/a"], strict: true, lenient: true),
        Row(.propertyAddedToOpenContentModel, nil, nil, [], strict: false, lenient: false, note: "deprecated: split into REQUIRED_/REQUIRED_WITH_DEFAULT_/OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL and no longer emitted"),
        Row(.requiredPropertyAddedToOpenContentModel, #"{"type":"object"}"#, #"{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}"#, ["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"], strict: false, lenient: false),
        Row(.requiredPropertyWithDefaultAddedToOpenContentModel, #"{"type":"object"}"#, #"{"type":"object","properties":{"b":{"type":"string","default":""}},"required":["b"]}"#, ["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"], strict: false, lenient: true),
        Row(.optionalPropertyAddedToOpenContentModel, #"{"type":"object"}"#, #"{"type":"object","properties":{"b":{"type":"string"}}}"#, ["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"], strict: false, lenient: true, note: "the #1 surprise: old data may hold b with any value"),
        Row(.propertyWithEmptySchemaAddedToOpenContentModel, #"{"type":"object"}"#, #"{"type":"object","properties":{"b":{}}}"#, ["PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/properties/b"], strict: true, lenient: true),
        Row(.requiredPropertyAddedToUnopenContentModel, #"{"type":"object","additionalProperties":false}"#, #"{"type":"object","properties":{"b":{"type":"string"}},"required":["b"],"additionalProperties":false}"#, ["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"], strict: false, lenient: false),
        Row(.requiredPropertyWithDefaultAddedToUnopenContentModel, #"{"type":"object","additionalProperties":false}"#, #"{"type":"object","properties":{"b":{"type":"string","default":""}},"required":["b"],"additionalProperties":false}"#, ["REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"], strict: true, lenient: true),
        Row(.optionalPropertyAddedToUnopenContentModel, #"{"type":"object","additionalProperties":false}"#, #"{"type":"object","properties":{"b":{"type":"string"}},"additionalProperties":false}"#, ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"], strict: true, lenient: true),
        Row(.propertyRemovedFromOpenContentModel, #"{"type":"object","properties":{"a":{"type":"string"}}}"#, #"{"type":"object"}"#, ["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/a"], strict: true, lenient: true),
        Row(.propertyWithFalseRemovedFromClosedContentModel, #"{"type":"object","properties":{"a":false},"additionalProperties":false}"#, #"{"type":"object","additionalProperties":false}"#, ["PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a"], strict: true, lenient: true),
        Row(.propertyRemovedFromClosedContentModel, #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#, #"{"type":"object","additionalProperties":false}"#, ["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a"], strict: false, lenient: true),
        Row(.propertyRemovedIsCoveredByPartiallyOpenContentModel, #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}"#, #"{"type":"object","additionalProperties":{"type":"string"}}"#, ["PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/a"], strict: true, lenient: true),
        Row(.propertyRemovedNotCoveredByPartiallyOpenContentModel, #"{"type":"object","properties":{"a":{"type":"number"}},"patternProperties":{"^a":{"type":"string"}}}"#, #"{"type":"object","patternProperties":{"^a":{"type":"string"}}}"#, ["PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/a"], strict: false, lenient: true, note: "covered by patternProperties ^a, whose schema does not accept a's"),
        Row(.propertyAddedIsCoveredByPartiallyOpenContentModel, #"{"type":"object","additionalProperties":{"type":"string"}}"#, #"{"type":"object","properties":{"b":{"type":"string"}},"additionalProperties":{"type":"string"}}"#, ["PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/b", "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"], strict: true, lenient: true),
        Row(.propertyAddedNotCoveredByPartiallyOpenContentModel, #"{"type":"object","additionalProperties":{"type":"string"}}"#, #"{"type":"object","properties":{"b":{"type":"number"}},"additionalProperties":{"type":"string"}}"#, ["PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/b", "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/b"], strict: false, lenient: true),
        Row(.reservedPropertyRemoved, nil, nil, [], strict: false, lenient: false, note: "never emitted by the differ: reserved properties (confluent:reserved metadata) are checked by the registry core"),
        Row(.reservedPropertyConflictsWithProperty, nil, nil, [], strict: false, lenient: false, note: "never emitted by the differ: reserved properties (confluent:reserved metadata) are checked by the registry core"),
        Row(.unevaluatedPropertiesAdded, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","unevaluatedProperties":false}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}"#, ["UNEVALUATED_PROPERTIES_ADDED #/unevaluatedProperties"], strict: true, lenient: true),
        Row(.unevaluatedPropertiesRemoved, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","unevaluatedProperties":false}"#, ["UNEVALUATED_PROPERTIES_REMOVED #/unevaluatedProperties"], strict: false, lenient: true),
        Row(.unevaluatedPropertiesExtended, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","unevaluatedProperties":{"type":"string"}}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}"#, ["UNEVALUATED_PROPERTIES_EXTENDED #/unevaluatedProperties"], strict: true, lenient: true),
        Row(.unevaluatedPropertiesNarrowed, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","unevaluatedProperties":{"type":"string"}}"#, ["UNEVALUATED_PROPERTIES_NARROWED #/unevaluatedProperties"], strict: false, lenient: true),
        Row(.uniqueItemsAdded, #"{"type":"array"}"#, #"{"type":"array","uniqueItems":true}"#, ["UNIQUE_ITEMS_ADDED #/uniqueItems"], strict: false, lenient: false),
        Row(.uniqueItemsRemoved, #"{"type":"array","uniqueItems":true}"#, #"{"type":"array"}"#, ["UNIQUE_ITEMS_REMOVED #/uniqueItems"], strict: true, lenient: true),
        Row(.additionalItemsAdded, #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#, #"{"type":"array","items":[{"type":"string"}]}"#, ["ADDITIONAL_ITEMS_ADDED #/additionalItems"], strict: true, lenient: true),
        Row(.additionalItemsRemoved, #"{"type":"array","items":[{"type":"string"}]}"#, #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#, ["ADDITIONAL_ITEMS_REMOVED #/additionalItems"], strict: false, lenient: false),
        Row(.additionalItemsExtended, #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"string"}}"#, #"{"type":"array","items":[{"type":"string"}]}"#, ["ADDITIONAL_ITEMS_EXTENDED #/additionalItems"], strict: true, lenient: true),
        Row(.additionalItemsNarrowed, #"{"type":"array","items":[{"type":"string"}]}"#, #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"string"}}"#, ["ADDITIONAL_ITEMS_NARROWED #/additionalItems"], strict: false, lenient: false),
        Row(.unevaluatedItemsAdded, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","unevaluatedItems":false}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array"}"#, ["UNEVALUATED_ITEMS_ADDED #/unevaluatedItems"], strict: true, lenient: true),
        Row(.unevaluatedItemsRemoved, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array"}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","unevaluatedItems":false}"#, ["UNEVALUATED_ITEMS_REMOVED #/unevaluatedItems"], strict: false, lenient: false),
        Row(.unevaluatedItemsExtended, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","unevaluatedItems":{"type":"string"}}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array"}"#, ["UNEVALUATED_ITEMS_EXTENDED #/unevaluatedItems"], strict: true, lenient: true),
        Row(.unevaluatedItemsNarrowed, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array"}"#, #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","unevaluatedItems":{"type":"string"}}"#, ["UNEVALUATED_ITEMS_NARROWED #/unevaluatedItems"], strict: false, lenient: false),
        Row(.itemAddedToOpenContentModel, #"{"type":"array","items":[{"type":"string"}]}"#, #"{"type":"array","items":[{"type":"string"},{"type":"number"}]}"#, ["ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"], strict: false, lenient: false),
        Row(.itemWithEmptySchemaAddedToOpenContentModel, #"{"type":"array","items":[{"type":"string"}]}"#, #"{"type":"array","items":[{"type":"string"},{}]}"#, ["ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/items/1"], strict: true, lenient: true),
        Row(.itemAddedToClosedContentModel, #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#, #"{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":false}"#, ["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1"], strict: true, lenient: true),
        Row(.itemRemovedFromOpenContentModel, #"{"type":"array","items":[{"type":"string"},{"type":"number"}]}"#, #"{"type":"array","items":[{"type":"string"}]}"#, ["ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/1"], strict: true, lenient: true),
        Row(.itemWithFalseRemovedFromClosedContentModel, #"{"type":"array","items":[{"type":"string"},false],"additionalItems":false}"#, #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#, ["ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"], strict: true, lenient: true),
        Row(.itemRemovedFromClosedContentModel, #"{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":false}"#, #"{"type":"array","items":[{"type":"string"}],"additionalItems":false}"#, ["ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1"], strict: false, lenient: false),
        Row(.itemRemovedIsCoveredByPartiallyOpenContentModel, #"{"type":"array","items":[{"type":"string"},{"type":"string"}],"additionalItems":{"type":"string"}}"#, #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"string"}}"#, ["ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"], strict: true, lenient: true),
        Row(.itemRemovedNotCoveredByPartiallyOpenContentModel, #"{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":{"type":"string"}}"#, #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"string"}}"#, ["ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"], strict: false, lenient: false),
        Row(.itemAddedIsCoveredByPartiallyOpenContentModel, #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"string"}}"#, #"{"type":"array","items":[{"type":"string"},{"type":"string"}],"additionalItems":{"type":"string"}}"#, ["ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"], strict: true, lenient: true),
        Row(.itemAddedNotCoveredByPartiallyOpenContentModel, #"{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"string"}}"#, #"{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":{"type":"string"}}"#, ["ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1"], strict: false, lenient: false),
        Row(.enumArrayExtended, #"{"enum":["a"]}"#, #"{"enum":["a","b"]}"#, ["ENUM_ARRAY_EXTENDED #/"], strict: true, lenient: true),
        Row(.enumArrayNarrowed, #"{"enum":["a","b"]}"#, #"{"enum":["a"]}"#, ["ENUM_ARRAY_NARROWED #/"], strict: false, lenient: false),
        Row(.enumArrayChanged, #"{"const":"a"}"#, #"{"const":"b"}"#, ["ENUM_ARRAY_CHANGED #/"], strict: false, lenient: false, note: "any const change; an enum that is neither a superset nor a subset gives it too"),
        Row(.combinedTypeExtended, #"{"oneOf":[{"type":"string"},{"type":"number"}]}"#, #"{"anyOf":[{"type":"string"},{"type":"number"}]}"#, ["COMBINED_TYPE_EXTENDED #/"], strict: true, lenient: true),
        Row(.combinedTypeChanged, #"{"anyOf":[{"type":"string"},{"type":"number"}]}"#, #"{"oneOf":[{"type":"string"},{"type":"number"}]}"#, ["COMBINED_TYPE_CHANGED #/"], strict: false, lenient: false),
        Row(.productTypeExtended, #"{"allOf":[{"type":"string"}]}"#, #"{"allOf":[{"type":"string"},{"maxLength":5}]}"#, ["PRODUCT_TYPE_EXTENDED #/"], strict: false, lenient: false),
        Row(.productTypeNarrowed, #"{"allOf":[{"type":"string"},{"maxLength":5}]}"#, #"{"allOf":[{"type":"string"}]}"#, ["PRODUCT_TYPE_NARROWED #/"], strict: true, lenient: true),
        Row(.sumTypeExtended, #"{"type":"string"}"#, #"{"type":["string","null"]}"#, ["SUM_TYPE_EXTENDED #/"], strict: true, lenient: true, note: "a type array is an anyOf in everit's model"),
        Row(.sumTypeNarrowed, #"{"anyOf":[{"type":"string"},{"type":"number"}]}"#, #"{"anyOf":[{"type":"string"}]}"#, ["SUM_TYPE_NARROWED #/"], strict: false, lenient: false),
        Row(.combinedTypeSubschemasChanged, #"{"anyOf":[{"type":"string"},{"type":"number"}]}"#, #"{"anyOf":[{"type":"boolean"},{"type":"null"}]}"#, ["COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"], strict: false, lenient: false),
        Row(.notTypeExtended, #"{"not":{"type":"string"}}"#, #"{"not":{"type":["string","number"]}}"#, ["NOT_TYPE_EXTENDED #/"], strict: false, lenient: false, note: "the update excludes more"),
        Row(.notTypeNarrowed, #"{"not":{"type":["string","number"]}}"#, #"{"not":{"type":"string"}}"#, ["NOT_TYPE_NARROWED #/"], strict: true, lenient: true),
    ]

    static func graph(_ text: String) throws -> JSONSchemaGraph {
        try JSONSchemaGraph(schema: JSONDocument(parsing: text).root)
    }

    @Test func everyTypeHasExactlyOneRow() {
        #expect(Self.rows.count == 132)
        #expect(Set(Self.rows.map(\.type)) == Set(JSONSchemaDifferenceType.allCases))
        #expect(JSONSchemaDifferenceType.allCases.count == 132)
        #expect(CompatibilityPolicy.strict.compatibleChanges.count == 65)
        #expect(CompatibilityPolicy.lenient.compatibleChanges.count == 74)
    }

    @Test(arguments: rows) func row(_ row: Row) throws {
        guard let originalText = row.original, let updateText = row.update else {
            // Never emitted: only the policy tables speak for it.
            #expect(row.note != nil)
            #expect(CompatibilityPolicy.strict.isCompatible(row.type) == row.strict)
            #expect(CompatibilityPolicy.lenient.isCompatible(row.type) == row.lenient)
            return
        }
        let original = try Self.graph(originalText), update = try Self.graph(updateText)
        let strict = JSONSchemaDiffer.differences(original: original, update: update, policy: .strict)
        let lenient = JSONSchemaDiffer.differences(original: original, update: update, policy: .lenient)
        #expect(strict.map(\.description) == row.differences)
        #expect(lenient.map(\.description) == row.differences)
        #expect(strict.contains { $0.type == row.type })
        #expect(strict.allSatisfy { CompatibilityPolicy.strict.isCompatible($0.type) } == row.strict)
        #expect(lenient.allSatisfy { CompatibilityPolicy.lenient.isCompatible($0.type) } == row.lenient)
        // Through the level checker: BACKWARD compares original = previous, update = new.
        let backwardStrict = JSONSchemaLevelChecker.check(update, against: [original], level: .backward, policy: .strict)
        let backwardLenient = JSONSchemaLevelChecker.check(update, against: [original], level: .backward, policy: .lenient)
        #expect(backwardStrict.isCompatible == row.strict)
        #expect(backwardLenient.isCompatible == row.lenient)
    }
}
