import AvroRuntime
import Testing

/// Schema resolution by the spec's rules: the writer's bytes rewritten into the reader's encoding,
/// compared with what the reader's own encoder writes for the expected value.
struct SchemaResolutionTests {
    private func bytes(_ write: (inout AvroBinaryWriter) -> Void) -> [UInt8] {
        var writer = AvroBinaryWriter()
        write(&writer)
        return writer.bytes
    }

    private func resolve(_ writerSchema: String, _ readerSchema: String, _ data: [UInt8]) throws -> [UInt8] {
        try AvroResolution(writerSchema: writerSchema, readerSchema: readerSchema).readerBytes(fromWriterBytes: data)
    }

    private func record(_ fields: String, name: String = "R", extra: String = "") -> String {
        #"{"type":"record","name":"\#(name)","namespace":"test"\#(extra),"fields":[\#(fields)]}"#
    }

    @Test func addedFieldsTakeTheirDefaultsAndRemovedFieldsAreSkipped() throws {
        let writer = record(#"{"name":"id","type":"string"},{"name":"legacy","type":{"type":"array","items":"long"}},{"name":"n","type":"int"}"#)
        let reader = record(#"""
            {"name":"id","type":"string"},{"name":"tag","type":["null","string"],"default":null},
            {"name":"n","type":"int"},{"name":"labels","type":{"type":"map","values":"string"},"default":{"k":"v"}},
            {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"double","default":1.5}]},"default":{}}
            """#)
        let data = bytes { $0.writeString("a"); $0.writeArray([1, 2, 3] as [Int64]) { $0.writeLong($1) }; $0.writeInt(-7) }
        let expected = bytes {
            $0.writeString("a"); $0.writeUnionIndex(0); $0.writeInt(-7)
            $0.writeMap(["k": "v"]) { $0.writeString($1) }; $0.writeDouble(1.5)
        }
        #expect(try resolve(writer, reader, data) == expected)
    }

    @Test func reorderedFieldsComeOutInTheReadersOrder() throws {
        let writer = record(#"{"name":"a","type":"int"},{"name":"b","type":"string"},{"name":"c","type":"boolean"}"#)
        let reader = record(#"{"name":"c","type":"boolean"},{"name":"a","type":"long"},{"name":"new","type":"int","default":5},{"name":"b","type":"string"}"#)
        let data = bytes { $0.writeInt(300); $0.writeString("x"); $0.writeBoolean(true) }
        #expect(try resolve(writer, reader, data) == bytes { $0.writeBoolean(true); $0.writeLong(300); $0.writeInt(5); $0.writeString("x") })
    }

    @Test func numbersAndStringsPromote() throws {
        let writer = record(#"{"name":"a","type":"int"},{"name":"b","type":"int"},{"name":"c","type":"long"},{"name":"d","type":"float"},{"name":"e","type":"string"},{"name":"f","type":"bytes"}"#)
        let reader = record(#"{"name":"a","type":"long"},{"name":"b","type":"double"},{"name":"c","type":"float"},{"name":"d","type":"double"},{"name":"e","type":"bytes"},{"name":"f","type":"string"}"#)
        let data = bytes { $0.writeInt(.min); $0.writeInt(123_456); $0.writeLong(1 << 40); $0.writeFloat(0.1); $0.writeString("é"); $0.writeBytes([0x68, 0x69]) }
        let expected = bytes {
            $0.writeLong(Int64(Int32.min)); $0.writeDouble(123_456); $0.writeFloat(Float(1 << 40)); $0.writeDouble(Double(Float(0.1)))
            $0.writeBytes(Array("é".utf8)); $0.writeString("hi")
        }
        #expect(try resolve(writer, reader, data) == expected)
    }

    @Test func enumSymbolsAreRenumberedAndUnknownOnesTakeTheDefault() throws {
        let writer = #"{"type":"enum","name":"E","symbols":["A","B","C","GONE"]}"#
        let reader = #"{"type":"enum","name":"E","symbols":["C","B","A","OTHER"],"default":"OTHER"}"#
        for (written, read) in [(0, 2), (1, 1), (2, 0), (3, 3)] {
            #expect(try resolve(writer, reader, bytes { $0.writeEnumIndex(written) }) == bytes { $0.writeEnumIndex(read) })
        }
        // Without a default, only the unknown symbol fails, and only when it occurs.
        let strict = #"{"type":"enum","name":"E","symbols":["C","B","A"]}"#
        #expect(try resolve(writer, strict, bytes { $0.writeEnumIndex(0) }) == bytes { $0.writeEnumIndex(2) })
        #expect(throws: AvroDecodingError.self) { try resolve(writer, strict, bytes { $0.writeEnumIndex(3) }) }
    }

    @Test func unionsOnEitherSide() throws {
        // Writer plain, reader union: the matching branch, preferring the exact type over a promotion.
        #expect(try resolve(#""int""#, #"["null","double","int"]"#, bytes { $0.writeInt(9) }) == bytes { $0.writeUnionIndex(2); $0.writeInt(9) })
        #expect(try resolve(#""int""#, #"["null","double"]"#, bytes { $0.writeInt(9) }) == bytes { $0.writeUnionIndex(1); $0.writeDouble(9) })
        // Writer union, reader plain: a branch that does not match fails when it occurs.
        let optional = #"["null","string"]"#
        #expect(try resolve(optional, #""string""#, bytes { $0.writeUnionIndex(1); $0.writeString("s") }) == bytes { $0.writeString("s") })
        #expect(throws: AvroDecodingError.self) { try resolve(optional, #""string""#, bytes { $0.writeUnionIndex(0) }) }
        // Both unions: branches renumbered.
        #expect(try resolve(#"["string","null","int"]"#, #"["null","long","string"]"#, bytes { $0.writeUnionIndex(2); $0.writeInt(4) })
                == bytes { $0.writeUnionIndex(1); $0.writeLong(4) })
        #expect(try resolve(#"["string","null"]"#, #"["null","string"]"#, bytes { $0.writeUnionIndex(0); $0.writeString("x") })
                == bytes { $0.writeUnionIndex(1); $0.writeString("x") })
    }

    @Test func namedTypesAndFieldsMatchThroughTheReadersAliases() throws {
        let writer = #"{"type":"record","name":"Old","namespace":"a","fields":[{"name":"before","type":"int"}]}"#
        let reader = #"{"type":"record","name":"New","namespace":"b","aliases":["a.Old"],"fields":[{"name":"after","aliases":["before"],"type":"long"}]}"#
        #expect(try resolve(writer, reader, bytes { $0.writeInt(3) }) == bytes { $0.writeLong(3) })
        let unaliased = #"{"type":"record","name":"New","namespace":"b","fields":[{"name":"before","type":"int"}]}"#
        #expect(throws: AvroResolutionError.self) { try AvroResolution(writerSchema: writer, readerSchema: unaliased) }
    }

    @Test func incompatiblePairsAreTypedErrors() throws {
        let pairs: [(String, String)] = [
            (#""string""#, #""int""#),
            (#""long""#, #""int""#),
            (#""double""#, #""float""#),
            (record(#"{"name":"a","type":"int"}"#), record(#"{"name":"a","type":"int"},{"name":"b","type":"int"}"#)),
            (#"{"type":"fixed","name":"F","size":4}"#, #"{"type":"fixed","name":"F","size":8}"#),
            (#"{"type":"array","items":"string"}"#, #"{"type":"map","values":"string"}"#),
            (#"["string","bytes"]"#, #""int""#),
            ("not json", #""int""#),
            (#""int""#, #"{"type":"record","name":"R","fields":[{"name":"x","type":"Unknown"}]}"#),
        ]
        for (writer, reader) in pairs {
            #expect(throws: AvroResolutionError.self, "\(writer) -> \(reader)") { try AvroResolution(writerSchema: writer, readerSchema: reader) }
        }
        let missing = try #require(throws: AvroResolutionError.self) {
            try AvroResolution(writerSchema: record(#"{"name":"a","type":"int"}"#), readerSchema: record(#"{"name":"a","type":"int"},{"name":"b","type":"int"}"#))
        }
        #expect(missing.message.contains("test.R.b") && missing.message.contains("no default"))
    }

    @Test func recursiveRecordsResolve() throws {
        let writer = #"{"type":"record","name":"Node","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","Node"]}]}"#
        let reader = #"{"type":"record","name":"Node","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","Node"]},{"name":"w","type":"float","default":0.5}]}"#
        let data = bytes { $0.writeInt(1); $0.writeUnionIndex(1); $0.writeInt(2); $0.writeUnionIndex(0) }
        let expected = bytes { $0.writeLong(1); $0.writeUnionIndex(1); $0.writeLong(2); $0.writeUnionIndex(0); $0.writeFloat(0.5); $0.writeFloat(0.5) }
        #expect(try resolve(writer, reader, data) == expected)
    }

    @Test func samePairModuloDocsIsIdentityAndDifferentPairIsNot() throws {
        let a = record(#"{"name":"a","type":"int","doc":"x"}"#)
        let b = record(#"{"name":"a","type":"int"}"#, extra: #","doc":"changed""#)
        #expect(try AvroResolution(writerSchema: a, readerSchema: b).isIdentity)
        // int → long keeps the bytes as they are.
        #expect(try AvroResolution(writerSchema: a, readerSchema: record(#"{"name":"a","type":"long"}"#)).isIdentity)
        #expect(try !AvroResolution(writerSchema: a, readerSchema: record(#"{"name":"a","type":"double"}"#)).isIdentity)
    }

    @Test func badWriterBytesAreTypedErrors() throws {
        let plan = try AvroResolution(writerSchema: record(#"{"name":"s","type":"string"},{"name":"drop","type":"bytes"}"#),
                                      readerSchema: record(#"{"name":"s","type":"string"}"#))
        let cases: [[UInt8]] = [[], [0x06, 0x61], [0x02, 0x61, 0x7f], [0x02, 0x61, 0x00, 0x00], [0x02, 0x61, 0x01]]
        for data in cases {
            #expect(throws: AvroDecodingError.self, "\(data)") { try plan.readerBytes(fromWriterBytes: data) }
        }
        #expect(try plan.readerBytes(fromWriterBytes: [0x02, 0x61, 0x02, 0xff]) == [0x02, 0x61])
    }

    @Test func blocksWithByteSizesAreSkippedWhole() throws {
        let plan = try AvroResolution(writerSchema: record(#"{"name":"drop","type":{"type":"array","items":"long"}},{"name":"k","type":"int"}"#),
                                      readerSchema: record(#"{"name":"k","type":"int"}"#))
        // One block of -2 items, 2 bytes long, then the end; then k = 1.
        #expect(try plan.readerBytes(fromWriterBytes: [0x03, 0x04, 0x02, 0x04, 0x00, 0x02]) == [0x02])
    }
}
