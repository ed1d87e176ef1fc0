import AvroRuntime
import Testing

/// The writer's buffer: the stack scratch of `avroBytes()`/`withAvroBytes`, growth onto the heap,
/// rewinding a failed attempt, and map order on either side of the small-map limit.
struct WriterBufferTests {
    /// A record of one array of strings, sized by the test.
    struct Lines: AvroCodable, Equatable {
        var lines: [String]
        init(lines: [String]) { self.lines = lines }
        init(from reader: inout AvroBinaryReader) throws(AvroDecodingError) {
            lines = try reader.readArray { (reader) throws(AvroDecodingError) in try reader.readString() }
        }
        func encode(to writer: inout AvroBinaryWriter) {
            writer.writeArray(lines) { writer, line in writer.writeString(line) }
        }
    }

    /// A non-negative length as a zigzag varint, written without the writer.
    private func varint(_ value: Int) -> [UInt8] {
        var rest = UInt64(value) << 1
        var bytes: [UInt8] = []
        while rest >= 0x80 { bytes.append(UInt8(rest & 0x7f) | 0x80); rest >>= 7 }
        return bytes + [UInt8(rest)]
    }

    /// Strings one after the other, as the specification writes them.
    private func strings(_ lines: [String]) -> [UInt8] { lines.flatMap { varint($0.utf8.count) + Array($0.utf8) } }

    /// The expected encoding of `Lines`.
    private func reference(_ lines: [String]) -> [UInt8] {
        lines.isEmpty ? [0] : varint(lines.count) + strings(lines) + [0]
    }

    @Test(arguments: [0, 1, 20, 200, 5_000])
    func recordsOnAndBeyondTheStackScratch(lineCount: Int) throws {
        // Past ~1 KiB the writer leaves the stack scratch for the heap; the bytes must not change.
        let value = Lines(lines: (0..<lineCount).map { "line \($0): \(String(repeating: "é", count: $0 % 7))" })
        let bytes = value.avroBytes()
        #expect(bytes == reference(value.lines))
        #expect(value.withAvroBytes { Array($0) } == bytes)
        #expect(try Lines(avro: bytes) == value)
    }

    @Test func aSmallWriterGrowsAsItWrites() {
        var writer = AvroBinaryWriter(capacity: 1)
        let lines = (0..<100).map { String(repeating: "x", count: $0) }
        for line in lines { writer.writeString(line) }
        let expected = strings(lines)
        #expect(writer.byteCount == expected.count)
        let bytes = writer.finish()
        #expect(bytes == expected)
    }

    @Test func rewindDropsAFailedAttempt() {
        var writer = AvroBinaryWriter()
        writer.writeLong(1)
        let mark = writer.byteCount
        writer.writeString("attempt")
        writer.rewind(to: mark)
        writer.writeLong(2)
        #expect(writer.bytes == [0x02, 0x04])
    }

    @Test(arguments: [2, 16, 17, 100])
    func mapsAreSortedOnBothSidesOfTheSmallMapLimit(count: Int) throws {
        let entries = Dictionary(uniqueKeysWithValues: (0..<count).map { ("key-\(($0 * 7919) % 1000)-\($0)", Int64($0)) })
        var writer = AvroBinaryWriter()
        writer.writeMap(entries) { $0.writeLong($1) }
        var expected = AvroBinaryWriter()
        expected.writeLong(Int64(count))
        for key in entries.keys.sorted() { expected.writeString(key); expected.writeLong(entries[key]!) }
        expected.writeLong(0)
        #expect(writer.bytes == expected.bytes)
        let back = try AvroBinaryReader.read(writer.bytes) { (r) throws(AvroDecodingError) in
            try r.readMap { (r) throws(AvroDecodingError) in try r.readLong() }
        }
        #expect(back == entries)
    }

    @Test func mapsSpreadOverSeveralBlocksDecodeWhole() throws {
        // {"a": 1} then {"b": 2, "c": 3}: the second block is larger than the first one sized the map for.
        let bytes: [UInt8] = [0x02, 0x02, 0x61, 0x02, 0x04, 0x02, 0x62, 0x04, 0x02, 0x63, 0x06, 0x00]
        let map = try AvroBinaryReader.read(bytes) { (r) throws(AvroDecodingError) in
            try r.readMap { (r) throws(AvroDecodingError) in try r.readLong() }
        }
        #expect(map == ["a": 1, "b": 2, "c": 3])
    }
}
