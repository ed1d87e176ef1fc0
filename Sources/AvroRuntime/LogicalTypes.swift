#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `date`: days since the Unix epoch, without a time zone.
public struct AvroDate: Sendable, Hashable, Codable, Comparable {
    public var daysSinceEpoch: Int32

    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    public init(from decoder: any Decoder) throws { daysSinceEpoch = try decoder.singleValueContainer().decode(Int32.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(daysSinceEpoch)
    }

    public static func < (a: AvroDate, b: AvroDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}

/// `duration`: months, days and milliseconds, each an unsigned 32-bit count (fixed(12) on the wire).
public struct AvroDuration: Sendable, Hashable, Codable {
    public var months: UInt32
    public var days: UInt32
    public var milliseconds: UInt32

    public init(months: UInt32, days: UInt32, milliseconds: UInt32) {
        self.months = months
        self.days = days
        self.milliseconds = milliseconds
    }
}

/// `decimal`: an unscaled integer (two's-complement big-endian bytes, as on the wire) and the
/// schema's scale. `description` gives the exact decimal text; `decimalValue` a Foundation Decimal.
public struct AvroDecimal: Sendable, Hashable, Codable, CustomStringConvertible {
    public var unscaled: [UInt8]
    public var scale: Int

    public init(unscaled: [UInt8], scale: Int) {
        self.unscaled = unscaled
        self.scale = scale
    }

    /// Parses decimal text such as `-1.23` at `scale` (nil when it has more fraction digits).
    public init?(_ text: String, scale: Int) {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty || parts.count == 2 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= scale else { return nil }
        let all = parts[0] + fraction + String(repeating: "0", count: scale - fraction.count)
        guard !all.isEmpty, all.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var magnitude: [UInt8] = [0]  // big-endian base 256
        for digit in all.utf8 {
            var carry = Int(digit - 48)
            for index in magnitude.indices.reversed() {
                let value = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(value & 0xff)
                carry = value >> 8
            }
            while carry > 0 { magnitude.insert(UInt8(carry & 0xff), at: 0); carry >>= 8 }
        }
        self.init(unscaled: AvroDecimal.twosComplement(magnitude: magnitude, negative: negative), scale: scale)
    }

    public init?(_ decimal: Decimal, scale: Int) { self.init(decimal.description, scale: scale) }

    public var isNegative: Bool { (unscaled.first ?? 0) & 0x80 != 0 }

    public var description: String {
        var magnitude = isNegative ? AvroDecimal.negate(unscaled) : unscaled
        var digits: [UInt8] = []
        while magnitude.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in magnitude.indices {
                let value = remainder << 8 | Int(magnitude[index])
                magnitude[index] = UInt8(value / 10)
                remainder = value % 10
            }
            digits.append(UInt8(48 + remainder))
        }
        while digits.count <= scale { digits.append(48) }
        var text = String(decoding: digits[scale...].reversed(), as: UTF8.self)
        if scale > 0 { text += "." + String(decoding: digits[..<scale].reversed(), as: UTF8.self) }
        return (isNegative ? "-" : "") + text
    }

    public var decimalValue: Decimal? { Decimal(string: description) }

    /// Minimal two's-complement bytes of ±magnitude.
    static func twosComplement(magnitude: [UInt8], negative: Bool) -> [UInt8] {
        var bytes = Array(magnitude.drop(while: { $0 == 0 }))
        if bytes.isEmpty { return [0] }
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        guard negative else { return bytes }
        bytes = negate(bytes)
        while bytes.count > 1 && bytes[0] == 0xff && bytes[1] & 0x80 != 0 { bytes.removeFirst() }
        return bytes
    }

    static func negate(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes.map { ~$0 }
        for index in result.indices.reversed() {
            result[index] &+= 1
            if result[index] != 0 { break }
        }
        return result
    }
}

extension AvroBinaryReader {
    /// `timestamp-millis` (and `local-timestamp-millis`) as a Date.
    public mutating func readTimestampMillis() throws(AvroDecodingError) -> Date {
        Date(timeIntervalSince1970: Double(try readLong()) / 1_000)
    }

    public mutating func readTimestampMicros() throws(AvroDecodingError) -> Date {
        Date(timeIntervalSince1970: Double(try readLong()) / 1_000_000)
    }

    public mutating func readDate() throws(AvroDecodingError) -> AvroDate { AvroDate(daysSinceEpoch: try readInt()) }

    /// `uuid` on a string: the 36-character text form.
    public mutating func readUUID() throws(AvroDecodingError) -> UUID {
        let start = offset
        let text = try readString()
        guard let uuid = UUID(uuidString: text) else { throw .invalidValue(offset: start, reason: "not a UUID: \(text.prefix(64))") }
        return uuid
    }

    /// `uuid` on a fixed(16).
    public mutating func readFixedUUID() throws(AvroDecodingError) -> UUID {
        let b = try readFixed(size: 16)
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    public mutating func readDecimal(scale: Int) throws(AvroDecodingError) -> AvroDecimal {
        let start = offset
        let bytes = try readBytes()
        guard !bytes.isEmpty else { throw .invalidValue(offset: start, reason: "a decimal needs at least one byte") }
        return AvroDecimal(unscaled: bytes, scale: scale)
    }

    public mutating func readFixedDecimal(size: Int, scale: Int) throws(AvroDecodingError) -> AvroDecimal {
        AvroDecimal(unscaled: try readFixed(size: size), scale: scale)
    }

    public mutating func readDuration() throws(AvroDecodingError) -> AvroDuration {
        let b = try readFixed(size: 12)
        func word(_ i: Int) -> UInt32 { UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24 }
        return AvroDuration(months: word(0), days: word(4), milliseconds: word(8))
    }
}

extension AvroBinaryWriter {
    public mutating func writeTimestampMillis(_ date: Date) { writeLong(Self.scaled(date, by: 1_000)) }

    public mutating func writeTimestampMicros(_ date: Date) { writeLong(Self.scaled(date, by: 1_000_000)) }

    /// Seconds × `factor`, rounded, and clamped where a Date lies beyond what a long can hold.
    static func scaled(_ date: Date, by factor: Double) -> Int64 {
        let value = (date.timeIntervalSince1970 * factor).rounded()
        if value.isNaN { return 0 }
        if value >= 9.223372036854775807e18 { return .max }
        if value <= -9.223372036854775808e18 { return .min }
        return Int64(value)
    }

    public mutating func writeDate(_ date: AvroDate) { writeInt(date.daysSinceEpoch) }

    public mutating func writeUUID(_ uuid: UUID) { writeString(uuid.uuidString.lowercased()) }

    public mutating func writeFixedUUID(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { writeRaw($0) }
    }

    public mutating func writeDecimal(_ decimal: AvroDecimal) { writeBytes(decimal.unscaled) }

    /// The unscaled bytes sign-extended (or trimmed of redundant sign bytes) to `size`.
    public mutating func writeFixedDecimal(_ decimal: AvroDecimal, size: Int) {
        var value = decimal.unscaled
        let fill: UInt8 = decimal.isNegative ? 0xff : 0
        while value.count > size, value.first == fill { value.removeFirst() }
        if value.count < size { value.insert(contentsOf: repeatElement(fill, count: size - value.count), at: 0) }
        writeRaw(Array(value.suffix(size)))
    }

    public mutating func writeDuration(_ duration: AvroDuration) {
        for word in [duration.months, duration.days, duration.milliseconds] { writeLittleEndian(word) }
    }
}
