import AvroRuntime
import Testing

/// Every kind of malformed input is a typed error: never a crash, never an allocation sized by
/// a length read from the input.
struct BadInputTests {
    private func failure<T>(_ bytes: [UInt8], _ read: (inout AvroBinaryReader) throws(AvroDecodingError) -> T) -> AvroDecodingError? {
        do throws(AvroDecodingError) {
            _ = try AvroBinaryReader.read(bytes, read)
            return nil
        } catch { return error }
    }

    @Test func truncatedValues() {
        #expect(failure([]) { (r) throws(AvroDecodingError) in try r.readLong() } == .truncated(offset: 0))
        #expect(failure([0x80, 0x80]) { (r) throws(AvroDecodingError) in try r.readLong() } == .truncated(offset: 2))
        #expect(failure([0, 0, 0]) { (r) throws(AvroDecodingError) in try r.readDouble() } == .truncated(offset: 0))
        #expect(failure([0, 0]) { (r) throws(AvroDecodingError) in try r.readFloat() } == .truncated(offset: 0))
        #expect(failure([]) { (r) throws(AvroDecodingError) in try r.readBoolean() } == .truncated(offset: 0))
        // an array whose second item is missing
        #expect(failure([0x04, 0x02]) { (r) throws(AvroDecodingError) in
            try r.readArray { (r) throws(AvroDecodingError) in try r.readLong() }
        } == .truncated(offset: 2))
    }

    @Test func lengthsPastTheEndAreRejectedBeforeAllocating() {
        // A string claiming 2^62 bytes in a 10-byte buffer: rejected from the length alone.
        var huge = AvroBinaryWriter()
        huge.writeLong(1 << 62)
        #expect(failure(huge.bytes) { (r) throws(AvroDecodingError) in try r.readString() }
                == .lengthPastEnd(offset: 0, length: 1 << 62, remaining: 0))
        #expect(failure([0x06, 0x61]) { (r) throws(AvroDecodingError) in try r.readBytes() } == .lengthPastEnd(offset: 0, length: 3, remaining: 1))
        #expect(failure([0x01]) { (r) throws(AvroDecodingError) in try r.readBytes() } == .negativeLength(offset: 0, length: -1))
        #expect(failure([0x61]) { (r) throws(AvroDecodingError) in try r.readFixed(size: 16) } == .lengthPastEnd(offset: 0, length: 16, remaining: 1))
        // a negative block whose byte size runs past the end
        #expect(failure([0x03, 0x7e, 0x00]) { (r) throws(AvroDecodingError) in
            try r.readArray { (r) throws(AvroDecodingError) in try r.readLong() }
        } == .lengthPastEnd(offset: 1, length: 63, remaining: 1))
    }

    @Test func hugeCountsOfEmptyItemsHitTheLimit() {
        var writer = AvroBinaryWriter()
        writer.writeLong(Int64(1) << 40)
        let error = failure(writer.bytes) { (r) throws(AvroDecodingError) in try r.readArray { (r) throws(AvroDecodingError) in r.readNull() } }
        #expect(error == .tooManyItems(offset: 0, count: 1 << 40, limit: AvroDecodingLimits.default.maxCollectionItems))
    }

    @Test func invalidUnionAndEnumIndexes() {
        #expect(failure([0x04]) { (r) throws(AvroDecodingError) in try r.readUnionIndex(branchCount: 2) }
                == .invalidUnionIndex(offset: 0, index: 2, branchCount: 2))
        #expect(failure([0x01]) { (r) throws(AvroDecodingError) in try r.readUnionIndex(branchCount: 2) }
                == .invalidUnionIndex(offset: 0, index: -1, branchCount: 2))
        #expect(failure([0x06]) { (r) throws(AvroDecodingError) in
            try r.readOptional(nullIndex: 0) { (r) throws(AvroDecodingError) in try r.readString() }
        } == .invalidUnionIndex(offset: 0, index: 3, branchCount: 2))
        #expect(failure([0x08]) { (r) throws(AvroDecodingError) in try r.readEnumIndex(symbolCount: 4) }
                == .invalidEnumIndex(offset: 0, index: 4, symbolCount: 4))
    }

    @Test func invalidUTF8() {
        for bad: [UInt8] in [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]] {
            var writer = AvroBinaryWriter()
            writer.writeBytes(bad)
            #expect(failure(writer.bytes) { (r) throws(AvroDecodingError) in try r.readString() } == .invalidUTF8(offset: 1))
        }
    }

    @Test func invalidUTF8AnywhereInShortAndLongStrings() {
        // Strings up to 15 bytes take the small-string path, longer ones the validating one: an
        // invalid byte at any position of either must be caught.
        for length in [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 40] {
            for position in 0..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                bytes[position] = 0xff
                var writer = AvroBinaryWriter()
                writer.writeBytes(bytes)
                #expect(failure(writer.bytes) { (r) throws(AvroDecodingError) in try r.readString() } == .invalidUTF8(offset: 1),
                        "length \(length), 0xff at \(position)")
            }
        }
    }

    @Test func malformedVarintsAndBooleans() {
        #expect(failure([UInt8](repeating: 0x80, count: 11)) { (r) throws(AvroDecodingError) in try r.readLong() } == .varintTooLong(offset: 0))
        #expect(failure([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) { (r) throws(AvroDecodingError) in try r.readInt() } == .varintTooLong(offset: 0))
        // 2^32 fits in 5 bytes but not in an int
        #expect(failure([0x80, 0x80, 0x80, 0x80, 0x20]) { (r) throws(AvroDecodingError) in try r.readInt() }
                == .intOutOfRange(offset: 0, value: 1 << 32))
        #expect(failure([0x02]) { (r) throws(AvroDecodingError) in try r.readBoolean() } == .invalidBoolean(offset: 0, byte: 2))
    }

    @Test func framingErrors() {
        #expect(throws: AvroDecodingError.badMagicByte(expected: [0], found: [1])) { try ConfluentFraming.parse([1, 0, 0, 0, 1, 2]) }
        #expect(throws: AvroDecodingError.badMagicByte(expected: [0], found: [])) { try ConfluentFraming.parse([UInt8]()) }
        #expect(throws: AvroDecodingError.truncated(offset: 3)) { try ConfluentFraming.parse([0, 0, 0]) }
        #expect(throws: AvroDecodingError.badMagicByte(expected: [0xc3, 0x01], found: [0xc3, 0x02])) { try SingleObjectEncoding.parse([0xc3, 0x02, 1]) }
        #expect(throws: AvroDecodingError.truncated(offset: 5)) { try SingleObjectEncoding.parse([0xc3, 0x01, 1, 2, 3]) }
    }

    @Test func trailingBytes() {
        #expect(throws: AvroDecodingError.trailingBytes(offset: 1, count: 1)) { try Counter(avro: [0x02, 0x00] as [UInt8]) }
    }

    @Test func unknownSchemaIDAndFingerprint() throws {
        let bytes = Counter(count: 5).confluentBytes(schemaID: 7)
        #expect(bytes == [0, 0, 0, 0, 7, 0x0a])
        #expect(try Counter(confluent: bytes, schemaIDs: [7]) == Counter(count: 5))
        #expect(throws: AvroDecodingError.unknownSchemaID(7)) { try Counter(confluent: bytes, schemaIDs: [8]) }
        var other = Counter(count: 5).singleObjectBytes()
        other[2] ^= 1
        #expect(throws: AvroDecodingError.unknownFingerprint(Counter.avroFingerprint ^ 1)) { try Counter(singleObject: other) }
    }
}

/// A hand-written message type, as the generator would write it.
struct Counter: AvroMessage, Equatable {
    static let avroSchema = #"{"type":"record","name":"Counter","fields":[{"name":"count","type":"long"}]}"#
    static let avroFingerprint = SingleObjectEncoding.fingerprint(canonicalForm: avroSchema)
    var count: Int64

    init(count: Int64) { self.count = count }
    init(from reader: inout AvroBinaryReader) throws(AvroDecodingError) { count = try reader.readLong() }
    func encode(to writer: inout AvroBinaryWriter) { writer.writeLong(count) }
}

struct SingleObjectTests {
    /// The messageV1 vector: the header is C3 01 + the little-endian Rabin of the canonical form.
    @Test func headerCarriesLittleEndianFingerprint() throws {
        let header = SingleObjectEncoding.header(fingerprint: 0x3df5_42a2_f8e1_2da9)
        #expect(header == [0xc3, 0x01, 0xa9, 0x2d, 0xe1, 0xf8, 0xa2, 0x42, 0xf5, 0x3d])
        let parsed = try SingleObjectEncoding.parse(header + [0x0a])
        #expect(parsed.fingerprint == 0x3df5_42a2_f8e1_2da9)
        #expect(parsed.payloadStart == 10)
        #expect(try Counter(singleObject: Counter(count: -3).singleObjectBytes()) == Counter(count: -3))
    }
}
