import Diagnostics

/// Every rule the Avro validator reports. The ids are stable: tools and CI configs refer to them.
public enum AvroRule: String, Sendable, CaseIterable {
    // Errors: the schema is invalid.
    case invalidSchemaForm = "AVRO_INVALID_SCHEMA_FORM"
    case unknownType = "AVRO_UNKNOWN_TYPE"
    case undefinedName = "AVRO_UNDEFINED_NAME"
    case forwardReference = "AVRO_FORWARD_REFERENCE"
    case ambiguousReference = "AVRO_AMBIGUOUS_REFERENCE"
    case fieldLevelComplexType = "AVRO_FIELD_LEVEL_COMPLEX_TYPE"
    case missingAttribute = "AVRO_MISSING_ATTRIBUTE"
    case invalidAttribute = "AVRO_INVALID_ATTRIBUTE"
    case invalidName = "AVRO_INVALID_NAME"
    case invalidNamespace = "AVRO_INVALID_NAMESPACE"
    case primitiveNameRedefined = "AVRO_PRIMITIVE_NAME_REDEFINED"
    case nameRedefined = "AVRO_NAME_REDEFINED"
    case duplicateField = "AVRO_DUPLICATE_FIELD"
    case duplicateSymbol = "AVRO_DUPLICATE_SYMBOL"
    case invalidEnumDefault = "AVRO_INVALID_ENUM_DEFAULT"
    case invalidFixedSize = "AVRO_INVALID_FIXED_SIZE"
    case nestedUnion = "AVRO_NESTED_UNION"
    case duplicateUnionBranch = "AVRO_DUPLICATE_UNION_BRANCH"
    case invalidDefault = "AVRO_INVALID_DEFAULT"
    // Warnings: valid Avro that rarely does what was meant.
    case fieldLevelLogicalType = "AVRO_FIELD_LEVEL_LOGICAL_TYPE"
    case invalidLogicalType = "AVRO_INVALID_LOGICAL_TYPE"
    case unknownLogicalType = "AVRO_UNKNOWN_LOGICAL_TYPE"
    case nullableWithoutDefault = "AVRO_NULLABLE_WITHOUT_DEFAULT"
    case undeclaredReference = "AVRO_UNDECLARED_REFERENCE"
    case unionDefaultNotFirst = "AVRO_UNION_DEFAULT_NOT_FIRST"
    case nonstandardDefault = "AVRO_NONSTANDARD_DEFAULT"
    case emptyEnum = "AVRO_EMPTY_ENUM"
    case zeroSizeFixed = "AVRO_ZERO_SIZE_FIXED"
    case errorOutsideProtocol = "AVRO_ERROR_OUTSIDE_PROTOCOL"
    case nullNamespace = "AVRO_NULL_NAMESPACE"

    public var severity: Severity {
        switch self {
        case .fieldLevelLogicalType, .invalidLogicalType, .unknownLogicalType, .nullableWithoutDefault,
             .undeclaredReference, .unionDefaultNotFirst, .nonstandardDefault, .emptyEnum, .zeroSizeFixed,
             .errorOutsideProtocol, .nullNamespace:
            .warning
        default:
            .error
        }
    }

    public var summary: String {
        switch self {
        case .invalidSchemaForm: "A schema must be a JSON string (a type name), object or array (a union)."
        case .unknownType: "The \"type\" attribute names no Avro type."
        case .undefinedName: "A type name is used but never defined."
        case .forwardReference: "A named type is used before its definition; Avro requires definition before use."
        case .ambiguousReference: "A type name used across files is defined differently in several files."
        case .fieldLevelComplexType: "A field writes \"type\": \"map\" (or array, enum, record, fixed) with its attributes beside it instead of nesting them."
        case .missingAttribute: "A required attribute (name, fields, symbols, items, values, size, type) is missing."
        case .invalidAttribute: "An attribute has the wrong JSON type or value."
        case .invalidName: "A name, field name or enum symbol does not match [A-Za-z_][A-Za-z0-9_]*."
        case .invalidNamespace: "A namespace is not empty or dot-separated names."
        case .primitiveNameRedefined: "A named type takes the name of a primitive type."
        case .nameRedefined: "A fullname is defined more than once."
        case .duplicateField: "Two fields of a record share a name."
        case .duplicateSymbol: "Two symbols of an enum are the same."
        case .invalidEnumDefault: "An enum's default is not one of its symbols."
        case .invalidFixedSize: "A fixed size is not a non-negative integer."
        case .nestedUnion: "A union directly contains another union."
        case .duplicateUnionBranch: "A union holds two branches of the same type (named types: the same fullname)."
        case .invalidDefault: "A field default does not match the field's type."
        case .fieldLevelLogicalType: "\"logicalType\" is written on the field, where Avro ignores it, instead of on the type."
        case .invalidLogicalType: "A logical type is invalid for its type or attributes and is ignored."
        case .unknownLogicalType: "A logical type is not defined by the specification and is ignored."
        case .nullableWithoutDefault: "A nullable union field has no default, so readers of older data fail."
        case .undeclaredReference: "A type defined in another file is used without a declared schema reference."
        case .unionDefaultNotFirst: "A union default matches a branch other than the first (Avro 1.12 only)."
        case .nonstandardDefault: "A float or double default is the string \"NaN\" or \"Infinity\", a Java extension."
        case .emptyEnum: "An enum has no symbols, so no value can be written."
        case .zeroSizeFixed: "A fixed type has size 0."
        case .errorOutsideProtocol: "The \"error\" type belongs in protocols; in a schema it is read as a record."
        case .nullNamespace: "\"namespace\": null is not a string; readers treat it as absent."
        }
    }

    public var description: RuleDescription { RuleDescription(id: rawValue, severity: severity, summary: summary) }
}
