import Foundation

/// The files the vtryon contracts and the Kafka tests expect under one data folder, made with the
/// services themselves (so they have the shapes the services produce):
/// `in/person.png`, `in/person-masked.png`, `in/garment.png`, `in/not-an-image.png`,
/// `latents/person.pt`, `encodings/positive.pt`, `encodings/negative.pt`, `latents/sampled.pt`.
public enum PipelineFixtures {
    public static func write(to directory: String, modelDirectory: String) throws {
        let manager = FileManager.default
        for folder in ["in", "latents", "encodings", "out", "work"] {
            try manager.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
        }
        try writeGradient(width: 192, height: 256, to: "\(directory)/in/person.png")
        try writeGradient(width: 192, height: 256, to: "\(directory)/in/person-masked.png", seed: 2)
        try writeGradient(width: 160, height: 160, to: "\(directory)/in/garment.png", seed: 3)
        try Data("this is text, not an image\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/in/not-an-image.png"))

        let work = "\(directory)/work"
        let context = try WorkerContext(config: WorkerConfig(modelDirectory: modelDirectory, outputDirectory: work, allowedRoots: [directory], device: "cpu"))
        func copy(_ source: String?, to name: String) throws {
            guard let source else { throw ServiceError(ServiceError.invalidRequest, "a fixture step wrote no file for \(name)") }
            for suffix in ["", ".json"] where manager.fileExists(atPath: source + suffix) {
                try? manager.removeItem(atPath: "\(directory)/\(name)\(suffix)")
                try manager.copyItem(atPath: source + suffix, toPath: "\(directory)/\(name)\(suffix)")
            }
        }
        let latent = try LatentEncoderService(context: context).process(LatentEncoderRequest(
            requestId: "fixture-latent", imagePath: "\(directory)/in/person-masked.png", vaeModelName: TinyModels.vaeName, outputDir: work,
            megapixels: 0.0625, timestamp: 0)).get().response
        try copy(latent.latentFilePath, to: "latents/person.pt")
        let text = try TextEncoderService(context: context).process(TextEncoderRequest(
            requestId: "fixture-text", image1Path: "\(directory)/in/person.png", image2Path: "\(directory)/in/garment.png",
            prompt: "the person wears the garment", negativePrompt: "blurry", clipModelName: TinyModels.clipName,
            vaeModelName: TinyModels.vaeName, timestamp: 0)).get().response
        try copy(text.positiveEncodingFilePath, to: "encodings/positive.pt")
        try copy(text.negativeEncodingFilePath, to: "encodings/negative.pt")
        let sampled = try SamplingService(context: context).process(SamplingRequest(
            requestId: "fixture-sample", positiveEncodingFile: "\(directory)/encodings/positive.pt", negativeEncodingFile: "\(directory)/encodings/negative.pt",
            latentFile: "\(directory)/latents/person.pt", unetModelName: TinyModels.unetName, loraModelName: TinyModels.loraName,
            samplingParams: SamplingParams(seed: 42, steps: 2), modelTransformParams: ModelTransformParams(), timestamp: 0)).get().response
        try copy(sampled.outputLatentFilePath, to: "latents/sampled.pt")
    }

    /// A smooth RGB gradient written as PNG; `seed` varies the pattern.
    public static func writeGradient(width: Int, height: Int, to path: String, seed: Int = 1) throws {
        var values: [Float] = []
        values.reserveCapacity(3 * width * height)
        for channel in 0..<3 {
            for y in 0..<height {
                for x in 0..<width { values.append(Float((x * (channel + seed) + y * (2 - channel + seed)) % 256) / 255) }
            }
        }
        try Compute.savePNG(Tensor.from(values: values, shape: [1, 3, height, width]), to: path)
    }
}
