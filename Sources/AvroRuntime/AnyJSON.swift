/// Any JSON value, for the parts of a JSON Schema that leave a value open (an object without
/// properties, `{}`, mixed enums). Generated JSON Schema types use it; it encodes back to the
/// same JSON it decoded from.
public enum AnyJSON: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AnyJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// Any member name, for the members of an open JSON object that its schema does not list.
public struct AnyJSONCodingKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }

    /// The members of the object being decoded whose names are not in `known`.
    public static func additionalProperties<Value: Decodable>(of decoder: any Decoder, excluding known: Set<String>) throws -> [String: Value] {
        let container = try decoder.container(keyedBy: AnyJSONCodingKey.self)
        var members: [String: Value] = [:]
        for key in container.allKeys where !known.contains(key.stringValue) {
            members[key.stringValue] = try container.decode(Value.self, forKey: key)
        }
        return members
    }

    /// Writes `members` into the object being encoded, beside its listed properties.
    public static func encode<Value: Encodable>(_ members: [String: Value], to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyJSONCodingKey.self)
        for (name, value) in members { try container.encode(value, forKey: AnyJSONCodingKey(stringValue: name)) }
    }
}
