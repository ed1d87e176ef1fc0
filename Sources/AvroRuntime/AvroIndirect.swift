/// Heap storage for a record field through which the record contains itself (a linked list's
/// `next: Node?`, a tree's `parent`): a struct cannot hold itself inline. Copy-on-write, so the
/// field keeps value semantics; generated code marks such fields `@AvroIndirect` and uses them as
/// plain properties.
@propertyWrapper
public struct AvroIndirect<Value: Sendable>: @unchecked Sendable {
    // @unchecked: the box is only mutated when uniquely referenced (copy-on-write), so a value
    // shared across threads is never written.
    @usableFromInline final class Box {
        @usableFromInline var value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }

    @usableFromInline var box: Box

    @inlinable public init(wrappedValue: Value) { box = Box(wrappedValue) }

    @inlinable public var wrappedValue: Value {
        get { box.value }
        set {
            if isKnownUniquelyReferenced(&box) { box.value = newValue } else { box = Box(newValue) }
        }
    }
}

extension AvroIndirect: Equatable where Value: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.box === b.box || a.wrappedValue == b.wrappedValue }
}

extension AvroIndirect: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}

extension AvroIndirect: Codable where Value: Codable {
    public init(from decoder: any Decoder) throws { self.init(wrappedValue: try decoder.singleValueContainer().decode(Value.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

// Optional indirect fields behave like other optionals in synthesised Codable: a missing key is nil,
// and nil is left out.
extension KeyedDecodingContainer {
    public func decode<Wrapped: Decodable & Sendable>(_: AvroIndirect<Wrapped?>.Type, forKey key: Key) throws -> AvroIndirect<Wrapped?> {
        AvroIndirect(wrappedValue: try decodeIfPresent(Wrapped.self, forKey: key))
    }
}

extension KeyedEncodingContainer {
    public mutating func encode<Wrapped: Encodable & Sendable>(_ value: AvroIndirect<Wrapped?>, forKey key: Key) throws {
        try encodeIfPresent(value.wrappedValue, forKey: key)
    }
}
