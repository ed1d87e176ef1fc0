import AvroRuntime
import Foundation
import GoldenSeeds
import Testing

/// The generated seed types behave: defaults from the schema, binary round trips, JSON with the
/// Avro field names.
struct SeedTypesTests {
    @Test func defaultsComeFromTheSchema() {
        let params = SamplingParams()
        #expect(params.steps == 4 && params.cfg == 1.0 && params.samplerName == "euler" && params.scheduler == "simple" && params.seed == nil)
        #expect(ModelTransformParams().shift == 3)
        #expect(TranscriptionJob(jobId: "j", userId: "u", mediaUrl: "m", timestamp: Date(timeIntervalSince1970: 0)).language == "en")
    }

    @Test func binaryRoundTrip() throws {
        let request = SamplingRequest(requestId: "r-1", correlationId: "wf-ü", positiveEncodingFile: "p", negativeEncodingFile: "", latentFile: "l",
                                      unetModelName: "u", loraModelName: "lora", samplingParams: SamplingParams(seed: .min, steps: .max, cfg: -0.0),
                                      modelTransformParams: ModelTransformParams(), timestamp: .max)
        let bytes = request.avroBytes()
        #expect(try SamplingRequest(avro: bytes) == request)
        #expect(try SamplingRequest(singleObject: request.singleObjectBytes()) == request)
        #expect(try SamplingRequest(confluent: request.confluentBytes(schemaID: 42), schemaIDs: [42]) == request)
    }

    @Test func enumsAndMapsAndArrays() throws {
        let workflow = WorkflowRequest(workflowId: "w", image1Path: "a", image2Path: "b", prompt: "p", outputFilename: "o", outputDir: "d",
                                       steps: [WorkflowStep(service: .textEncoder, stepId: "s1", params: ["b": "2", "a": "1"]),
                                               WorkflowStep(service: .decoding, stepId: "s2", dependsOn: ["s1"])], timestamp: 1)
        #expect(try WorkflowRequest(avro: workflow.avroBytes()) == workflow)
        #expect(ServiceType.textEncoder.rawValue == "text_encoder")
    }

    @Test func jsonUsesAvroFieldNames() throws {
        let response = LatentEncoderResponse(requestId: "r", status: .success, latentShape: [1, 4, 64, 64], timestamp: 5)
        let json = String(decoding: try JSONEncoder().encode(response), as: UTF8.self)
        #expect(json.contains("\"request_id\":\"r\"") && json.contains("\"latent_shape\":[1,4,64,64]"))
        #expect(try JSONDecoder().decode(LatentEncoderResponse.self, from: Data(json.utf8)) == response)
    }

    @Test func unknownEnumSymbolReadsAsTheSchemaDefault() throws {
        let status = try JSONDecoder().decode([Status].self, from: Data(#"["success","retrying"]"#.utf8))
        #expect(status == [.success, .error])
        #expect(Status.avroDefault == .error)
    }

    @Test func fingerprintMatchesTheCanonicalForm() {
        #expect(SamplingRequest.avroFingerprint == 0xf1478d056938778e)
        #expect(SamplingRequest.avroSchema.contains("\"name\":\"SamplingRequest\""))
    }
}
