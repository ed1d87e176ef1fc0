import ArgumentParser
import AvroRegistry
import Foundation
import JSONDocument
import ReferenceWorkers

@main
struct ReferenceWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference-worker",
        abstract: "The vtryon reference services (seed 000/001) on libtorch.",
        discussion: """
        Each subcommand is one service. --mode standalone takes seed 001's arguments, prints the JSON
        result on stdout (logs go to stderr) and exits 0 on success, 1 on a service error, 2 on a usage error.
        --mode kafka consumes the service's request topic in its consumer group until SIGTERM/SIGINT.
        Environment: MODEL_DIR, OUTPUT_DIR, ALLOWED_ROOTS (colon-separated; paths in requests must lie
        inside one), DEVICE (auto|cuda|cpu), MAX_IMAGE_PIXELS, LOG_FORMAT=json, LOG_LEVEL.
        Kafka mode: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, KAFKA_REQUEST_TOPIC, KAFKA_RESPONSE_TOPIC,
        KAFKA_DLQ_TOPIC, KAFKA_CONSUMER_GROUP, KAFKA_MAX_IN_FLIGHT, KAFKA_MAX_RETRIES, KAFKA_RETRY_BACKOFF_MS,
        KAFKA_SESSION_TIMEOUT_MS, KAFKA_PROPERTIES (name=value,...), METRICS_PORT, METRICS_HOST,
        STEP_TIMEOUT_SECONDS (orchestrator).
        """,
        subcommands: [LatentEncoderCommand.self, TextEncoderCommand.self, SamplingCommand.self, DecodingCommand.self,
                      WorkflowCommand.self, MakeModelsCommand.self]
    )
}

enum Mode: String, ExpressibleByArgument { case standalone, kafka }

/// Options every service shares; flags override the environment.
struct ServiceOptions: ParsableArguments {
    @Option(help: "standalone (one request from the arguments) or kafka.")
    var mode: Mode = Mode(rawValue: ProcessInfo.processInfo.environment["MODE"] ?? "") ?? .standalone

    @Option(help: "auto, cuda or cpu (default: DEVICE or auto).")
    var device: String?

    @Option(name: .customLong("model_dir"), help: "Folder of the .safetensors models (default: MODEL_DIR).")
    var modelDirectory: String?

    @Option(name: .customLong("request_id"), help: "Request id (generated when absent).")
    var requestId: String?

    func context() throws -> (WorkerContext, Metrics, Logger) {
        let environment = ProcessInfo.processInfo.environment
        var config = WorkerConfig.fromEnvironment(environment, workingDirectory: FileManager.default.currentDirectoryPath)
        if let device { config.device = device }
        if let modelDirectory { config.modelDirectory = modelDirectory }
        do { return (try WorkerContext(config: config), Metrics(), Logger.fromEnvironment(environment)) } catch {
            throw usageError(error.message)
        }
    }

    @Flag(name: .customLong("stop-on-stdin-eof"), help: .hidden)
    var stopOnStdinEOF = false

    var id: String { requestId ?? UUID().uuidString.lowercased() }

    /// `--mode kafka`: serves `makeService`'s service on its topics until SIGTERM or SIGINT; the
    /// records in hand are finished and committed before the consumer leaves its group.
    func serveKafka<Service: WorkerService>(topics: ServiceTopics? = nil, _ makeService: (WorkerContext, KafkaSettings, Logger) throws -> Service) throws {
        let environment = ProcessInfo.processInfo.environment
        let (context, metrics, logger) = try context()
        let settings: KafkaSettings
        do { settings = try KafkaSettings.fromEnvironment(environment) } catch { throw usageError(error.message) }
        let shutdown = ShutdownFlag()
        let signals = installStopSignals(shutdown, logger: logger)
        if stopOnStdinEOF {
            // Tests hold our stdin: when the test process dies, so does this worker.
            Thread.detachNewThread {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                shutdown.request()
            }
        }
        defer { signals.forEach { $0.cancel() } }
        let runner = ServiceRunner(service: try makeService(context, settings, logger), metrics: metrics, logger: logger)
        do {
            try KafkaWorkerHost.run(runner, topics: topics ?? ServiceTopics.standard(Service.serviceName, environment: environment),
                                    settings: settings, shutdown: shutdown)
        } catch {
            logger.error("kafka worker failed", ["service": Service.serviceName, "error": "\(error)"])
            throw ExitCode(1)
        }
    }

    /// An argument one standalone request cannot do without (kafka mode takes its requests from the topic).
    func required(_ value: String?, _ option: String) throws -> String {
        guard let value else { throw usageError("--mode standalone needs \(option)") }
        return value
    }
}

/// SIGTERM and SIGINT request a shutdown (handled on a queue; unblocked first, since a parent such
/// as a test runner may have blocked them).
func installStopSignals(_ shutdown: ShutdownFlag, logger: Logger) -> [DispatchSourceSignal] {
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    return [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            logger.info("stop requested; finishing the records in hand", ["signal": String(number)])
            shutdown.request()
        }
        source.resume()
        return source
    }
}

/// Prints the response as JSON (the Avro field names), with error_code and the service's details, and
/// exits 1 when the request failed.
func emit<Response: Encodable>(_ response: Response, details: JSONObject, error: ServiceError?) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let encoded = try encoder.encode(response)
    guard case .object(var object) = try JSONDocument(parsing: [UInt8](encoded)).root else { throw ExitCode(2) }
    if let error, !object.contains("error_code") { object.append("error_code", .string(error.code)) }
    for member in details.members { object.append(member.key, member.value) }
    print(JSONValue.object(object).prettyText)
    if error != nil { throw ExitCode(1) }
}

/// Says what is wrong on stderr and exits 2 (the project's usage/I-O status).
func usageError(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("reference-worker: \(message)\n".utf8))
    return ExitCode(2)
}

func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

struct LatentEncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "latent-encoder", abstract: "Encode an image into a VAE latent (.pt).")
    @OptionGroup var options: ServiceOptions
    @Option(name: .customLong("image_path")) var imagePath: String?
    @Option(name: .customLong("vae_model_name")) var vaeModelName = ProcessInfo.processInfo.environment["VAE_MODEL_NAME"] ?? "qwen_image_vae.safetensors"
    @Option(name: .customLong("output_dir")) var outputDir = ProcessInfo.processInfo.environment["OUTPUT_DIR"] ?? "./output"
    @Option(name: .customLong("upscale_method")) var upscaleMethod = ProcessInfo.processInfo.environment["UPSCALE_METHOD"] ?? "lanczos"
    @Option(name: .customLong("megapixels")) var megapixels = Double(ProcessInfo.processInfo.environment["MEGAPIXELS"] ?? "") ?? 1.0

    func run() throws {
        if options.mode == .kafka { return try options.serveKafka { context, _, _ in LatentEncoderService(context: context) } }
        let imagePath = try options.required(imagePath, "--image_path")
        let (context, metrics, logger) = try options.context()
        let runner = ServiceRunner(service: LatentEncoderService(context: context), metrics: metrics, logger: logger)
        let result = runner.handle(LatentEncoderRequest(requestId: options.id, imagePath: imagePath, vaeModelName: vaeModelName, outputDir: outputDir,
                                                        upscaleMethod: upscaleMethod, megapixels: megapixels, timestamp: now()))
        try emit(result.response, details: result.details, error: result.error)
    }
}

struct TextEncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "text-encoder", abstract: "Encode a prompt and two reference images into conditioning (.pt).")
    @OptionGroup var options: ServiceOptions
    @Option(name: .customLong("image1_path")) var image1Path: String?
    @Option(name: .customLong("image2_path")) var image2Path: String?
    @Option(name: .customLong("prompt")) var prompt: String?
    @Option(name: .customLong("negative_prompt")) var negativePrompt = ""
    @Option(name: .customLong("clip_model_name")) var clipModelName = "qwen_2.5_vl_7b_fp8_scaled.safetensors"
    @Option(name: .customLong("vae_model_name")) var vaeModelName = "qwen_image_vae.safetensors"

    func run() throws {
        if options.mode == .kafka { return try options.serveKafka { context, _, _ in TextEncoderService(context: context) } }
        let image1Path = try options.required(image1Path, "--image1_path"), image2Path = try options.required(image2Path, "--image2_path")
        let prompt = try options.required(prompt, "--prompt")
        let (context, metrics, logger) = try options.context()
        let runner = ServiceRunner(service: TextEncoderService(context: context), metrics: metrics, logger: logger)
        let result = runner.handle(TextEncoderRequest(requestId: options.id, image1Path: image1Path, image2Path: image2Path, prompt: prompt,
                                                      negativePrompt: negativePrompt, clipModelName: clipModelName, vaeModelName: vaeModelName, timestamp: now()))
        try emit(result.response, details: result.details, error: result.error)
    }
}

struct SamplingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sampling", abstract: "Denoise a latent with the diffusion model and a LoRA.")
    @OptionGroup var options: ServiceOptions
    @Option(name: .customLong("positive_encoding_file")) var positive: String?
    @Option(name: .customLong("negative_encoding_file")) var negative: String?
    @Option(name: .customLong("latent_file")) var latentFile: String?
    @Option(name: .customLong("unet_model_name")) var unetModelName: String?
    @Option(name: .customLong("lora_model_name")) var loraModelName: String?
    @Option(name: .customLong("seed")) var seed: Int64?
    @Option(name: .customLong("steps")) var steps: Int32 = 4
    @Option(name: .customLong("cfg")) var cfg = 1.0
    @Option(name: .customLong("sampler_name")) var samplerName = "euler"
    @Option(name: .customLong("scheduler")) var scheduler = "simple"
    @Option(name: .customLong("denoise")) var denoise = 1.0
    @Option(name: .customLong("shift")) var shift: Int32 = 3
    @Option(name: .customLong("strength")) var strength = 1.0

    func run() throws {
        if options.mode == .kafka { return try options.serveKafka { context, _, _ in SamplingService(context: context) } }
        let positive = try options.required(positive, "--positive_encoding_file"), negative = try options.required(negative, "--negative_encoding_file")
        let latentFile = try options.required(latentFile, "--latent_file")
        let unetModelName = try options.required(unetModelName, "--unet_model_name"), loraModelName = try options.required(loraModelName, "--lora_model_name")
        let (context, metrics, logger) = try options.context()
        let runner = ServiceRunner(service: SamplingService(context: context), metrics: metrics, logger: logger)
        let request = SamplingRequest(
            requestId: options.id, positiveEncodingFile: positive, negativeEncodingFile: negative, latentFile: latentFile,
            unetModelName: unetModelName, loraModelName: loraModelName,
            samplingParams: SamplingParams(seed: seed, steps: steps, cfg: cfg, samplerName: samplerName, scheduler: scheduler, denoise: denoise),
            modelTransformParams: ModelTransformParams(shift: shift, strength: strength), timestamp: now())
        let result = runner.handle(request)
        try emit(result.response, details: result.details, error: result.error)
    }
}

struct DecodingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decoding", abstract: "Decode a latent into a PNG image.")
    @OptionGroup var options: ServiceOptions
    @Option(name: .customLong("latent_file")) var latentFile: String?
    @Option(name: .customLong("vae_model_name")) var vaeModelName = "qwen_image_vae.safetensors"
    @Option(name: .customLong("output_dir")) var outputDir = ProcessInfo.processInfo.environment["OUTPUT_DIR"] ?? "./output"
    @Option(name: .customLong("output_filename")) var outputFilename: String?

    func run() throws {
        if options.mode == .kafka { return try options.serveKafka { context, _, _ in DecodingService(context: context) } }
        let latentFile = try options.required(latentFile, "--latent_file"), outputFilename = try options.required(outputFilename, "--output_filename")
        let (context, metrics, logger) = try options.context()
        let runner = ServiceRunner(service: DecodingService(context: context), metrics: metrics, logger: logger)
        let result = runner.handle(DecodingRequest(requestId: options.id, latentFile: latentFile, vaeModelName: vaeModelName,
                                                   outputDir: outputDir, outputFilename: outputFilename, timestamp: now()))
        try emit(result.response, details: result.details, error: result.error)
    }
}

struct WorkflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Run a WorkflowRequest through the four services in this process.",
        discussion: "--request reads a WorkflowRequest as JSON (Avro field names); without it the arguments make the standard four-step workflow.")
    @OptionGroup var options: ServiceOptions
    @Option(name: .customLong("request"), help: "WorkflowRequest JSON file.") var requestFile: String?
    @Option(name: .customLong("image1_path")) var image1Path: String?
    @Option(name: .customLong("image2_path")) var image2Path: String?
    @Option(name: .customLong("prompt")) var prompt = ""
    @Option(name: .customLong("output_dir")) var outputDir = ProcessInfo.processInfo.environment["OUTPUT_DIR"] ?? "./output"
    @Option(name: .customLong("output_filename")) var outputFilename = "result.png"
    @Option(name: .customLong("seed")) var seed: Int64 = 42

    func request() throws -> WorkflowRequest {
        if let requestFile {
            guard let data = FileManager.default.contents(atPath: requestFile) else { throw usageError("cannot read \(requestFile)") }
            do { return try JSONDecoder().decode(WorkflowRequest.self, from: data) } catch {
                throw usageError("\(requestFile) is not a WorkflowRequest: \(error)")
            }
        }
        guard let image1Path, let image2Path else { throw ValidationError("give --request, or --image1_path and --image2_path") }
        return WorkflowRequest(workflowId: options.id, image1Path: image1Path, image2Path: image2Path, prompt: prompt,
                               outputFilename: outputFilename, outputDir: outputDir,
                               steps: StandardWorkflow.steps(seed: seed), timestamp: now())
    }

    func run() throws {
        if options.mode == .kafka {
            return try options.serveKafka(topics: .orchestrator(environment: ProcessInfo.processInfo.environment)) { _, settings, logger in
                OrchestratorService(transport: try KafkaStepTransport(settings: settings, resolver: RegistryClientSchemaResolver(url: settings.registryURL), logger: logger))
            }
        }
        let workflow = try request()
        let (context, metrics, logger) = try options.context()
        let orchestrator = WorkflowOrchestrator(transport: InProcessTransport(context: context, metrics: metrics, logger: logger))
        let result = orchestrator.run(workflow)
        try emit(result, details: JSONObject(), error: result.status == .success ? nil : ServiceError(result.errorCode ?? "", result.errorMessage ?? ""))
    }
}

struct MakeModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "make-models", abstract: "Write small deterministic model files (VAE, text encoder, UNet, LoRA).")
    @Option(help: "Folder to write into.") var dir: String
    @Option(help: "Seed of the weights.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Also write the vtryon contracts' input files (images, latents, encodings) under this folder.", valueName: "data-dir"))
    var fixtures: String?
    @Option(help: ArgumentHelp("Also write a tiny model under another name (e.g. the seed's qwen_image_edit_fp8.safetensors=\(TinyModels.unetName)).", valueName: "name=model"))
    var alias: [String] = []

    func run() throws {
        try TinyModels.write(to: dir, seed: seed)
        for pair in alias {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].contains("/") else { throw ValidationError("--alias takes name=model, not \(pair)") }
            let link = "\(dir)/\(parts[0])"
            try? FileManager.default.removeItem(atPath: link)
            // A copy, not a link: services refuse a model that is not a regular file.
            try FileManager.default.copyItem(atPath: "\(dir)/\(parts[1])", toPath: link)
        }
        print((TinyModels.files(seed: seed).keys.sorted() + alias).joined(separator: "\n"))
        if let fixtures {
            do { try PipelineFixtures.write(to: fixtures, modelDirectory: dir) } catch { throw usageError("cannot write the fixtures in \(fixtures): \(error)") }
        }
    }
}
