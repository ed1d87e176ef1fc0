/// Writes Avro's binary encoding into a growing byte buffer, one value at a time, in schema order.
/// Arrays and maps are written as one block with a positive count; map keys in String order
/// (UTF-8 byte order for ASCII and NFC keys), so that equal values always give equal bytes.
///
/// The buffer is raw memory: a value is one capacity check and raw stores, with no array
/// uniqueness check or append per byte. The writer is noncopyable, so the memory has one owner
/// and is freed when the writer ends. `AvroCodable.avroBytes()` lends it a stack scratch buffer
/// first and copies the result into an array of the exact size: one heap allocation per record.
public struct AvroBinaryWriter: ~Copyable, @unchecked Sendable {
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var count: Int
    /// False while `base` is a caller's scratch buffer (see `init(scratch:)`).
    @usableFromInline var ownsBase: Bool

    @inlinable public init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(byteCount: self.capacity, alignment: 8)
        count = 0
        ownsBase = true
    }

    /// Writes into `scratch` until it is full, then moves to memory of its own. The caller keeps
    /// `scratch` alive for the writer's lifetime and takes the bytes with `finish()` inside it.
    @inlinable init(scratch: UnsafeMutableRawBufferPointer) {
        base = scratch.baseAddress!
        capacity = scratch.count
        count = 0
        ownsBase = false
    }

    /// Continues after `prefix` (a framing header).
    public init(prefix: [UInt8]) {
        self.init(capacity: prefix.count + 256)
        writeRaw(prefix)
    }

    deinit {
        if ownsBase { base.deallocate() }
    }

    /// Scratch bytes that `avroBytes()` takes on the stack (the stdlib allocates up to 1 KiB
    /// there without asking); larger records continue on the heap.
    @inlinable static var scratchSize: Int { 1024 }

    /// The bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeRawBufferPointer(start: base, count: count)) }

    /// How many bytes have been written.
    public var byteCount: Int { count }

    /// Drops what was written after the first `byteCount` bytes (a failed attempt at a union branch).
    public mutating func rewind(to byteCount: Int) {
        precondition(byteCount >= 0 && byteCount <= count, "rewind(to:) past the bytes written")
        count = byteCount
    }

    /// The bytes written; the writer is spent.
    @inlinable public consuming func finish() -> [UInt8] {
        // Array(_:) of a buffer is inlined and specialised here, so the array's class metadata comes
        // from a cache in this module: Array(unsafeUninitializedCapacity:) calls into the stdlib's
        // unspecialised allocator, which looks the metadata up in a hash map on every call.
        Array(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// Lends the bytes written so far to `body`.
    @inlinable public func withBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Room for `extra` more bytes.
    @inlinable @inline(__always) mutating func reserve(_ extra: Int) {
        if _slowPath(capacity &- count < extra) { grow(extra) }
    }

    @usableFromInline mutating func grow(_ extra: Int) {
        let larger = Swift.max(capacity * 2, count + extra)
        let moved = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 8)
        moved.copyMemory(from: base, byteCount: count)
        if ownsBase { base.deallocate() }
        base = moved
        capacity = larger
        ownsBase = true
    }

    /// Appends bytes as they are (framing, pre-encoded defaults, copied values).
    @inlinable public mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress, !raw.isEmpty else { return }
        reserve(raw.count)
        (base + count).copyMemory(from: source, byteCount: raw.count)
        count &+= raw.count
    }

    @inlinable public mutating func writeRaw(_ raw: [UInt8]) {
        raw.withUnsafeBytes { writeRaw($0) }
    }

    @inlinable public func writeNull() {}

    @inlinable public mutating func writeBoolean(_ value: Bool) { writeByte(value ? 1 : 0) }

    @inlinable mutating func writeByte(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    @inlinable public mutating func writeInt(_ value: Int32) { writeLong(Int64(value)) }

    @inlinable public mutating func writeLong(_ value: Int64) {
        reserve(10)
        writeVarintUnchecked(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// A varint into reserved room: one store for values under 128 (lengths, indices, small ints).
    @inlinable @inline(__always) mutating func writeVarintUnchecked(_ value: UInt64) {
        var rest = value
        var at = base + count
        while rest >= 0x80 {
            at.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, as: UInt8.self)
            at += 1
            rest &>>= 7
        }
        at.storeBytes(of: UInt8(truncatingIfNeeded: rest), as: UInt8.self)
        count = at + 1 - base
    }

    @inlinable public mutating func writeFloat(_ value: Float) { writeLittleEndian(value.bitPattern) }

    @inlinable public mutating func writeDouble(_ value: Double) { writeLittleEndian(value.bitPattern) }

    @inlinable mutating func writeLittleEndian<Word: FixedWidthInteger>(_ word: Word) {
        let size = MemoryLayout<Word>.size
        reserve(size)
        base.storeBytes(of: word.littleEndian, toByteOffset: count, as: Word.self)
        count &+= size
    }

    @inlinable public mutating func writeBytes(_ value: [UInt8]) {
        value.withUnsafeBytes { writeLengthPrefixed($0) }
    }

    @inlinable public mutating func writeString(_ value: String) {
        // Native strings lend their UTF-8 without a copy; others (bridged, lazily decoded) are made contiguous.
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
        if written == nil {
            var copy = value
            copy.withUTF8 { writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
        }
    }

    /// A length and the bytes, under one capacity check.
    @inlinable mutating func writeLengthPrefixed(_ raw: UnsafeRawBufferPointer) {
        reserve(10 &+ raw.count)
        writeVarintUnchecked(UInt64(raw.count) << 1)
        if let source = raw.baseAddress, !raw.isEmpty {
            (base + count).copyMemory(from: source, byteCount: raw.count)
            count &+= raw.count
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

    /// Entries in key order (String order: UTF-8 byte order for ASCII and NFC keys, code-point
    /// order of the NFC form otherwise), so that equal maps give equal bytes whatever the
    /// Dictionary's hash seed. Avro does not require an order; determinism is ours.
    @inlinable public mutating func writeMap<Value>(_ entries: [String: Value], _ write: (inout AvroBinaryWriter, Value) -> Void) {
        let count = entries.count
        if count > 0 {
            writeLong(Int64(count))
            if count == 1 {
                for (key, value) in entries { writeString(key); write(&self, value) }
            } else if count <= Self.smallMapLimit {
                // Sorts the indices on the stack: no array of copied pairs, no retain per entry.
                withUnsafeTemporaryAllocation(of: Dictionary<String, Value>.Index.self, capacity: count) { order in
                    let keys = entries.keys
                    var sorted = 0
                    var next = entries.startIndex
                    while next != entries.endIndex {
                        var slot = sorted
                        while slot > 0, keys[next] < keys[order[slot - 1]] {
                            (order.baseAddress! + slot).initialize(to: order.baseAddress!.advanced(by: slot - 1).move())
                            slot -= 1
                        }
                        (order.baseAddress! + slot).initialize(to: next)
                        sorted += 1
                        entries.formIndex(after: &next)
                    }
                    for position in 0..<count {
                        writeString(keys[order[position]])
                        write(&self, entries.values[order[position]])
                    }
                    order.baseAddress!.deinitialize(count: count)
                }
            } else {
                for index in entries.indices.sorted(by: { entries.keys[$0] < entries.keys[$1] }) {
                    writeString(entries.keys[index])
                    write(&self, entries.values[index])
                }
            }
        }
        writeByte(0)
    }

    /// Maps up to this size sort by insertion on the stack; larger ones sort an array of indices.
    @inlinable static var smallMapLimit: Int { 16 }
}
