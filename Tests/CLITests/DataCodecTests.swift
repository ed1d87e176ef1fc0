import Foundation
import Testing
import TestSupport

/// `schemactl data encode/decode` and `schemactl codegen` from the outside.
struct DataCodecTests {
    static let peers = TestPaths.vectors.deletingLastPathComponent().appendingPathComponent("peers")

    /// fastavro's encodings of the peer datums decode to Avro JSON that encodes back to the same bytes.
    @Test(arguments: ["SamplingRequest", "WorkflowRequest", "LatentEncoderResponse", "LatentEncoderRequest", "TextEncoderRequest"])
    func fastavroBytesSurviveDecodeAndEncode(name: String) throws {
        let schema = Self.peers.appendingPathComponent("schemas/\(name).avsc").path
        let hex = Self.peers.appendingPathComponent("data/\(name).bin.hex").path
        let decoded = try runSchemactl(["data", "decode", "--schema", schema, hex])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("datums.jsonl")
        try Data(decoded.stdout.utf8).write(to: json)
        let encoded = try runSchemactl(["data", "encode", "--schema", schema, json.path])
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let original = try String(contentsOfFile: hex, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(encoded.stdout.split(separator: "\n").map(String.init) == original)
    }

    @Test func framingAndRejectedLines() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.jsonl")
        try Data("{\"a\":{\"int\":27},\"b\":\"foo\"}\n{\"a\":null,\"b\":\"\"}\n{\"b\":\"x\"}\n".utf8).write(to: input)
        let schema = folder.appendingPathComponent("r.avsc")
        try Data(#"{"type":"record","name":"R","fields":[{"name":"a","type":["null","int"]},{"name":"b","type":"string"}]}"#.utf8).write(to: schema)
        let plain = try runSchemactl(["data", "encode", "--schema", schema.path, input.path])
        #expect(plain.status == 1)
        #expect(plain.stdout == "023606666f6f\n0000\n")
        #expect(plain.stderr.contains("in.jsonl:3: error: /: missing field a"))
        let framed = try runSchemactl(["data", "encode", "--schema", schema.path, "--framing", "confluent:258", input.path])
        #expect(framed.stdout.hasPrefix("0000000102023606666f6f\n"))
        let hex = folder.appendingPathComponent("in.hex")
        try Data("0000000102023606666f6f\n0100000102023606666f6f\n0000000009023606666f6f\n0000000102023606\n".utf8).write(to: hex)
        let decoded = try runSchemactl(["data", "decode", "--schema", schema.path, "--framing", "confluent:258", hex.path])
        #expect(decoded.status == 1)
        #expect(decoded.stdout == "{\"a\":{\"int\":27},\"b\":\"foo\"}\n")
        #expect(decoded.stderr.contains("in.hex:2: error: bad magic byte"))
        #expect(decoded.stderr.contains("in.hex:3: error: unknown schema id 9"))
        #expect(decoded.stderr.contains("in.hex:4: error: length 3 at offset 2 runs past the end"))
        let usage = try runSchemactl(["data", "decode", "--schema", schema.path, "--framing", "confluent:x", hex.path])
        #expect(usage.status == 2)
    }

    /// `data decode --writer-schema`: old datums read as the current schema; an incompatible pair exits 2.
    @Test func decodeResolvesAgainstTheWriterSchema() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = TestPaths.fixture("resolution/SamplingResponse.v0.avsc").path
        let input = folder.appendingPathComponent("old.jsonl")
        try Data(#"{"request_id":"a","status":"cancelled","output_latent_file_path":{"string":"/x"},"timestamp":5}"#.utf8).write(to: input)
        let encoded = try runSchemactl(["data", "encode", "--schema", old, "--framing", "single-object", input.path])
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let hex = folder.appendingPathComponent("old.hex")
        try Data(encoded.stdout.utf8).write(to: hex)
        let current = "schemas/vtryon/SamplingResponse.avsc"
        let decoded = try runSchemactl(["data", "decode", "--schema", current, "--writer-schema", old, "--framing", "single-object", hex.path])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.stdout == #"{"request_id":"a","correlation_id":null,"status":"error","output_latent_file_path":{"string":"/x"},"output_latent_shape":[],"error_code":null,"error_message":null,"timestamp":5}"# + "\n")
        // Without the writer schema the fingerprint is not the reader's.
        let unresolved = try runSchemactl(["data", "decode", "--schema", current, "--framing", "single-object", hex.path])
        #expect(unresolved.status == 1)
        let incompatible = try runSchemactl(["data", "decode", "--schema", current, "--writer-schema",
                                             TestPaths.fixture("resolution/SamplingResponse.incompatible.avsc").path, hex.path])
        #expect(incompatible.status == 2)
        #expect(incompatible.stderr.contains("cannot be read as"))
    }

    @Test func codegenRejectsInvalidSchemasAndWritesNothing() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = folder.appendingPathComponent("bad.avsc")
        try Data(#"{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}"#.utf8).write(to: schema)
        let result = try runSchemactl(["codegen", "--out", folder.appendingPathComponent("out").path, schema.path])
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        let internalAccess = try runSchemactl(["codegen", "--access", "internal", "--out", folder.appendingPathComponent("gen").path, "schemas/auteur"])
        #expect(internalAccess.status == 0, "\(internalAccess.stderr)")
        let text = try String(contentsOf: folder.appendingPathComponent("gen/JobType.swift"), encoding: .utf8)
        #expect(text.contains("\nenum JobType: String") && !text.contains("public "))
    }
}
