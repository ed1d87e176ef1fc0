/// Writes Avro's binary encoding into a growing byte buffer, one value at a time, in schema order.
/// Arrays and maps are written as one block with a positive count; map keys in UTF-8 byte order,
/// so that equal values always give equal bytes.
public struct AvroBinaryWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Continues after `prefix` (a framing header).
    public init(prefix: [UInt8]) { bytes = prefix }

    @inlinable public func writeNull() {}

    @inlinable public mutating func writeBoolean(_ value: Bool) { bytes.append(value ? 1 : 0) }

    @inlinable public mutating func writeInt(_ value: Int32) { writeLong(Int64(value)) }

    @inlinable public mutating func writeLong(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        bytes.append(UInt8(zigzag))
    }

    @inlinable public mutating func writeFloat(_ value: Float) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
    }

    @inlinable public mutating func writeDouble(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    @inlinable public mutating func writeBytes(_ value: [UInt8]) {
        writeLong(Int64(value.count))
        bytes.append(contentsOf: value)
    }

    @inlinable public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeLong(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Exactly the fixed's bytes; the caller's type guarantees the size.
    @inlinable public mutating func writeFixed(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    @inlinable public mutating func writeEnumIndex(_ index: Int) { writeLong(Int64(index)) }

    @inlinable public mutating func writeUnionIndex(_ index: Int) { writeLong(Int64(index)) }

    /// A `[null, T]` or `[T, null]` union.
    @inlinable public mutating func writeOptional<Value>(
        _ value: Value?, nullIndex: Int, _ write: (inout AvroBinaryWriter, Value) -> Void
    ) {
        if let value {
            writeUnionIndex(1 - nullIndex)
            write(&self, value)
        } else {
            writeUnionIndex(nullIndex)
        }
    }

    @inlinable public mutating func writeArray<Items: Collection>(
        _ items: Items, _ write: (inout AvroBinaryWriter, Items.Element) -> Void
    ) {
        if !items.isEmpty {
            writeLong(Int64(items.count))
            for item in items { write(&self, item) }
        }
        bytes.append(0)
    }

    public mutating func writeMap<Value>(_ entries: [String: Value], _ write: (inout AvroBinaryWriter, Value) -> Void) {
        if !entries.isEmpty {
            writeLong(Int64(entries.count))
            if entries.count == 1 {
                for (key, value) in entries { writeString(key); write(&self, value) }
            } else {
                for (key, value) in entries.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                    writeString(key)
                    write(&self, value)
                }
            }
        }
        bytes.append(0)
    }
}
