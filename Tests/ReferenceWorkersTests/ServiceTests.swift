import Foundation
import JSONDocument
import ReferenceWorkers
import Testing

@Suite struct LatentEncoderTests {
    func request(_ workspace: Workspace, image: String? = nil, vae: String = TinyModels.vaeName, output: String? = nil,
                 method: String = "lanczos", megapixels: Double = 0.0625) -> LatentEncoderRequest {
        LatentEncoderRequest(requestId: "r1", correlationId: "wf", imagePath: image ?? workspace.image1, vaeModelName: vae,
                             outputDir: output ?? workspace.output, upscaleMethod: method, megapixels: megapixels, timestamp: 1)
    }

    func failure(_ result: Result<ServiceOutcome<LatentEncoderResponse>, ServiceError>) -> ServiceError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func encodesAnImageIntoALatentThatPythonLoads() throws {
        let workspace = try Workspace()
        let service = LatentEncoderService(context: try workspace.context())
        let outcome = try service.process(request(workspace)).get()
        let response = outcome.response
        #expect(response.status == .success && response.requestId == "r1" && response.correlationId == "wf")
        // 300x200 at 0.0625 MP -> 312x208 -> latent 39x26 (1/8).
        #expect(response.latentShape == [1, 4, 26, 39])
        let path = try #require(response.latentFilePath)
        #expect(path.hasPrefix(workspace.output))
        let loaded = try pythonLoad(path)
        #expect(loaded["type"] as? String == "Tensor")
        #expect(loaded["shape"] as? [Int] == [1, 4, 26, 39])
        let sum = try #require(loaded["sum"] as? Double)
        #expect(abs(sum - Double(try Tensor.load(from: path).values.reduce(0, +))) < 1e-2)
        let metadata = try JSONDocument(parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + ".json")))).root
        #expect(metadata.objectValue?["shape"] == .array([1, 4, 26, 39].map { .integer($0) }))
        #expect(metadata.objectValue?["vae_model_name"] == .string(TinyModels.vaeName))
        // Encoding is deterministic: the same image gives the same latent.
        let again = try service.process(request(workspace)).get().response
        #expect(try Tensor.load(from: try #require(again.latentFilePath)).values == Tensor.load(from: path).values)
    }

    @Test func upscaleMethodsGiveDifferentLatents() throws {
        let workspace = try Workspace()
        let service = LatentEncoderService(context: try workspace.context())
        var sums: Set<Float> = []
        for method in UpscaleMethod.allCases {
            let path = try #require(try service.process(request(workspace, method: method.rawValue)).get().response.latentFilePath)
            sums.insert(try Tensor.load(from: path).values.reduce(0, +))
        }
        #expect(sums.count == 4)
    }

    @Test func badInputsGiveSeedErrorCodes() throws {
        let workspace = try Workspace()
        let service = LatentEncoderService(context: try workspace.context())
        try Data("not an image at all".utf8).write(to: URL(fileURLWithPath: workspace.path("fake.png")))
        #expect(failure(service.process(request(workspace, image: workspace.path("fake.png"))))?.code == ServiceError.imageInvalid)
        // PNG headers that claim 10000x10000 (above the 64 Mpx limit) and 50000x50000 pixels (above stb's own
        // limit): both refused from the header alone, before any pixel is decoded.
        for (side, text) in [(UInt8(0x27), UInt8(0x10)), (UInt8(0xC3), UInt8(0x50))].map({ ($0, $1) }).enumerated() {
            var huge: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            huge += [0, 0, text.0, text.1, 0, 0, text.0, text.1, 8, 2, 0, 0, 0, 0, 0, 0, 0]
            try Data(huge).write(to: URL(fileURLWithPath: workspace.path("huge\(side).png")))
            let tooLarge = failure(service.process(request(workspace, image: workspace.path("huge\(side).png"))))
            #expect(tooLarge?.code == ServiceError.imageTooLarge)
            #expect(tooLarge?.message.contains(side == 0 ? "10000x10000" : "50000x50000") == true)
        }
        #expect(failure(service.process(request(workspace, image: workspace.path("missing.png"))))?.code == ServiceError.imageNotFound)
        // A folder and a FIFO (which would block a reader forever) are refused without opening them.
        #expect(failure(service.process(request(workspace, image: workspace.models)))?.code == ServiceError.imageInvalid)
        #expect(mkfifo(workspace.path("pipe.png"), 0o600) == 0)
        #expect(failure(service.process(request(workspace, image: workspace.path("pipe.png"))))?.code == ServiceError.imageInvalid)
        #expect(failure(service.process(request(workspace, vae: "nope.safetensors")))?.code == ServiceError.vaeModelNotFound)
        #expect(failure(service.process(request(workspace, vae: "../models/" + TinyModels.vaeName)))?.code == ServiceError.vaeModelNotFound)
        #expect(failure(service.process(request(workspace, image: "/etc/hostname")))?.code == ServiceError.pathNotAllowed)
        #expect(failure(service.process(request(workspace, image: workspace.root.path + "/../../etc/passwd")))?.code == ServiceError.pathNotAllowed)
        #expect(failure(service.process(request(workspace, output: "/tmp/elsewhere")))?.code == ServiceError.pathNotAllowed)
        #expect(failure(service.process(request(workspace, output: workspace.image2)))?.code == ServiceError.outputDirNotWritable)
        #expect(failure(service.process(request(workspace, method: "sinc")))?.code == ServiceError.invalidRequest)
        #expect(failure(service.process(request(workspace, megapixels: 0)))?.code == ServiceError.invalidRequest)
        // A symbolic link inside the root that points outside is outside.
        try FileManager.default.createSymbolicLink(atPath: workspace.path("link.png"), withDestinationPath: "/etc/hostname")
        #expect(failure(service.process(request(workspace, image: workspace.path("link.png"))))?.code == ServiceError.pathNotAllowed)
    }

    @Test func aModelWithWrongShapesIsNamedInTheError() throws {
        let workspace = try Workspace()
        let bad = SafetensorsWriter.encode([.init(name: "encoder.conv_in.weight", shape: [16, 1, 3, 3], values: [Float](repeating: 0, count: 144))])
        try Data(bad).write(to: URL(fileURLWithPath: workspace.models + "/bad_vae.safetensors"))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: workspace.models + "/garbage.safetensors"))
        let service = LatentEncoderService(context: try workspace.context())
        let misshapen = failure(service.process(request(workspace, vae: "bad_vae.safetensors")))
        #expect(misshapen?.code == ServiceError.vaeModelInvalid)
        #expect(misshapen?.message.contains("encoder.conv_in.weight") == true)
        #expect(misshapen?.message.contains("[16, 1, 3, 3]") == true)
        #expect(failure(service.process(request(workspace, vae: "garbage.safetensors")))?.code == ServiceError.vaeModelInvalid)
    }

    @Test func errorResponsesCarryTheCodeAndCountInMetrics() throws {
        let workspace = try Workspace()
        let metrics = Metrics()
        let lines = LogLines()
        let runner = ServiceRunner(service: LatentEncoderService(context: try workspace.context()), metrics: metrics,
                                   logger: Logger(json: true, sink: { lines.append($0) }))
        let handled = runner.handle(request(workspace, image: workspace.path("missing.png")))
        #expect(handled.response.status == .error)
        #expect(handled.response.errorMessage?.hasPrefix("IMAGE_NOT_FOUND: ") == true)
        _ = runner.handle(request(workspace))
        #expect(metrics.requestCount(service: "latent-encoder", status: "error") == 1)
        #expect(metrics.requestCount(service: "latent-encoder", status: "success") == 1)
        #expect(metrics.render().contains(#"vtryon_errors_total{service="latent-encoder",code="IMAGE_NOT_FOUND"} 1"#))
        let logged = try lines.all.map { try JSONDocument(parsing: $0).root }
        #expect(logged.count == 2)
        #expect(logged[0].objectValue?["error_code"] == .string("IMAGE_NOT_FOUND"))
        #expect(logged[1].objectValue?["level"] == .string("INFO"))
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
