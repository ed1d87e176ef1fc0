import JSONDocument

/// Latent + conditioning -> denoised latent: Euler with the simple scheduler over the diffusion model
/// with its LoRA merged at `strength` (seed 000's SamplingRequest).
public struct SamplingService: WorkerService {
    public static let serviceName = "sampling"
    public let context: WorkerContext
    public init(context: WorkerContext) { self.context = context }

    public func requestId(of request: SamplingRequest) -> String { request.requestId }

    public func process(_ request: SamplingRequest) -> Result<ServiceOutcome<SamplingResponse>, ServiceError> {
        Result { () throws(ServiceError) in try sample(request) }
    }

    /// The settings, checked; a null seed becomes a random one (reported in the metadata).
    static func settings(_ request: SamplingRequest) throws(ServiceError) -> Compute.SamplingSettings {
        let params = request.samplingParams, transform = request.modelTransformParams
        func invalid(_ message: String) -> ServiceError { ServiceError(ServiceError.invalidSamplingParams, message) }
        guard params.samplerName == "euler" else { throw invalid("sampler_name '\(params.samplerName)' is not supported (euler)") }
        guard params.scheduler == "simple" else { throw invalid("scheduler '\(params.scheduler)' is not supported (simple)") }
        guard (1...1000).contains(params.steps) else { throw invalid("steps must be 1...1000, got \(params.steps)") }
        guard params.denoise > 0, params.denoise <= 1 else { throw invalid("denoise must be in (0, 1], got \(params.denoise)") }
        guard params.cfg.isFinite, params.cfg >= 0, params.cfg <= 100 else { throw invalid("cfg must be 0...100, got \(params.cfg)") }
        guard transform.shift > 0 else { throw invalid("shift must be positive, got \(transform.shift)") }
        guard transform.strength.isFinite, abs(transform.strength) <= 10 else { throw invalid("strength must be -10...10, got \(transform.strength)") }
        return Compute.SamplingSettings(seed: params.seed ?? Int64.random(in: 0...Int64(Int32.max)), steps: Int(params.steps), cfg: params.cfg,
                                        denoise: params.denoise, shift: Double(transform.shift), loraStrength: transform.strength)
    }

    private func sample(_ request: SamplingRequest) throws(ServiceError) -> ServiceOutcome<SamplingResponse> {
        let started = ContinuousClock.now
        let settings = try Self.settings(request)
        let latent = try readTensor(request.latentFile, role: "latent_file", policy: context.paths,
                                    notFound: ServiceError.latentNotFound, invalid: ServiceError.latentInvalid)
        let positive = try readTensor(request.positiveEncodingFile, role: "positive_encoding_file", policy: context.paths,
                                      notFound: ServiceError.encodingNotFound, invalid: ServiceError.encodingInvalid)
        let negative = try readTensor(request.negativeEncodingFile, role: "negative_encoding_file", policy: context.paths,
                                      notFound: ServiceError.encodingNotFound, invalid: ServiceError.encodingInvalid)
        let output = try OutputFolder(context.config.outputDirectory, policy: context.paths)
        let unet = try context.models.load(request.unetModelName, role: .diffusion)
        let lora = try context.models.load(request.loraModelName, role: .lora)
        let result: Tensor
        do {
            result = try Compute.sample(unet: unet, lora: lora, latent: latent, positive: positive, negative: negative,
                                        settings: settings, device: context.device)
        } catch {
            // The LoRA's tensors are named in its messages; a misfit there is the LoRA's fault.
            let role: ModelRole = error.message.hasPrefix("LoRA") ? .lora : .diffusion
            if error.kind == .argument { throw ServiceError(ServiceError.latentInvalid, "inputs do not fit the model: \(error.message)") }
            throw context.failure(error, model: role, computeCode: ServiceError.samplingFailed, what: "sampling")
        }
        let elapsed = Int((ContinuousClock.now - started).seconds * 1000)
        let path = output.file("sampled_latent", requestId: request.requestId, ext: "pt")
        let metadata = JSONObject([
            "seed": .integer(settings.seed), "steps": .integer(Int64(settings.steps)), "cfg": .real(settings.cfg),
            "denoise": .real(settings.denoise), "shift": .real(settings.shift), "lora_strength": .real(settings.loraStrength),
            "sampler_name": .string("euler"), "scheduler": .string("simple"),
            "unet_model_name": .string(request.unetModelName), "lora_model_name": .string(request.loraModelName),
            "device": .string(context.device), "processing_time_ms": .integer(Int64(elapsed)), "timestamp": .string(Clock.iso8601()),
        ])
        try output.writeTensor(result, to: path, metadata: metadata)
        let response = SamplingResponse(requestId: request.requestId, correlationId: request.correlationId, status: .success,
                                        outputLatentFilePath: path, outputLatentShape: result.shape.int32, timestamp: Clock.millis())
        return ServiceOutcome(response: response, details: JSONObject(["metadata": .object(metadata)]))
    }

    public func errorResponse(for request: SamplingRequest, _ error: ServiceError) -> SamplingResponse {
        SamplingResponse(requestId: request.requestId, correlationId: request.correlationId, status: .error, outputLatentShape: [],
                         errorCode: error.code, errorMessage: error.message, timestamp: Clock.millis())
    }
}
