import JSONDocument

/// The eight primitive types.
public enum AvroPrimitive: String, Sendable, Hashable, CaseIterable {
    case null, boolean, int, long, float, double, bytes, string
}

/// A schema as the Avro specification defines it. Named types appear in full where they are
/// defined and as `.reference` wherever they are used again (recursion included), so the tree is
/// finite and mirrors the JSON it came from.
public indirect enum AvroType: Sendable, Hashable {
    case primitive(AvroPrimitive, AvroAnnotations)
    case record(AvroRecord)
    case enumeration(AvroEnum)
    case fixed(AvroFixed)
    case array(items: AvroType, AvroAnnotations)
    case map(values: AvroType, AvroAnnotations)
    case union([AvroType])
    case reference(String)

    /// The fullname of a named type (definition or reference).
    public var fullname: String? {
        switch self {
        case .record(let r): r.fullname
        case .enumeration(let e): e.fullname
        case .fixed(let f): f.fullname
        case .reference(let name): name
        default: nil
        }
    }

    /// The type's name as Avro's messages spell it (`record`, `int`, …).
    public var kindName: String {
        switch self {
        case .primitive(let p, _): p.rawValue
        case .record: "record"
        case .enumeration: "enum"
        case .fixed: "fixed"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .reference: "reference"
        }
    }

    public static func primitive(_ p: AvroPrimitive) -> AvroType { .primitive(p, AvroAnnotations()) }
}

/// Attributes beyond the type itself: the logical type when it is valid and applied, and every
/// attribute the spec does not reserve (kept as written, for round trips and codegen).
public struct AvroAnnotations: Sendable, Hashable {
    public var logicalType: AvroLogicalType?
    public var properties: [JSONObject.Member]

    public init(logicalType: AvroLogicalType? = nil, properties: [JSONObject.Member] = []) {
        self.logicalType = logicalType
        self.properties = properties
    }
}

public enum AvroLogicalType: Sendable, Hashable {
    case decimal(precision: Int, scale: Int)
    case bigDecimal
    case uuid
    case date
    case timeMillis, timeMicros
    case timestampMillis, timestampMicros, timestampNanos
    case localTimestampMillis, localTimestampMicros, localTimestampNanos
    case duration

    public var name: String {
        switch self {
        case .decimal: "decimal"
        case .bigDecimal: "big-decimal"
        case .uuid: "uuid"
        case .date: "date"
        case .timeMillis: "time-millis"
        case .timeMicros: "time-micros"
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .localTimestampMillis: "local-timestamp-millis"
        case .localTimestampMicros: "local-timestamp-micros"
        case .localTimestampNanos: "local-timestamp-nanos"
        case .duration: "duration"
        }
    }
}

public struct AvroRecord: Sendable, Hashable {
    public var fullname: String
    public var aliases: [String]
    public var doc: String?
    public var fields: [AvroField]
    /// Declared as `"type": "error"` (a protocol error record).
    public var isError: Bool
    public var annotations: AvroAnnotations

    public var namespace: String? { AvroName.namespace(of: fullname) }
    public var name: String { AvroName.shortName(of: fullname) }
}

public struct AvroField: Sendable, Hashable {
    public enum Order: String, Sendable, Hashable { case ascending, descending, ignore }

    public var name: String
    public var type: AvroType
    public var doc: String?
    public var defaultValue: JSONValue?
    public var order: Order
    public var aliases: [String]
    public var properties: [JSONObject.Member]
}

public struct AvroEnum: Sendable, Hashable {
    public var fullname: String
    public var aliases: [String]
    public var doc: String?
    public var symbols: [String]
    public var defaultSymbol: String?
    public var annotations: AvroAnnotations

    public var name: String { AvroName.shortName(of: fullname) }
}

public struct AvroFixed: Sendable, Hashable {
    public var fullname: String
    public var aliases: [String]
    public var doc: String?
    public var size: Int
    public var annotations: AvroAnnotations

    public var name: String { AvroName.shortName(of: fullname) }
}

/// A parsed schema: its root type and every named type it can reach, by fullname (types from
/// other files that it uses included).
public struct AvroSchema: Sendable, Hashable {
    public var root: AvroType
    public var definitions: [String: AvroType]

    public init(root: AvroType, definitions: [String: AvroType]) {
        self.root = root
        self.definitions = definitions
    }

    /// A reference replaced by its definition; other types unchanged.
    public func resolve(_ type: AvroType) -> AvroType {
        if case .reference(let name) = type, let definition = definitions[name] { return definition }
        return type
    }
}

/// Fullname rules of the specification (§ Names).
public enum AvroName {
    /// `[A-Za-z_][A-Za-z0-9_]*`, ASCII only.
    public static func isValidComponent(_ s: Substring) -> Bool {
        guard let first = s.utf8.first else { return false }
        func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
        return isLetter(first) && s.utf8.dropFirst().allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) }
    }

    public static func isValidName(_ s: String) -> Bool { isValidComponent(Substring(s)) }

    /// Empty (the null namespace) or dot-separated valid components.
    public static func isValidNamespace(_ s: String) -> Bool {
        s.isEmpty || s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isValidComponent)
    }

    public static func namespace(of fullname: String) -> String? {
        guard let dot = fullname.lastIndex(of: ".") else { return nil }
        return String(fullname[..<dot])
    }

    public static func shortName(of fullname: String) -> String {
        guard let dot = fullname.lastIndex(of: ".") else { return fullname }
        return String(fullname[fullname.index(after: dot)...])
    }

    /// The fullname a name (or reference) denotes in `namespace` (nil or empty: the null namespace).
    public static func qualify(_ name: String, in namespace: String?) -> String {
        if name.utf8.contains(UInt8(ascii: ".")) { return name }
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "." + name
    }
}
