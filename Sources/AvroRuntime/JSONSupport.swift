/// The Avro `null` type as a value (a field or branch whose type is just null).
public struct AvroNull: Sendable, Hashable, Codable {
    public init() {}
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard container.decodeNil() else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected null") }
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

/// The key of a union value in Avro's JSON encoding, `{"<branch>": value}`: the branch's fullname
/// for named types, its type name otherwise.
public struct AvroUnionBranchKey: CodingKey, ExpressibleByStringLiteral, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    public init(stringLiteral value: String) { stringValue = value }

    /// The one key of a union object; anything else is an error.
    public static func single(in container: KeyedDecodingContainer<AvroUnionBranchKey>) throws -> AvroUnionBranchKey {
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath,
                                                    debugDescription: "a union value is an object with exactly one member, the branch"))
        }
        return key
    }

    public static func unknownBranch(_ key: AvroUnionBranchKey, in container: KeyedDecodingContainer<AvroUnionBranchKey>) -> DecodingError {
        .dataCorrupted(.init(codingPath: container.codingPath + [key], debugDescription: "\(key.stringValue) is not a branch of this union"))
    }
}
