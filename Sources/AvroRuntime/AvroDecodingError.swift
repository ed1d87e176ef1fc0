import Fingerprint

/// Why bytes could not be read as an Avro datum. Every case says where (the byte offset in the
/// buffer given to the reader), so a bad message can be found and kept for a dead-letter queue.
public enum AvroDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes ended in the middle of a value.
    case truncated(offset: Int)
    /// A bytes, string or block length is larger than what is left in the buffer.
    case lengthPastEnd(offset: Int, length: Int64, remaining: Int)
    case negativeLength(offset: Int, length: Int64)
    /// A varint longer than 10 bytes (5 for an int).
    case varintTooLong(offset: Int)
    /// An int whose value does not fit in 32 bits.
    case intOutOfRange(offset: Int, value: Int64)
    case invalidBoolean(offset: Int, byte: UInt8)
    case invalidUnionIndex(offset: Int, index: Int64, branchCount: Int)
    case invalidEnumIndex(offset: Int, index: Int64, symbolCount: Int)
    case invalidUTF8(offset: Int)
    /// An array or map with more items than the limits allow.
    case tooManyItems(offset: Int, count: Int64, limit: Int)
    /// A recursive record nested deeper than the limits allow.
    case tooDeep(offset: Int, limit: Int)
    /// A value the logical type (uuid, decimal, ...) or the schema cannot represent.
    case invalidValue(offset: Int, reason: String)
    /// Bytes left over after the datum.
    case trailingBytes(offset: Int, count: Int)
    /// The framing header is not the expected one (Confluent 0x00, single-object C3 01).
    case badMagicByte(expected: [UInt8], found: [UInt8])
    /// A Confluent schema id that the deserializer does not know.
    case unknownSchemaID(Int32)
    /// A single-object fingerprint that matches no known writer schema.
    case unknownFingerprint(UInt64)

    public var description: String {
        switch self {
        case .truncated(let offset): "truncated: the bytes end inside a value at offset \(offset)"
        case .lengthPastEnd(let offset, let length, let remaining):
            "length \(length) at offset \(offset) runs past the end of the buffer (\(remaining) bytes left)"
        case .negativeLength(let offset, let length): "negative length \(length) at offset \(offset)"
        case .varintTooLong(let offset): "varint too long at offset \(offset)"
        case .intOutOfRange(let offset, let value): "int out of 32-bit range at offset \(offset): \(value)"
        case .invalidBoolean(let offset, let byte): "invalid boolean byte 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .invalidUnionIndex(let offset, let index, let count): "invalid union index \(index) at offset \(offset) (the union has \(count) branches)"
        case .invalidEnumIndex(let offset, let index, let count): "invalid enum index \(index) at offset \(offset) (the enum has \(count) symbols)"
        case .invalidUTF8(let offset): "invalid UTF-8 in the string at offset \(offset)"
        case .tooManyItems(let offset, let count, let limit): "block of \(count) items at offset \(offset) exceeds the limit of \(limit)"
        case .tooDeep(let offset, let limit): "recursive value at offset \(offset) nests deeper than the limit of \(limit)"
        case .invalidValue(let offset, let reason): "invalid value at offset \(offset): \(reason)"
        case .trailingBytes(let offset, let count): "\(count) trailing bytes after the datum at offset \(offset)"
        case .badMagicByte(let expected, let found):
            "bad magic byte: expected \(hexString(expected)), found \(found.isEmpty ? "nothing" : hexString(found))"
        case .unknownSchemaID(let id): "unknown schema id \(id)"
        case .unknownFingerprint(let fingerprint): "unknown schema fingerprint 0x\(String(fingerprint, radix: 16))"
        }
    }
}
