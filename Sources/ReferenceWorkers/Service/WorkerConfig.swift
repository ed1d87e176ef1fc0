/// Settings shared by the services, from the environment variables of seed 001 (plus the roots that
/// confine file paths in messages).
public struct WorkerConfig: Sendable {
    /// Folder of the `.safetensors` model files (MODEL_DIR); requests name files inside it.
    public var modelDirectory: String
    /// Folder for outputs of services whose requests carry no output_dir (OUTPUT_DIR).
    public var outputDirectory: String
    /// Every path in a message must lie inside one of these (ALLOWED_ROOTS, colon-separated;
    /// default: OUTPUT_DIR and the working directory).
    public var allowedRoots: [String]
    /// "auto", "cuda" or "cpu" (DEVICE).
    public var device: String
    /// Images above this many pixels are refused from their header (MAX_IMAGE_PIXELS).
    public var maxImagePixels: Int
    /// Megapixels the text encoder scales its reference images to before encoding them.
    public var referenceImageMegapixels: Double

    public init(modelDirectory: String, outputDirectory: String, allowedRoots: [String], device: String = "auto",
                maxImagePixels: Int = 64 << 20, referenceImageMegapixels: Double = 0.0625) {
        self.modelDirectory = modelDirectory
        self.outputDirectory = outputDirectory
        self.allowedRoots = allowedRoots
        self.device = device
        self.maxImagePixels = maxImagePixels
        self.referenceImageMegapixels = referenceImageMegapixels
    }

    public static func fromEnvironment(_ environment: [String: String], workingDirectory: String) -> WorkerConfig {
        let output = environment["OUTPUT_DIR"] ?? "./output"
        let roots = environment["ALLOWED_ROOTS"].map { $0.split(separator: ":").map(String.init) } ?? [output, workingDirectory]
        return WorkerConfig(modelDirectory: environment["MODEL_DIR"] ?? "/models", outputDirectory: output, allowedRoots: roots,
                            device: environment["DEVICE"] ?? "auto",
                            maxImagePixels: environment["MAX_IMAGE_PIXELS"].flatMap { Int($0) } ?? 64 << 20)
    }
}
