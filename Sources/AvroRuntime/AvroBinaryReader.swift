/// Reads Avro's binary encoding from a byte buffer, one value at a time, in schema order.
/// Every length is checked against the bytes that remain before anything is allocated, so no
/// input can make it crash or allocate more than the input's own size.
///
/// The reader borrows the buffer: make one with `AvroBinaryReader.read(_:limits:_:)`, which keeps
/// the bytes alive for the duration of the closure.
public struct AvroBinaryReader {
    @usableFromInline let base: UnsafeRawBufferPointer
    @usableFromInline var position: Int
    @usableFromInline var depth = 0
    /// The offset of the next byte to read.
    public var offset: Int { position }
    public let limits: AvroDecodingLimits

    /// A reader over `bytes`, which must stay valid while the reader is used.
    @inlinable public init(unsafeBytes bytes: UnsafeRawBufferPointer, limits: AvroDecodingLimits = .default) {
        self.base = bytes
        self.position = 0
        self.limits = limits
    }

    /// Runs `body` with a reader over an array's bytes (no type-erased detour: the hot path).
    @inlinable public static func read<Result>(
        _ bytes: [UInt8], limits: AvroDecodingLimits = .default,
        _ body: (inout AvroBinaryReader) throws(AvroDecodingError) -> Result
    ) throws(AvroDecodingError) -> Result {
        // withUnsafeBytes rethrows untyped; only AvroDecodingError can come out of `body`.
        do {
            return try bytes.withUnsafeBytes { buffer in
                var reader = AvroBinaryReader(unsafeBytes: buffer, limits: limits)
                return try body(&reader)
            }
        } catch let error as AvroDecodingError { throw error } catch { fatalError("unreachable: \(error)") }
    }

    /// Runs `body` with a reader over `bytes`.
    public static func read<Bytes: Collection, Result>(
        _ bytes: Bytes, limits: AvroDecodingLimits = .default,
        _ body: (inout AvroBinaryReader) throws(AvroDecodingError) -> Result
    ) throws(AvroDecodingError) -> Result where Bytes.Element == UInt8 {
        let outcome: Swift.Result<Result, AvroDecodingError>? = bytes.withContiguousStorageIfAvailable { buffer in
            var reader = AvroBinaryReader(unsafeBytes: UnsafeRawBufferPointer(buffer), limits: limits)
            do throws(AvroDecodingError) { return .success(try body(&reader)) } catch { return .failure(error) }
        }
        if let outcome { return try outcome.get() }
        return try read(Array(bytes), limits: limits, body)
    }

    @inlinable public var remaining: Int { base.count - position }
    @inlinable public var isAtEnd: Bool { position == base.count }

    /// Throws when bytes are left over: a datum must use its whole buffer.
    @inlinable public func expectEnd() throws(AvroDecodingError) {
        if position != base.count { throw .trailingBytes(offset: position, count: base.count - position) }
    }

    // MARK: - Primitives

    /// `null` takes no bytes.
    @inlinable public func readNull() {}

    @inlinable public mutating func readBoolean() throws(AvroDecodingError) -> Bool {
        guard position < base.count else { throw .truncated(offset: position) }
        let byte = base[position]
        guard byte <= 1 else { throw .invalidBoolean(offset: position, byte: byte) }
        position += 1
        return byte == 1
    }

    @inlinable public mutating func readInt() throws(AvroDecodingError) -> Int32 {
        let start = position
        let value = try readVarint(maxBytes: 5)
        let decoded = Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
        guard let int = Int32(exactly: decoded) else { throw .intOutOfRange(offset: start, value: decoded) }
        return int
    }

    @inlinable public mutating func readLong() throws(AvroDecodingError) -> Int64 {
        let value = try readVarint(maxBytes: 10)
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    @inlinable @inline(__always) mutating func readVarint(maxBytes: Int) throws(AvroDecodingError) -> UInt64 {
        // One byte (lengths, indices, small ints) is the common case: one check, one load.
        if _fastPath(position < base.count) {
            let first = base.load(fromByteOffset: position, as: UInt8.self)
            if first < 0x80 {
                position &+= 1
                return UInt64(first)
            }
        }
        return try readLongVarint(maxBytes: maxBytes)
    }

    @usableFromInline mutating func readLongVarint(maxBytes: Int) throws(AvroDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        while true {
            guard index < base.count else { throw .truncated(offset: index) }
            let byte = base[index]
            index += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            if index - position >= maxBytes { throw .varintTooLong(offset: position) }
        }
        position = index
        return result
    }

    @inlinable public mutating func readFloat() throws(AvroDecodingError) -> Float {
        guard remaining >= 4 else { throw .truncated(offset: position) }
        let bits = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return Float(bitPattern: bits)
    }

    @inlinable public mutating func readDouble() throws(AvroDecodingError) -> Double {
        guard remaining >= 8 else { throw .truncated(offset: position) }
        let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position += 8
        return Double(bitPattern: bits)
    }

    /// A length prefix, checked against the remaining bytes.
    @inlinable mutating func readLength() throws(AvroDecodingError) -> Int {
        let start = position
        let length = try readLong()
        guard length >= 0 else { throw .negativeLength(offset: start, length: length) }
        guard length <= Int64(remaining) else { throw .lengthPastEnd(offset: start, length: length, remaining: remaining) }
        return Int(length)
    }

    @inlinable public mutating func readBytes() throws(AvroDecodingError) -> [UInt8] {
        let length = try readLength()
        return takeBytes(length)
    }

    @inlinable public mutating func readString() throws(AvroDecodingError) -> String {
        let length = try readLength()
        let start = position
        let source = base.baseAddress! + start
        let string: String
        if length <= 15, Self.isShortASCII(source, length) {
            // Fits a small (inline) String: the bytes are copied into it, nothing is allocated or scanned again.
            string = String(unsafeUninitializedCapacity: length) { target in
                Self.copyShort(length, from: source, to: UnsafeMutableRawPointer(target.baseAddress!))
                return length
            }
        } else {
            // One validating pass and one allocation: the stdlib's own non-generic entry point, which
            // String(validatingCString:) inlines into clients too (String(validating:as:) is generic
            // and several times slower).
            guard let validated = String._tryFromUTF8(UnsafeBufferPointer(start: source.assumingMemoryBound(to: UInt8.self), count: length)) else {
                throw .invalidUTF8(offset: start)
            }
            string = validated
        }
        position &+= length
        return string
    }

    /// Copies `count` (at most 15) bytes with the same overlapping loads, not a memcpy call.
    @inlinable @inline(__always) static func copyShort(_ count: Int, from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        if count >= 8 {
            let head = source.loadUnaligned(as: UInt64.self), tail = (source + (count &- 8)).loadUnaligned(as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            (target + (count &- 8)).storeBytes(of: tail, as: UInt64.self)
        } else if count >= 4 {
            let head = source.loadUnaligned(as: UInt32.self), tail = (source + (count &- 4)).loadUnaligned(as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            (target + (count &- 4)).storeBytes(of: tail, as: UInt32.self)
        } else {
            for offset in 0..<count { (target + offset).storeBytes(of: (source + offset).load(as: UInt8.self), as: UInt8.self) }
        }
    }

    /// Whether `count` (at most 15) bytes are ASCII, with two overlapping loads inside the bytes.
    @inlinable @inline(__always) static func isShortASCII(_ bytes: UnsafeRawPointer, _ count: Int) -> Bool {
        let high: UInt64
        if count >= 8 {
            high = bytes.loadUnaligned(as: UInt64.self) | (bytes + (count &- 8)).loadUnaligned(as: UInt64.self)
        } else if count >= 4 {
            high = UInt64(bytes.loadUnaligned(as: UInt32.self) | (bytes + (count &- 4)).loadUnaligned(as: UInt32.self))
        } else if count > 0 {
            high = UInt64(bytes.load(as: UInt8.self) | (bytes + (count >> 1)).load(as: UInt8.self) | (bytes + (count &- 1)).load(as: UInt8.self))
        } else {
            return true
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    @inlinable public mutating func readFixed(size: Int) throws(AvroDecodingError) -> [UInt8] {
        guard size <= remaining else { throw .lengthPastEnd(offset: position, length: Int64(size), remaining: remaining) }
        return takeBytes(size)
    }

    @inlinable mutating func takeBytes(_ count: Int) -> [UInt8] {
        let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: base[position..<position + count]))
        position += count
        return bytes
    }

    /// Moves past `count` bytes (for skipping values a reader's schema does not have).
    @inlinable public mutating func skip(_ count: Int) throws(AvroDecodingError) {
        guard count >= 0, count <= remaining else { throw .lengthPastEnd(offset: position, length: Int64(count), remaining: remaining) }
        position += count
    }

    /// Skips a bytes or string value.
    @inlinable public mutating func skipBytes() throws(AvroDecodingError) { try skip(try readLength()) }

    /// Reads a field through which a record contains itself, one level deeper, within the
    /// limits' `maxDepth`, so that hostile input cannot exhaust the stack.
    @inlinable public mutating func readNested<Value>(
        _ value: (inout AvroBinaryReader) throws(AvroDecodingError) -> Value
    ) throws(AvroDecodingError) -> Value {
        guard depth < limits.maxDepth else { throw .tooDeep(offset: position, limit: limits.maxDepth) }
        depth += 1
        defer { depth -= 1 }
        return try value(&self)
    }

    // MARK: - Enums and unions

    /// An enum's symbol index, checked against the number of symbols.
    @inlinable public mutating func readEnumIndex(symbolCount: Int) throws(AvroDecodingError) -> Int {
        let start = position
        let index = try readInt()
        guard index >= 0, Int(index) < symbolCount else {
            throw .invalidEnumIndex(offset: start, index: Int64(index), symbolCount: symbolCount)
        }
        return Int(index)
    }

    /// A union's branch index, checked against the number of branches.
    @inlinable public mutating func readUnionIndex(branchCount: Int) throws(AvroDecodingError) -> Int {
        let start = position
        let index = try readLong()
        guard index >= 0, index < Int64(branchCount) else {
            throw .invalidUnionIndex(offset: start, index: index, branchCount: branchCount)
        }
        return Int(index)
    }

    /// A `[null, T]` or `[T, null]` union: nil for the null branch.
    @inlinable public mutating func readOptional<Value>(
        nullIndex: Int, _ value: (inout AvroBinaryReader) throws(AvroDecodingError) -> Value
    ) throws(AvroDecodingError) -> Value? {
        if try readUnionIndex(branchCount: 2) == nullIndex { return nil }
        return try value(&self)
    }

    // MARK: - Arrays and maps

    /// The item count of the next block (0 ends the sequence). A negative count is followed by
    /// the block's size in bytes, which is read and checked.
    @inlinable public mutating func readBlockCount(itemsSoFar: Int) throws(AvroDecodingError) -> Int {
        let start = position
        var count = try readLong()
        if count < 0 {
            guard count != .min else { throw .negativeLength(offset: start, length: count) }
            count = -count
            let sizeStart = position
            let size = try readLong()
            guard size >= 0 else { throw .negativeLength(offset: sizeStart, length: size) }
            guard size <= Int64(remaining) else { throw .lengthPastEnd(offset: sizeStart, length: size, remaining: remaining) }
        }
        guard count <= Int64(limits.maxCollectionItems - itemsSoFar) else {
            throw .tooManyItems(offset: start, count: count, limit: limits.maxCollectionItems)
        }
        return Int(count)
    }

    @inlinable public mutating func readArray<Element>(
        _ element: (inout AvroBinaryReader) throws(AvroDecodingError) -> Element
    ) throws(AvroDecodingError) -> [Element] {
        var items: [Element] = []
        while true {
            let count = try readBlockCount(itemsSoFar: items.count)
            if count == 0 { return items }
            // Never trust the count for the allocation: an item takes at least one byte, mostly.
            items.reserveCapacity(items.count + min(count, remaining))
            for _ in 0..<count { items.append(try element(&self)) }
        }
    }

    @inlinable public mutating func readMap<Value>(
        _ value: (inout AvroBinaryReader) throws(AvroDecodingError) -> Value
    ) throws(AvroDecodingError) -> [String: Value] {
        var count = try readBlockCount(itemsSoFar: 0)
        if count == 0 { return [:] }
        // Sized from the first block (an entry takes at least one byte): one allocation, no rehash.
        var entries = [String: Value](minimumCapacity: min(count, remaining))
        var itemsSoFar = 0
        repeat {
            itemsSoFar += count
            if itemsSoFar > entries.capacity { entries.reserveCapacity(min(itemsSoFar, entries.count + remaining)) }
            for _ in 0..<count {
                let key = try readString()
                entries[key] = try value(&self)
            }
            count = try readBlockCount(itemsSoFar: itemsSoFar)
        } while count != 0
        return entries
    }
}
