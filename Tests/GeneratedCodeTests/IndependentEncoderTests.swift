import AvroRuntime
import CAvro
import Fingerprint
import Foundation
import GoldenConfluentAvroData
import GoldenSeeds
import Testing
import TestSupport

/// Datums written by independent encoders — fastavro (Python) and Avro C — decode into the
/// generated types and re-encode to the same bytes, for edge values of every seed schema
/// (see edge_datums.py for the values).
struct IndependentEncoderTests {
    typealias Reencode = @Sendable ([UInt8]) throws -> [UInt8]

    static func reencode<T: AvroRuntime.AvroMessage>(_: T.Type) -> (fullname: String, schema: String, reencode: Reencode) {
        let name = (try? JSONSerialization.jsonObject(with: Data(T.avroSchema.utf8)) as? [String: Any]).map { object in
            [object["namespace"] as? String, object["name"] as? String].compactMap { $0 }.joined(separator: ".")
        } ?? ""
        return (name, T.avroSchema, { bytes in try T(avro: bytes).avroBytes() })
    }

    static let seedTypes = [
        reencode(DeadLetter.self), reencode(DecodingRequest.self), reencode(DecodingResponse.self), reencode(LatentEncoderRequest.self),
        reencode(LatentEncoderResponse.self), reencode(SamplingRequest.self), reencode(SamplingResponse.self),
        reencode(TextEncoderRequest.self), reencode(TextEncoderResponse.self), reencode(WorkflowRequest.self), reencode(WorkflowResult.self),
        reencode(JobType.self), reencode(JobRequested.self), reencode(JobCompleted.self), reencode(JobFailed.self), reencode(TranscriptionJob.self),
    ]

    static let confluentTypes = [
        reencode(ArrayOfRecordsWithDefault.self), reencode(GoldenConfluentAvroData.AvroMessage.self), reencode(DocTestRecord.self),
        reencode(EnumTest.self), reencode(EnumStringUnion.self), reencode(EnumUnion.self), reencode(MultiTypeUnionMessage.self),
        reencode(RepeatedTypeWithDefault.self), reencode(RepeatedTypeWithDoc.self),
    ]

    static let variants = 16

    /// fastavro's encodings, as (root fullname, bytes).
    static func fastavroDatums(_ schemaFiles: [String]) throws -> [(String, [UInt8])] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.packageRoot.appendingPathComponent("Tests/GeneratedCodeTests/edge_datums.py").path, "\(variants)"] + schemaFiles
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "edge_datums.py failed (pip install fastavro): \(errorText)")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return (String(parts[0]), parts.count > 1 ? hexBytes(parts[1]) : [])
        }
    }

    static func seedFiles() -> [String] {
        let root = TestPaths.packageRoot.appendingPathComponent("schemas")
        let vtryon = ["DeadLetter", "DecodingRequest", "DecodingResponse", "LatentEncoderRequest", "LatentEncoderResponse", "SamplingRequest",
                      "SamplingResponse", "TextEncoderRequest", "TextEncoderResponse", "WorkflowRequest", "WorkflowResult"]
        let auteur = ["JobType", "JobRequested", "JobCompleted", "JobFailed", "TranscriptionJob"]
        return vtryon.map { root.appendingPathComponent("vtryon/\($0).avsc").path } + auteur.map { root.appendingPathComponent("auteur/\($0).avsc").path }
    }

    @Test func fastavroDatumsOfEverySeedSchemaRoundTrip() throws {
        let datums = try Self.fastavroDatums(Self.seedFiles())
        #expect(datums.count == Self.seedTypes.count * Self.variants)
        try Self.check(datums, against: Self.seedTypes)
    }

    @Test func fastavroDatumsOfConfluentSchemasRoundTrip() throws {
        let folder = TestPaths.vectors.appendingPathComponent("confluent/avro-schemas/avro-data")
        var datums: [(String, [UInt8])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".avsc") {
            datums += try Self.fastavroDatums([folder.appendingPathComponent(name).path])  // each file alone: names repeat across files
        }
        #expect(datums.count == Self.confluentTypes.count * Self.variants)
        try Self.check(datums, against: Self.confluentTypes)
    }

    static func check(_ datums: [(String, [UInt8])], against types: [(fullname: String, schema: String, reencode: Reencode)]) throws {
        for (fullname, bytes) in datums {
            let type = try #require(types.first { $0.fullname == fullname }, "no generated type for \(fullname)")
            let again = try type.reencode(bytes)
            #expect(again == bytes, "\(fullname): \(hexString(bytes).prefix(120)) re-encoded as \(hexString(again).prefix(120))")
        }
    }

    /// Avro C reads fastavro's bytes into its generic values and writes them again; those bytes
    /// (Avro C's own encoding) decode into the generated types and re-encode identically.
    @Test func avroCDatumsOfEverySeedSchemaRoundTrip() throws {
        let jobType = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("schemas/auteur/JobType.avsc"), encoding: .utf8)
        let datums = try Self.fastavroDatums(Self.seedFiles())
        var checked = 0
        for (fullname, bytes) in datums {
            let type = try #require(Self.seedTypes.first { $0.fullname == fullname })
            // Avro C parses one self-contained schema: put the shared JobType definition in place of its name.
            let schema = type.schema.replacingOccurrences(of: "\"type\":\"com.auteur.kafka.events.JobType\"", with: "\"type\":\(jobType)")
            let written = try avroCReencode(schema: schema, bytes: bytes)
            #expect(try type.reencode(written) == written, "\(fullname)")
            checked += 1
        }
        #expect(checked == Self.seedTypes.count * Self.variants)
    }

    func avroCReencode(schema text: String, bytes: [UInt8]) throws -> [UInt8] {
        var schema: avro_schema_t? = nil
        try #require(text.withCString { avro_schema_from_json_length($0, text.utf8.count, &schema) } == 0, "\(String(cString: avro_strerror()))")
        defer { avro_schema_decref(schema) }
        let iface = try #require(avro_generic_class_from_schema(schema))
        defer { iface.pointee.decref_iface?(iface) }  // avro_value_iface_decref is a macro
        var value = avro_value_t()
        try #require(avro_generic_value_new(iface, &value) == 0)
        defer { avro_value_decref(&value) }
        var input = bytes
        let readStatus = input.withUnsafeMutableBytes { buffer -> Int32 in
            let reader = avro_reader_memory(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int64(buffer.count))
            defer { avro_reader_free(reader) }
            return avro_value_read(reader, &value)
        }
        try #require(readStatus == 0, "Avro C cannot read: \(String(cString: avro_strerror()))")
        var size = 0
        try #require(avro_value_sizeof(&value, &size) == 0)
        var output = [UInt8](repeating: 0, count: size)
        let writeStatus = output.withUnsafeMutableBytes { buffer -> Int32 in
            let writer = avro_writer_memory(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int64(buffer.count))
            defer { avro_writer_free(writer) }
            return avro_value_write(writer, &value)
        }
        try #require(writeStatus == 0, "Avro C cannot write: \(String(cString: avro_strerror()))")
        return output
    }
}

func hexBytes(_ hex: Substring) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
        bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}
