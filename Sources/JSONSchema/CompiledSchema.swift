import ECMARegex
import JSONDocument

/// A schema compiled for validation: a boolean, or the keywords that apply, in evaluation order
/// (`unevaluated*` last, since they read what the others evaluated).
final class SchemaNode: @unchecked Sendable {
    let boolean: Bool?
    var keywords: [KeywordCheck] = [] {
        didSet {
            unretainedKeywords.deallocate()
            unretainedKeywords = .allocate(capacity: keywords.count)
            _ = unretainedKeywords.initialize(from: keywords.map { Unmanaged.passUnretained($0) })
            isLeaf = keywords.allSatisfy(\.assertsOnly)
        }
    }
    /// Every keyword only asserts something about the value itself (type, enum, pattern, ...), so
    /// validation needs none of the machinery for subschemas, annotations or references.
    private(set) var isLeaf = true
    /// The same keywords, for the hot loop: the node owns them, so calling through unretained
    /// references in a buffer it owns skips the retain/release pairs per keyword per instance
    /// (of the keyword and of an array's storage).
    private(set) var unretainedKeywords = UnsafeMutableBufferPointer<Unmanaged<KeywordCheck>>.allocate(capacity: 0)
    /// Absolute URI of this schema (base + JSON pointer fragment), for absoluteKeywordLocation.
    let absoluteLocation: String
    /// The schema resource (base URI) this node belongs to: the dynamic scope is made of these.
    let resource: String
    /// `resource` as a small integer, so the dynamic scope compares integers, not strings.
    let resourceID: Int
    /// Whether evaluating this node must report which properties/items it evaluated, because an
    /// `unevaluated*` keyword here needs them from its in-place subschemas.
    var tracksEvaluation = false

    init(boolean: Bool?, absoluteLocation: String, resource: String, resourceID: Int) {
        self.resourceID = resourceID
        self.boolean = boolean
        self.absoluteLocation = absoluteLocation
        self.resource = resource
    }

    deinit { unretainedKeywords.deallocate() }
}

final class ReferenceBox: @unchecked Sendable {
    let uri: String
    var target: SchemaNode?
    /// For `$dynamicRef`: the anchor name when the initial target carries a matching `$dynamicAnchor`.
    var dynamicAnchor: String?
    init(uri: String) { self.uri = uri }
}

struct PatternProperty: @unchecked Sendable {
    let regex: ECMARegex
    let schema: SchemaNode
}

/// The JSON Schema `type` keyword's set of types.
struct TypeSet: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let object = TypeSet(rawValue: 4)
    static let array = TypeSet(rawValue: 8)
    static let number = TypeSet(rawValue: 16)
    static let string = TypeSet(rawValue: 32)
    static let integer = TypeSet(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "string": self = .string
        case "integer": self = .integer
        default: return nil
        }
    }

    func admits(_ value: JSONValue) -> Bool {
        switch value {
        case .null: contains(.null)
        case .bool: contains(.boolean)
        case .object: contains(.object)
        case .array: contains(.array)
        case .string: contains(.string)
        case .integer: contains(.number) || contains(.integer)
        case .real, .bigNumber: contains(.number) || (contains(.integer) && JSONMath.isInteger(value))
        }
    }

    var names: [String] {
        [(TypeSet.null, "null"), (.boolean, "boolean"), (.object, "object"), (.array, "array"), (.number, "number"),
         (.string, "string"), (.integer, "integer")].filter { contains($0.0) }.map(\.1)
    }
}
