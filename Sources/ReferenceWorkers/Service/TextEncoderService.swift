import JSONDocument

/// Prompt + two reference images -> positive and negative conditioning `.pt` files. The images are
/// VAE-encoded and pooled into extra tokens, as an image-edit text encoder conditions on them.
public struct TextEncoderService: WorkerService {
    public static let serviceName = "text-encoder"
    public let context: WorkerContext
    public init(context: WorkerContext) { self.context = context }

    public func requestId(of request: TextEncoderRequest) -> String { request.requestId }

    public func process(_ request: TextEncoderRequest) -> Result<ServiceOutcome<TextEncoderResponse>, ServiceError> {
        Result { () throws(ServiceError) in try encode(request) }
    }

    private func encode(_ request: TextEncoderRequest) throws(ServiceError) -> ServiceOutcome<TextEncoderResponse> {
        let started = ContinuousClock.now
        let imagePaths = [try context.paths.confine(request.image1Path, role: "image1_path"),
                          try context.paths.confine(request.image2Path, role: "image2_path")]
        let output = try OutputFolder(context.config.outputDirectory, policy: context.paths)
        let clip = try context.models.load(request.clipModelName, role: .textEncoder)
        let vae = try context.models.load(request.vaeModelName, role: .vae)
        var imageLatents: [Tensor] = []
        for path in imagePaths {
            let image = try context.images.load(path)
            let target = ImageScaling.targetSize(width: image.shape[3], height: image.shape[2], megapixels: context.config.referenceImageMegapixels)
            do {
                let scaled = try Compute.resize(image, width: target.width, height: target.height, method: .lanczos)
                imageLatents.append(try Compute.vaeEncode(vae, image: scaled, device: context.device))
            } catch {
                throw context.failure(error, model: .vae, computeCode: ServiceError.encodingFailed, what: "encoding reference image \(path)")
            }
        }
        func conditioning(_ text: String) throws(ServiceError) -> Tensor {
            do { return try Compute.textEncode(clip, tokens: HashTokenizer.tokens(text), images: imageLatents, device: context.device) } catch {
                throw context.failure(error, model: .textEncoder, computeCode: ServiceError.encodingFailed, what: "text encoding")
            }
        }
        let positive = try conditioning(request.prompt)
        let negative = try conditioning(request.negativePrompt)
        let elapsed = Int((ContinuousClock.now - started).seconds * 1000)
        var paths: [String] = []
        for (role, tensor, text) in [("positive", positive, request.prompt), ("negative", negative, request.negativePrompt)] {
            let path = output.file("\(role)_encoding", requestId: request.requestId, ext: "pt")
            try output.writeTensor(tensor, to: path, metadata: JSONObject([
                "role": .string(role), "prompt": .string(text), "clip_model_name": .string(request.clipModelName),
                "vae_model_name": .string(request.vaeModelName), "device": .string(context.device),
                "processing_time_ms": .integer(Int64(elapsed)), "timestamp": .string(Clock.iso8601()),
            ]))
            paths.append(path)
        }
        let response = TextEncoderResponse(requestId: request.requestId, correlationId: request.correlationId, status: .success,
                                           positiveEncodingFilePath: paths[0], positiveEncodingShape: positive.shape.int32,
                                           negativeEncodingFilePath: paths[1], negativeEncodingShape: negative.shape.int32,
                                           timestamp: Clock.millis())
        return ServiceOutcome(response: response, details: JSONObject(["metadata": .object(JSONObject([
            "processing_time_ms": .integer(Int64(elapsed)), "device": .string(context.device),
        ]))]))
    }

    public func errorResponse(for request: TextEncoderRequest, _ error: ServiceError) -> TextEncoderResponse {
        TextEncoderResponse(requestId: request.requestId, correlationId: request.correlationId, status: .error,
                            errorCode: error.code, errorMessage: error.message, timestamp: Clock.millis())
    }
}
