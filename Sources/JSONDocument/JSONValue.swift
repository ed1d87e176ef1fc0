#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON value as written: object members keep their order, and integers stay apart from reals
/// (`1` is `.integer(1)`, `1.0` is `.real(1.0)`), because Avro and JSON Schema both care.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case real(Double)
    /// A number beyond what Int64 or Double hold, kept as its literal text (e.g.
    /// `18446744073709551616`, `1e400`), so the document still loads and the range is judged by
    /// whoever reads the value.
    case bigNumber(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type name, for messages ("expected a string, found an integer").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .real: "number"
        case .bigNumber(let literal): literal.contains(where: { ".eE".contains($0) }) ? "number" : "integer"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var isNumber: Bool {
        switch self { case .integer, .real, .bigNumber: true; default: false }
    }
}

/// A JSON object that keeps its members in document order.
public struct JSONObject: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) { self.key = key; self.value = value }
    }

    public private(set) var members: [Member]

    public init(_ members: [Member] = []) { self.members = members }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.members = pairs.map { Member(key: $0.key, value: $0.value) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// The value of `key`, compared by code points (Swift's `==` would equate canonically
    /// equivalent keys, JSON does not). Objects in schemas are small, so a linear scan beats an index.
    public subscript(key: String) -> JSONValue? {
        for member in members where sameCodePoints(member.key, key) { return member.value }
        return nil
    }

    public func contains(_ key: String) -> Bool {
        for member in members where sameCodePoints(member.key, key) { return true }
        return false
    }

    /// `contains` for a key known to be ASCII: then `==` with equal byte counts means equal bytes
    /// (nothing non-ASCII is canonically equivalent to ASCII at the same UTF-8 length).
    public func contains(asciiKey key: String) -> Bool {
        let count = key.utf8.count
        // By index, lengths first: `for member in members` would copy (retain) each member.
        return members.withUnsafeBufferPointer { buffer in
            for i in buffer.indices where buffer[i].key.utf8.count == count && buffer[i].key == key { return true }
            return false
        }
    }

    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append(Member(key: key, value: value))
    }
}

/// Whether two strings have the same code points. Swift's `==` compares by canonical
/// equivalence ("é" == "e\u{301}"); JSON does not. Compares the UTF-8 bytes directly.
@inline(__always)
public func sameCodePoints(_ a: String, _ b: String) -> Bool {
    // Byte-equal strings are always ==, so a false == settles it cheaply (most comparisons).
    guard a == b, a.utf8.count == b.utf8.count else { return false }
    // Then equal bytes confirm equal code points; compared in place (a copy to reach them retains).
    let inPlace: Bool?? = a.utf8.withContiguousStorageIfAvailable { x in
        b.utf8.withContiguousStorageIfAvailable { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
    }
    if let inPlace, let equal = inPlace { return equal }
    return a.utf8.elementsEqual(b.utf8)
}
