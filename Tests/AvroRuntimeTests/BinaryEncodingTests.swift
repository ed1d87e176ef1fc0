import AvroRuntime
import Testing

/// The encodings the specification and independent encoders agree on (research/avro.md §5).
struct BinaryEncodingTests {
    private func encoded(_ write: (inout AvroBinaryWriter) -> Void) -> [UInt8] {
        var writer = AvroBinaryWriter()
        write(&writer)
        return writer.bytes
    }

    @Test func zigZagVarints() throws {
        let cases: [(Int64, [UInt8])] = [(0, [0x00]), (-1, [0x01]), (1, [0x02]), (-2, [0x03]), (2, [0x04]), (-64, [0x7f]), (64, [0x80, 0x01]),
                                         (.max, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
                                         (.min, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]
        for (value, bytes) in cases {
            #expect(encoded { $0.writeLong(value) } == bytes, "\(value)")
            #expect(try AvroBinaryReader.read(bytes) { (r) throws(AvroDecodingError) in try r.readLong() } == value)
        }
        for value in [Int32.min, -1, 0, 1, .max] {
            let bytes = encoded { $0.writeInt(value) }
            #expect(try AvroBinaryReader.read(bytes) { (r) throws(AvroDecodingError) in try r.readInt() } == value)
        }
    }

    @Test func recordStringAndUnion() throws {
        // {a: 27, b: "foo"} and ["null","string"] "a", as fastavro and Avro C write them.
        #expect(encoded { $0.writeLong(27); $0.writeString("foo") } == [0x36, 0x06, 0x66, 0x6f, 0x6f])
        #expect(encoded { $0.writeOptional("a", nullIndex: 0) { $0.writeString($1) } } == [0x02, 0x02, 0x61])
        #expect(encoded { $0.writeOptional(String?.none, nullIndex: 0) { $0.writeString($1) } } == [0x00])
        let read = try AvroBinaryReader.read([0x02, 0x02, 0x61] as [UInt8]) { (r) throws(AvroDecodingError) in
            try r.readOptional(nullIndex: 0) { (r) throws(AvroDecodingError) in try r.readString() }
        }
        #expect(read == "a")
    }

    @Test func stringsOfEveryShortLengthRoundTrip() throws {
        // 0 to 15 bytes are copied into small Strings word by word; check every length and a
        // non-ASCII character at the start, the middle and the end.
        for length in 0...20 {
            let ascii = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) })
            var texts = [ascii]
            if length >= 2 { texts += ["é" + ascii.dropFirst(2), ascii.dropLast(2) + "é", String(ascii.prefix(length / 2 - 1)) + "é" + ascii.suffix(length - length / 2 - 1)] }
            for text in texts {
                let bytes = encoded { $0.writeString(text) }
                let back = try AvroBinaryReader.read(bytes) { (r) throws(AvroDecodingError) in try r.readString() }
                #expect(Array(back.utf8) == Array(text.utf8), "\(text)")
            }
        }
    }

    @Test func floatsAreLittleEndianAndKeepNaNPayloads() throws {
        #expect(encoded { $0.writeDouble(1.0) } == [0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
        #expect(encoded { $0.writeFloat(1.0) } == [0, 0, 0x80, 0x3f])
        let nan = Double(bitPattern: 0x7ff8_0000_0000_0001)
        let back = try AvroBinaryReader.read(encoded { $0.writeDouble(nan) }) { (r) throws(AvroDecodingError) in try r.readDouble() }
        #expect(back.bitPattern == nan.bitPattern)
    }

    @Test func arraysAcceptPositiveAndNegativeBlockCounts() throws {
        #expect(encoded { $0.writeArray([3, 27] as [Int64]) { $0.writeLong($1) } } == [0x04, 0x06, 0x36, 0x00])
        #expect(encoded { $0.writeArray([] as [Int64]) { $0.writeLong($1) } } == [0x00])
        for bytes: [UInt8] in [[0x04, 0x06, 0x36, 0x00], [0x03, 0x04, 0x06, 0x36, 0x00], [0x02, 0x06, 0x02, 0x36, 0x00]] {
            let items = try AvroBinaryReader.read(bytes) { (r) throws(AvroDecodingError) in
                try r.readArray { (r) throws(AvroDecodingError) in try r.readLong() }
            }
            #expect(items == [3, 27], "\(bytes)")
        }
        // map {"a": 1} in a negative block with its byte size (3 bytes: 02 61 02)
        let map = try AvroBinaryReader.read([0x01, 0x06, 0x02, 0x61, 0x02, 0x00] as [UInt8]) { (r) throws(AvroDecodingError) in
            try r.readMap { (r) throws(AvroDecodingError) in try r.readLong() }
        }
        #expect(map == ["a": 1])
    }

    @Test func mapsAreWrittenInKeyByteOrder() {
        let bytes = encoded { $0.writeMap(["b": 2, "a": 1, "é": 3] as [String: Int64]) { $0.writeLong($1) } }
        #expect(bytes == [0x06, 0x02, 0x61, 0x02, 0x02, 0x62, 0x04, 0x04, 0xc3, 0xa9, 0x06, 0x00])
    }

    @Test func decimalsUseMinimalTwosComplement() throws {
        // decimal(4,2): 1.23 -> 7b, -1.23 -> 85, 1.28 -> 00 80 (research/avro.md §4.2)
        #expect(AvroDecimal("1.23", scale: 2)?.unscaled == [0x7b])
        #expect(AvroDecimal("-1.23", scale: 2)?.unscaled == [0x85])
        #expect(AvroDecimal("1.28", scale: 2)?.unscaled == [0x00, 0x80])
        #expect(AvroDecimal("-1.28", scale: 2)?.unscaled == [0x80])
        #expect(AvroDecimal("0", scale: 2)?.unscaled == [0x00])
        #expect(AvroDecimal("1.234", scale: 2) == nil)
        for text in ["-1.23", "1.28", "0.00", "-0.01", "123456789012345678901234567890.12", "-128.00"] {
            #expect(AvroDecimal(text, scale: 2)?.description == text)
        }
        #expect(encoded { $0.writeFixedDecimal(AvroDecimal("-1.23", scale: 2)!, size: 4) } == [0xff, 0xff, 0xff, 0x85])
        let back = try AvroBinaryReader.read([0xff, 0xff, 0xff, 0x85] as [UInt8]) { (r) throws(AvroDecodingError) in
            try r.readFixedDecimal(size: 4, scale: 2)
        }
        #expect(back.description == "-1.23")
    }
}
