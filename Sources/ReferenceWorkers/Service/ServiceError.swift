/// A request a service could not satisfy: a machine-readable code (seed 001's style) and a message
/// that says what went wrong and what to do.
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) { self.code = code; self.message = message }
    public var description: String { "\(code): \(message)" }

    // Latent encoder (seed 001), shared by the services that read images or the VAE.
    public static let imageNotFound = "IMAGE_NOT_FOUND"
    public static let imageInvalid = "IMAGE_INVALID"
    public static let imageTooLarge = "IMAGE_TOO_LARGE"
    public static let vaeModelNotFound = "VAE_MODEL_NOT_FOUND"
    public static let vaeModelInvalid = "VAE_MODEL_INVALID"
    public static let encodingFailed = "ENCODING_FAILED"
    public static let outputDirNotWritable = "OUTPUT_DIR_NOT_WRITABLE"
    public static let scalingFailed = "SCALING_FAILED"
    // Any service.
    public static let pathNotAllowed = "PATH_NOT_ALLOWED"
    public static let invalidRequest = "INVALID_REQUEST"
    // Text encoder.
    public static let clipModelNotFound = "CLIP_MODEL_NOT_FOUND"
    public static let clipModelInvalid = "CLIP_MODEL_INVALID"
    // Sampling and decoding.
    public static let latentNotFound = "LATENT_NOT_FOUND"
    public static let latentInvalid = "LATENT_INVALID"
    public static let encodingNotFound = "ENCODING_NOT_FOUND"
    public static let encodingInvalid = "ENCODING_INVALID"
    public static let unetModelNotFound = "UNET_MODEL_NOT_FOUND"
    public static let unetModelInvalid = "UNET_MODEL_INVALID"
    public static let loraModelNotFound = "LORA_MODEL_NOT_FOUND"
    public static let loraModelInvalid = "LORA_MODEL_INVALID"
    public static let invalidSamplingParams = "INVALID_SAMPLING_PARAMS"
    public static let samplingFailed = "SAMPLING_FAILED"
    public static let decodingFailed = "DECODING_FAILED"
    // Orchestrator.
    public static let workflowInvalid = "WORKFLOW_INVALID"
    public static let stepTimedOut = "STEP_TIMED_OUT"
}
