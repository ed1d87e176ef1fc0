import AvroRuntime
import Foundation
import GoldenSeeds
import Testing
import TestSupport

/// Old data read with the new generated types: bytes written by fastavro with an older schema
/// (Tests/Fixtures/resolution) decode through a resolution plan, as Avro's rules say.
struct OldDataResolutionTests {
    static func fastavro(_ schemaFile: String, _ datums: [String]) throws -> [[UInt8]] {
        try fastavroEncode(schemaFile: TestPaths.fixture("resolution/\(schemaFile)"), datums: datums)
    }

    static func schema(_ file: String) throws -> String {
        String(decoding: try TestPaths.read(TestPaths.fixture("resolution/\(file)")), as: UTF8.self)
    }

    @Test func addedFieldsTakeDefaultsRemovedFieldsAreSkippedAndIntBecomesLong() throws {
        let datum = #"""
            {"request_id":"r1","priority":7,"positive_encoding_file":"p","negative_encoding_file":"n","latent_file":"l","unet_model_name":"u",
             "lora_model_name":"lo","sampling_params":{"seed":42,"steps":8,"cfg":2.5,"legacy_tag":["a","b"],"sampler_name":"dpm","denoise":0.5},
             "model_transform_params":{"shift":2,"strength":0.75},"timestamp":-2147483648}
            """#.replacingOccurrences(of: "\n", with: "")
        let bytes = try #require(try Self.fastavro("SamplingRequest.v0.avsc", [datum]).first)
        let plan = try SamplingRequest.resolution(fromWriterSchema: try Self.schema("SamplingRequest.v0.avsc"))
        #expect(!plan.isIdentity)
        let request = try SamplingRequest(avro: bytes, resolution: plan)
        let expected = SamplingRequest(
            requestId: "r1", correlationId: nil, positiveEncodingFile: "p", negativeEncodingFile: "n", latentFile: "l", unetModelName: "u",
            loraModelName: "lo", samplingParams: SamplingParams(seed: 42, steps: 8, cfg: 2.5, samplerName: "dpm", scheduler: "simple", denoise: 0.5),
            modelTransformParams: ModelTransformParams(shift: 2, strength: 0.75), timestamp: Int64(Int32.min))
        #expect(request == expected)
        // The plan is compiled once per writer schema.
        #expect(try SamplingRequest.resolution(fromWriterSchema: try Self.schema("SamplingRequest.v0.avsc")) === plan)
    }

    @Test func aDroppedEnumSymbolReadsAsTheEnumDefault() throws {
        let datums = [
            #"{"request_id":"a","status":"cancelled","output_latent_file_path":null,"timestamp":5}"#,
            #"{"request_id":"b","status":"success","output_latent_file_path":"/x.pt","timestamp":6}"#,
        ]
        let plan = try SamplingResponse.resolution(fromWriterSchema: try Self.schema("SamplingResponse.v0.avsc"))
        let responses = try Self.fastavro("SamplingResponse.v0.avsc", datums).map { bytes in try SamplingResponse(avro: bytes, resolution: plan) }
        #expect(responses == [
            SamplingResponse(requestId: "a", status: .error, timestamp: 5),
            SamplingResponse(requestId: "b", status: .success, outputLatentFilePath: "/x.pt", timestamp: 6),
        ])
    }

    @Test func theSameSchemaDecodesWithoutARewrite() throws {
        let plan = try SamplingRequest.resolution(fromWriterSchema: SamplingRequest.avroSchema)
        #expect(plan.isIdentity)
        let request = SamplingRequest(requestId: "x", positiveEncodingFile: "p", negativeEncodingFile: "n", latentFile: "l", unetModelName: "u",
                                      loraModelName: "l", samplingParams: SamplingParams(), modelTransformParams: ModelTransformParams(), timestamp: 1)
        #expect(try SamplingRequest(avro: request.avroBytes(), resolution: plan) == request)
    }

    @Test func anIncompatibleWriterSchemaIsATypedError() throws {
        let error = try #require(throws: AvroResolutionError.self) {
            try SamplingResponse.resolution(fromWriterSchema: try Self.schema("SamplingResponse.incompatible.avsc"))
        }
        #expect(error.message.contains("request_id") || error.message.contains("timestamp"))
    }

    @Test func truncatedOldDataIsATypedError() throws {
        let datum = #"{"request_id":"a","status":"error","output_latent_file_path":"/p","timestamp":5}"#
        let bytes = try #require(try Self.fastavro("SamplingResponse.v0.avsc", [datum]).first)
        let plan = try SamplingResponse.resolution(fromWriterSchema: try Self.schema("SamplingResponse.v0.avsc"))
        for length in 0..<bytes.count {
            #expect(throws: AvroDecodingError.self) { try SamplingResponse(avro: bytes.prefix(length), resolution: plan) }
        }
    }
}
