import Foundation
import JSONDocument
import ReferenceWorkers
import Testing

/// `reference-worker <service> --mode standalone` as a user runs it: seed 001's arguments, JSON on stdout.
@Suite struct StandaloneCLITests {
    @Test func latentEncoderPrintsTheSeedResult() throws {
        let workspace = try Workspace()
        let run = try runWorker(["latent-encoder", "--mode", "standalone", "--image_path", workspace.image1, "--vae_model_name", TinyModels.vaeName,
                                 "--output_dir", workspace.output, "--megapixels", "0.0625", "--request_id", "cli-1"], in: workspace,
                                environment: ["LOG_FORMAT": "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = run.json
        #expect(result["status"] as? String == "success")
        #expect(result["request_id"] as? String == "cli-1")
        #expect(result["latent_shape"] as? [Int] == [1, 4, 26, 39])
        let path = try #require(result["latent_file_path"] as? String)
        #expect(FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: path + ".json"))
        #expect(FileManager.default.fileExists(atPath: try #require(result["scaled_image_path"] as? String)))
        #expect((result["metadata"] as? [String: Any])?["scaled_image_shape"] as? [Int] == [208, 312, 3])
        // Logs are JSON lines on stderr.
        let logLines = run.stderr.split(separator: "\n")
        #expect(!logLines.isEmpty)
        for line in logLines { #expect((try? JSONDocument(parsing: String(line)))?.root.objectValue?["level"] != nil, "\(line)") }
    }

    @Test func badInputExitsOneWithTheErrorCodeAndNoCrash() throws {
        let workspace = try Workspace()
        try Data(repeating: 0x42, count: 4096).write(to: workspace.root.appendingPathComponent("noise.jpg"))
        let cases: [([String], String)] = [
            (["latent-encoder", "--image_path", workspace.path("noise.jpg"), "--output_dir", workspace.output], "IMAGE_INVALID"),
            (["latent-encoder", "--image_path", workspace.path("none.jpg"), "--output_dir", workspace.output], "IMAGE_NOT_FOUND"),
            (["latent-encoder", "--image_path", "/etc/passwd", "--output_dir", workspace.output], "PATH_NOT_ALLOWED"),
            (["latent-encoder", "--image_path", workspace.image1, "--vae_model_name", "x.safetensors", "--output_dir", workspace.output], "VAE_MODEL_NOT_FOUND"),
            (["text-encoder", "--image1_path", workspace.image1, "--image2_path", workspace.image2, "--prompt", "p", "--clip_model_name", "none"], "CLIP_MODEL_NOT_FOUND"),
            (["decoding", "--latent_file", workspace.path("none.pt"), "--output_dir", workspace.output, "--output_filename", "o.png"], "LATENT_NOT_FOUND"),
        ]
        for (arguments, code) in cases {
            let run = try runWorker(arguments, in: workspace)
            #expect(!run.terminatedBySignal)
            #expect(run.status == 1, "\(arguments): \(run.stderr)")
            #expect(run.json["status"] as? String == "error")
            #expect(run.json["error_code"] as? String == code, "\(arguments): \(run.stdout)")
        }
    }

    @Test func badKafkaSettingsMissingArgumentsAndUnknownDevicesAreUsageErrors() throws {
        let workspace = try Workspace()
        let kafka = try runWorker(["latent-encoder", "--mode", "kafka"], in: workspace, environment: ["KAFKA_MAX_RETRIES": "many"])
        #expect(kafka.status == 2 && kafka.stderr.contains("KAFKA_MAX_RETRIES"), "\(kafka.stderr)")
        let properties = try runWorker(["sampling", "--mode", "kafka"], in: workspace, environment: ["KAFKA_PROPERTIES": "acks"])
        #expect(properties.status == 2 && properties.stderr.contains("KAFKA_PROPERTIES"), "\(properties.stderr)")
        let missing = try runWorker(["latent-encoder"], in: workspace)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--image_path"))
        let device = try runWorker(["latent-encoder", "--device", "tpu", "--image_path", workspace.image1], in: workspace)
        #expect(device.status == 2 && device.stderr.contains("tpu"))
        // A malformed request file is a usage error too, not a crash.
        try Data("{\"workflow_id\": 3}".utf8).write(to: workspace.root.appendingPathComponent("bad.json"))
        let malformed = try runWorker(["workflow", "--request", workspace.path("bad.json")], in: workspace)
        #expect(malformed.status == 2 && !malformed.terminatedBySignal && malformed.stderr.contains("not a WorkflowRequest"))
    }

    @Test func workflowFromARequestFileWritesTheImage() throws {
        let workspace = try Workspace()
        let request = WorkflowRequest(workflowId: "wf-cli", image1Path: workspace.image1, image2Path: workspace.image2, prompt: "a red shirt",
                                      outputFilename: "final.png", outputDir: workspace.output, steps: StandardWorkflow.steps(seed: 5), timestamp: 1)
        let file = workspace.root.appendingPathComponent("workflow.json")
        try JSONEncoder().encode(request).write(to: file)
        let run = try runWorker(["workflow", "--request", file.path], in: workspace)
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.json["status"] as? String == "success")
        #expect(run.json["output_image_path"] as? String == workspace.output + "/final.png")
        #expect((run.json["step_results"] as? [Any])?.count == 4)
        #expect(try Compute.loadImage(workspace.output + "/final.png", maxPixels: 1 << 20).shape == [1, 3, 208, 312])
    }
}
