/// Confluent's wire format: magic byte 0x00, then the registry's schema id as a 4-byte
/// big-endian integer, then the Avro binary datum.
public enum ConfluentFraming {
    public static let magicByte: UInt8 = 0
    public static let headerSize = 5

    public static func header(schemaID: Int32) -> [UInt8] {
        let id = UInt32(bitPattern: schemaID)
        return [magicByte, UInt8(id >> 24), UInt8(truncatingIfNeeded: id >> 16), UInt8(truncatingIfNeeded: id >> 8), UInt8(truncatingIfNeeded: id)]
    }

    /// The schema id and the offset where the datum starts.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws(AvroDecodingError) -> (schemaID: Int32, payloadStart: Bytes.Index)
    where Bytes.Element == UInt8 {
        guard let first = bytes.first, first == magicByte else {
            throw .badMagicByte(expected: [magicByte], found: Array(bytes.prefix(1)))
        }
        guard bytes.count >= headerSize else { throw .truncated(offset: bytes.count) }
        var id: UInt32 = 0
        for byte in bytes.dropFirst().prefix(4) { id = id << 8 | UInt32(byte) }
        return (Int32(bitPattern: id), bytes.index(bytes.startIndex, offsetBy: headerSize))
    }
}

/// Avro's single-object encoding: C3 01, then the 8-byte little-endian CRC-64-AVRO fingerprint of
/// the writer schema's canonical form, then the binary datum.
public enum SingleObjectEncoding {
    public static let marker: [UInt8] = [0xC3, 0x01]
    public static let headerSize = 10

    public static func header(fingerprint: UInt64) -> [UInt8] {
        marker + (0..<8).map { UInt8(truncatingIfNeeded: fingerprint >> (8 * $0)) }
    }

    /// The fingerprint and the offset where the datum starts.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws(AvroDecodingError) -> (fingerprint: UInt64, payloadStart: Bytes.Index)
    where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(2))
        guard head == marker else { throw .badMagicByte(expected: marker, found: head) }
        guard bytes.count >= headerSize else { throw .truncated(offset: bytes.count) }
        var fingerprint: UInt64 = 0
        for (shift, byte) in bytes.dropFirst(2).prefix(8).enumerated() { fingerprint |= UInt64(byte) << (8 * UInt64(shift)) }
        return (fingerprint, bytes.index(bytes.startIndex, offsetBy: headerSize))
    }
}

import Fingerprint

extension SingleObjectEncoding {
    /// The fingerprint of a schema's Parsing Canonical Form (CRC-64-AVRO).
    public static func fingerprint(canonicalForm: String) -> UInt64 { Rabin.fingerprint(canonicalForm) }
}
