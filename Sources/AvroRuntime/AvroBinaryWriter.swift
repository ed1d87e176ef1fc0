/// Writes Avro's binary encoding into a growing byte buffer, one value at a time, in schema order.
/// Arrays and maps are written as one block with a positive count; map keys in String order
/// (UTF-8 byte order for ASCII and NFC keys), so that equal values always give equal bytes.
///
/// The buffer is an array whose spare capacity is claimed up front (`storage.count` is the
/// capacity, `count` the bytes written), so a value is one capacity check and raw stores instead
/// of an array append per byte.
public struct AvroBinaryWriter: Sendable {
    @usableFromInline var storage: [UInt8]
    @usableFromInline var count: Int

    @inlinable public init(capacity: Int = 256) {
        storage = Self.uninitialized(Swift.max(capacity, 16))
        count = 0
    }

    /// Continues after `prefix` (a framing header).
    @inlinable public init(prefix: [UInt8]) {
        self.init(capacity: prefix.count + 256)
        writeRaw(prefix)
    }

    /// The bytes written so far.
    public var bytes: [UInt8] {
        get { Array(storage[..<count]) }
        set {
            storage = newValue
            count = newValue.count
        }
    }

    /// The bytes written, without a copy; the writer is spent.
    @inlinable public consuming func finish() -> [UInt8] {
        storage.removeSubrange(count...)
        return storage
    }

    /// An array of `size` bytes whose contents are about to be overwritten (UInt8 is trivial, and
    /// only the first `count` bytes are ever read).
    @inlinable static func uninitialized(_ size: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
    }

    /// Room for `extra` more bytes.
    @inlinable mutating func reserve(_ extra: Int) {
        if storage.count - count < extra { grow(extra) }
    }

    @usableFromInline mutating func grow(_ extra: Int) {
        var larger = Self.uninitialized(Swift.max(storage.count * 2, count + extra))
        larger.withUnsafeMutableBytes { target in
            storage.withUnsafeBytes { source in target.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: count) }
        }
        storage = larger
    }

    /// Appends bytes as they are (framing, pre-encoded defaults, copied values).
    @inlinable public mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress, !raw.isEmpty else { return }
        reserve(raw.count)
        let at = count
        storage.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: source, byteCount: raw.count) }
        count += raw.count
    }

    @inlinable public mutating func writeRaw(_ raw: [UInt8]) {
        raw.withUnsafeBytes { writeRaw($0) }
    }

    @inlinable public func writeNull() {}

    @inlinable public mutating func writeBoolean(_ value: Bool) { writeByte(value ? 1 : 0) }

    @inlinable mutating func writeByte(_ byte: UInt8) {
        reserve(1)
        let at = count
        storage.withUnsafeMutableBytes { $0[at] = byte }
        count += 1
    }

    @inlinable public mutating func writeInt(_ value: Int32) { writeLong(Int64(value)) }

    @inlinable public mutating func writeLong(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        reserve(10)
        let at = count
        count += storage.withUnsafeMutableBytes { buffer in
            var index = at
            while zigzag >= 0x80 {
                buffer[index] = UInt8(truncatingIfNeeded: zigzag) | 0x80
                index += 1
                zigzag >>= 7
            }
            buffer[index] = UInt8(zigzag)
            return index + 1 - at
        }
    }

    @inlinable public mutating func writeFloat(_ value: Float) { writeLittleEndian(value.bitPattern) }

    @inlinable public mutating func writeDouble(_ value: Double) { writeLittleEndian(value.bitPattern) }

    @inlinable mutating func writeLittleEndian<Word: FixedWidthInteger>(_ word: Word) {
        let size = MemoryLayout<Word>.size
        reserve(size)
        let at = count
        storage.withUnsafeMutableBytes { $0.storeBytes(of: word.littleEndian, toByteOffset: at, as: Word.self) }
        count += size
    }

    @inlinable public mutating func writeBytes(_ value: [UInt8]) {
        writeLong(Int64(value.count))
        writeRaw(value)
    }

    @inlinable public mutating func writeString(_ value: String) {
        // Native strings lend their UTF-8 without a copy; others (bridged, lazily decoded) are made contiguous.
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            writeLong(Int64(utf8.count))
            writeRaw(UnsafeRawBufferPointer(utf8))
        }
        if written == nil {
            var copy = value
            copy.withUTF8 { utf8 in
                writeLong(Int64(utf8.count))
                writeRaw(UnsafeRawBufferPointer(utf8))
            }
        }
    }

    /// Exactly the fixed's bytes; the caller's type guarantees the size.
    @inlinable public mutating func writeFixed(_ value: [UInt8]) { writeRaw(value) }

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
        writeByte(0)
    }

    @inlinable public mutating func writeMap<Value>(_ entries: [String: Value], _ write: (inout AvroBinaryWriter, Value) -> Void) {
        if !entries.isEmpty {
            writeLong(Int64(entries.count))
            if entries.count == 1 {
                for (key, value) in entries { writeString(key); write(&self, value) }
            } else {
                // String order: byte order for ASCII keys (a memcmp), code-point order of the NFC
                // form otherwise — deterministic either way, as a Dictionary holds NFC-distinct keys.
                for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
                    writeString(key)
                    write(&self, value)
                }
            }
        }
        writeByte(0)
    }
}
