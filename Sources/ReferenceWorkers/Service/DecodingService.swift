import JSONDocument

/// Latent -> image file through the VAE decoder.
public struct DecodingService: WorkerService {
    public static let serviceName = "decoding"
    public let context: WorkerContext
    public init(context: WorkerContext) { self.context = context }

    public func requestId(of request: DecodingRequest) -> String { request.requestId }

    public func process(_ request: DecodingRequest) -> Result<ServiceOutcome<DecodingResponse>, ServiceError> {
        Result { () throws(ServiceError) in try decode(request) }
    }

    private func decode(_ request: DecodingRequest) throws(ServiceError) -> ServiceOutcome<DecodingResponse> {
        let started = ContinuousClock.now
        let name = request.outputFilename
        guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", name.lowercased().hasSuffix(".png") else {
            throw ServiceError(ServiceError.invalidRequest, "output_filename '\(name)' must be a file name ending in .png, without '/'")
        }
        let latent = try readTensor(request.latentFile, role: "latent_file", policy: context.paths,
                                    notFound: ServiceError.latentNotFound, invalid: ServiceError.latentInvalid)
        let shape = latent.shape
        guard shape.count == 4, shape[2] * shape[3] * 64 <= context.config.maxImagePixels else {
            throw ServiceError(ServiceError.latentInvalid, "latent of shape \(shape) would decode to more than MAX_IMAGE_PIXELS (\(context.config.maxImagePixels)) pixels")
        }
        let output = try OutputFolder(request.outputDir, policy: context.paths)
        let vae = try context.models.load(request.vaeModelName, role: .vae)
        let image: Tensor
        do { image = try Compute.vaeDecode(vae, latent: latent, device: context.device) } catch {
            if error.kind == .argument { throw ServiceError(ServiceError.latentInvalid, error.message) }
            throw context.failure(error, model: .vae, computeCode: ServiceError.decodingFailed, what: "VAE decoding")
        }
        let path = output.path + "/" + name
        do { try Compute.savePNG(image, to: path) } catch {
            throw ServiceError(ServiceError.outputDirNotWritable, "Cannot write \(path): \(error.message)")
        }
        let height = image.shape[2], width = image.shape[3]
        let response = DecodingResponse(requestId: request.requestId, correlationId: request.correlationId, status: .success,
                                        outputImagePath: path, width: Int32(width), height: Int32(height), timestamp: Clock.millis())
        return ServiceOutcome(response: response, details: JSONObject(["metadata": .object(JSONObject([
            "latent_shape": latent.shape.json, "image_shape": [height, width, 3].json, "vae_model_name": .string(request.vaeModelName),
            "device": .string(context.device), "processing_time_ms": .integer(Int64((ContinuousClock.now - started).seconds * 1000)),
        ]))]))
    }

    public func errorResponse(for request: DecodingRequest, _ error: ServiceError) -> DecodingResponse {
        DecodingResponse(requestId: request.requestId, correlationId: request.correlationId, status: .error,
                         errorCode: error.code, errorMessage: error.message, timestamp: Clock.millis())
    }
}
