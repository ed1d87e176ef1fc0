/// CRC-64-AVRO, the "Rabin" fingerprint of the Avro specification: the 64-bit fingerprint that
/// single-object encoding and most registries use.
public enum Rabin {
    public static let empty: UInt64 = 0xc15d_213a_a4d7_a795

    private static let table: [UInt64] = (0..<256).map { byte in
        var fp = UInt64(byte)
        for _ in 0..<8 { fp = (fp >> 1) ^ (empty & (0 &- (fp & 1))) }
        return fp
    }

    public static func fingerprint<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        if let fast = bytes.withContiguousStorageIfAvailable({ fingerprint(buffer: $0) }) { return fast }
        return Array(bytes).withUnsafeBufferPointer { fingerprint(buffer: $0) }
    }

    public static func fingerprint(_ string: String) -> UInt64 {
        var copy = string
        return copy.withUTF8 { fingerprint(buffer: $0) }
    }

    private static func fingerprint(buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
        table.withUnsafeBufferPointer { table in
            var fp = empty
            for byte in buffer { fp = (fp >> 8) ^ table[Int((fp ^ UInt64(byte)) & 0xff)] }
            return fp
        }
    }

    /// The 8 bytes in little-endian order, as single-object encoding stores them.
    public static func littleEndianBytes(_ fingerprint: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: fingerprint >> (8 * $0)) }
    }
}

/// Lowercase hexadecimal.
public func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xf)]) }
    return String(decoding: out, as: UTF8.self)
}
