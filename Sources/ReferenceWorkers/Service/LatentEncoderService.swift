import JSONDocument

/// Image -> scaled image -> VAE latent `.pt` (seed 001's latent encoder).
public struct LatentEncoderService: WorkerService {
    public static let serviceName = "latent-encoder"
    public let context: WorkerContext
    public init(context: WorkerContext) { self.context = context }

    public func requestId(of request: LatentEncoderRequest) -> String { request.requestId }

    public func process(_ request: LatentEncoderRequest) -> Result<ServiceOutcome<LatentEncoderResponse>, ServiceError> {
        Result { () throws(ServiceError) in try encode(request) }
    }

    private func encode(_ request: LatentEncoderRequest) throws(ServiceError) -> ServiceOutcome<LatentEncoderResponse> {
        let started = ContinuousClock.now
        guard let method = UpscaleMethod(rawValue: request.upscaleMethod) else {
            throw ServiceError(ServiceError.invalidRequest, "upscale_method '\(request.upscaleMethod)' is not one of lanczos, nearest, bilinear, bicubic")
        }
        guard request.megapixels > 0, request.megapixels <= 64 else {
            throw ServiceError(ServiceError.invalidRequest, "megapixels must be in (0, 64], got \(request.megapixels)")
        }
        let imagePath = try context.paths.confine(request.imagePath, role: "image_path")
        let output = try OutputFolder(request.outputDir, policy: context.paths)
        let vae = try context.models.load(request.vaeModelName, role: .vae)
        let image = try context.images.load(imagePath)
        let original = image.shape
        let target = ImageScaling.targetSize(width: original[3], height: original[2], megapixels: request.megapixels)
        let scaled: Tensor
        do { scaled = try Compute.resize(image, width: target.width, height: target.height, method: method) } catch {
            throw ServiceError(ServiceError.scalingFailed, "scaling to \(target.width)x\(target.height) with \(method.rawValue) failed: \(error.message)")
        }
        let latent: Tensor
        do { latent = try Compute.vaeEncode(vae, image: scaled, device: context.device) } catch {
            throw context.failure(error, model: .vae, computeCode: ServiceError.encodingFailed, what: "VAE encoding")
        }
        let latentPath = output.file("latent", requestId: request.requestId, ext: "pt")
        let scaledPath = output.file("scaled_image", requestId: request.requestId, ext: "png")
        do { try Compute.savePNG(scaled, to: scaledPath) } catch {
            throw ServiceError(ServiceError.outputDirNotWritable, "Cannot write \(scaledPath): \(error.message)")
        }
        let elapsed = Int((ContinuousClock.now - started).seconds * 1000)
        let metadata = JSONObject([
            "original_image_shape": [original[2], original[3], 3].json,
            "scaled_image_shape": [target.height, target.width, 3].json,
            "latent_shape": latent.shape.json,
            "vae_model_name": .string(request.vaeModelName),
            "upscale_method": .string(method.rawValue),
            "device": .string(context.device),
            "processing_time_ms": .integer(Int64(elapsed)),
            "timestamp": .string(Clock.iso8601()),
        ])
        try output.writeTensor(latent, to: latentPath, metadata: metadata)
        let response = LatentEncoderResponse(requestId: request.requestId, correlationId: request.correlationId, status: .success,
                                             latentFilePath: latentPath, latentShape: latent.shape.int32, timestamp: Clock.millis())
        return ServiceOutcome(response: response, details: JSONObject(["scaled_image_path": .string(scaledPath), "metadata": .object(metadata)]))
    }

    public func errorResponse(for request: LatentEncoderRequest, _ error: ServiceError) -> LatentEncoderResponse {
        // This message has no error_code field (the seed's wire format); the code leads the message.
        LatentEncoderResponse(requestId: request.requestId, correlationId: request.correlationId, status: .error, latentShape: [],
                              errorMessage: "\(error.code): \(error.message)", timestamp: Clock.millis())
    }
}
