import Foundation

/// How the orchestrator reaches the services: in process (standalone) here; a Kafka transport
/// publishes each request to the service's topic and waits for the response with the same request_id.
/// nil: no response came within the transport's deadline (the step timed out).
public protocol StepTransport: Sendable {
    func call(_ request: LatentEncoderRequest) -> LatentEncoderResponse?
    func call(_ request: TextEncoderRequest) -> TextEncoderResponse?
    func call(_ request: SamplingRequest) -> SamplingResponse?
    func call(_ request: DecodingRequest) -> DecodingResponse?
}

/// Calls the four services in this process, through their runners (so metrics and logs match).
public struct InProcessTransport: StepTransport {
    let latent: ServiceRunner<LatentEncoderService>, text: ServiceRunner<TextEncoderService>
    let sampling: ServiceRunner<SamplingService>, decoding: ServiceRunner<DecodingService>

    public init(context: WorkerContext, metrics: Metrics, logger: Logger) {
        latent = ServiceRunner(service: LatentEncoderService(context: context), metrics: metrics, logger: logger)
        text = ServiceRunner(service: TextEncoderService(context: context), metrics: metrics, logger: logger)
        sampling = ServiceRunner(service: SamplingService(context: context), metrics: metrics, logger: logger)
        decoding = ServiceRunner(service: DecodingService(context: context), metrics: metrics, logger: logger)
    }

    public func call(_ request: LatentEncoderRequest) -> LatentEncoderResponse? { latent.handle(request).response }
    public func call(_ request: TextEncoderRequest) -> TextEncoderResponse? { text.handle(request).response }
    public func call(_ request: SamplingRequest) -> SamplingResponse? { sampling.handle(request).response }
    public func call(_ request: DecodingRequest) -> DecodingResponse? { decoding.handle(request).response }
}

/// Runs a WorkflowRequest's steps in depends_on order, steps that do not depend on each other at the
/// same time (the try-on's latent and text encodings run side by side on their services). Each step's
/// request is built from the workflow, the step's params (strings overriding the service defaults) and
/// the files its dependencies wrote; a failing step ends the workflow with that step's error once the
/// steps running beside it have answered.
public struct WorkflowOrchestrator: Sendable {
    public let transport: any StepTransport
    public init(transport: any StepTransport) { self.transport = transport }

    /// Steps in an order that respects depends_on (declaration order among the ready ones), or
    /// WORKFLOW_INVALID for duplicate ids, unknown dependencies and cycles.
    public static func order(_ steps: [WorkflowStep]) throws(ServiceError) -> [WorkflowStep] {
        func invalid(_ message: String) -> ServiceError { ServiceError(ServiceError.workflowInvalid, message) }
        guard !steps.isEmpty else { throw invalid("the workflow has no steps") }
        var seen = Set<String>()
        for step in steps {
            guard seen.insert(step.stepId).inserted else { throw invalid("step_id '\(step.stepId)' appears twice") }
        }
        for step in steps {
            for dependency in step.dependsOn where !seen.contains(dependency) {
                throw invalid("step '\(step.stepId)' depends on '\(dependency)', which is not a step of this workflow")
            }
        }
        var ordered: [WorkflowStep] = []
        var done = Set<String>()
        while ordered.count < steps.count {
            guard let next = steps.first(where: { !done.contains($0.stepId) && $0.dependsOn.allSatisfy(done.contains) }) else {
                let stuck = steps.filter { !done.contains($0.stepId) }.map(\.stepId)
                throw invalid("steps \(stuck.joined(separator: ", ")) depend on each other in a cycle")
            }
            ordered.append(next)
            done.insert(next.stepId)
        }
        return ordered
    }

    public func run(_ workflow: WorkflowRequest) -> WorkflowResult {
        let started = ContinuousClock.now
        var results: [StepResult] = []
        func finish(_ error: ServiceError?, image: String? = nil) -> WorkflowResult {
            WorkflowResult(workflowId: workflow.workflowId, status: error == nil ? .success : .error, stepResults: results,
                           outputImagePath: error == nil ? image : nil, errorCode: error?.code, errorMessage: error?.message,
                           durationMs: Int64((ContinuousClock.now - started).seconds * 1000), timestamp: Clock.millis())
        }
        let steps: [WorkflowStep]
        do { steps = try Self.order(workflow.steps) } catch { return finish(error) }
        var outputs: [String: [String: String]] = [:]
        var finalImage: String?
        var remaining = steps
        while !remaining.isEmpty {
            // Every step whose dependencies are done (never empty: `order` refused cycles), in `order`'s order.
            let ready = remaining.filter { $0.dependsOn.allSatisfy { outputs[$0] != nil } }
            remaining.removeAll { step in ready.contains { $0.stepId == step.stepId } }
            var failure: (step: WorkflowStep, error: ServiceError)?
            for (step, outcome) in zip(ready, executeConcurrently(ready, workflow: workflow, outputs: outputs)) {
                switch outcome {
                case .success(let produced):
                    outputs[step.stepId] = produced
                    results.append(StepResult(stepId: step.stepId, service: step.service, status: .success, outputPaths: produced))
                    if let image = produced["output_image_path"] { finalImage = image }
                case .failure(let error):
                    results.append(StepResult(stepId: step.stepId, service: step.service, status: .error, errorCode: error.code, errorMessage: error.message))
                    if failure == nil { failure = (step, error) }
                }
            }
            if let (step, error) = failure {
                return finish(ServiceError(error.code, "step '\(step.stepId)' (\(step.service.rawValue)) failed: \(error.message)"))
            }
        }
        return finish(nil, image: finalImage)
    }

    /// Runs the steps each on its own thread (a step mostly waits for its service) and returns their outcomes in order.
    func executeConcurrently(_ steps: [WorkflowStep], workflow: WorkflowRequest, outputs: [String: [String: String]]) -> [Result<[String: String], ServiceError>] {
        let inputs = steps.map { step in
            step.dependsOn.reduce(into: [String: String]()) { merged, id in merged.merge(outputs[id] ?? [:]) { $1 } }
        }
        if steps.count == 1 { return [execute(steps[0], workflow: workflow, inputs: inputs[0])] }
        let outcomes = OutcomeSlots(count: steps.count)
        let group = DispatchGroup()
        for (index, step) in steps.enumerated() {
            group.enter()
            Thread.detachNewThread { [inputs] in
                outcomes.set(index, execute(step, workflow: workflow, inputs: inputs[index]))
                group.leave()
            }
        }
        group.wait()
        return outcomes.values
    }

    /// Builds the step's request, calls the service, and returns the files it wrote by role.
    func execute(_ step: WorkflowStep, workflow: WorkflowRequest, inputs: [String: String]) -> Result<[String: String], ServiceError> {
        Result { () throws(ServiceError) in
            func answered<Response>(_ response: Response?) throws(ServiceError) -> Response {
                guard let response else {
                    throw ServiceError(ServiceError.stepTimedOut, "no response from the \(step.service.rawValue) service within the step deadline")
                }
                return response
            }
            let params = StepParams(step: step, inputs: inputs)
            let id = "\(workflow.workflowId)-\(step.stepId)"
            let now = Clock.millis()
            switch step.service {
            case .latentEncoder:
                let response = try answered(transport.call(LatentEncoderRequest(
                    requestId: id, correlationId: workflow.workflowId, imagePath: params["image_path"] ?? workflow.image1Path,
                    vaeModelName: params["vae_model_name"] ?? TinyModels.vaeName, outputDir: params["output_dir"] ?? workflow.outputDir,
                    upscaleMethod: params["upscale_method"] ?? "lanczos", megapixels: try params.number("megapixels", 1.0), timestamp: now)))
                guard response.status == .success, let path = response.latentFilePath else {
                    // The latent encoder's response carries its code at the start of error_message.
                    let message = response.errorMessage ?? "latent encoder failed"
                    let code = message.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ServiceError.encodingFailed
                    throw ServiceError(code, String(message.dropFirst(code.count + 2)))
                }
                return ["latent_file_path": path]
            case .textEncoder:
                let response = try answered(transport.call(TextEncoderRequest(
                    requestId: id, correlationId: workflow.workflowId, image1Path: params["image1_path"] ?? workflow.image1Path,
                    image2Path: params["image2_path"] ?? workflow.image2Path, prompt: params["prompt"] ?? workflow.prompt,
                    negativePrompt: params["negative_prompt"] ?? "", clipModelName: params["clip_model_name"] ?? TinyModels.clipName,
                    vaeModelName: params["vae_model_name"] ?? TinyModels.vaeName, timestamp: now)))
                guard response.status == .success, let positive = response.positiveEncodingFilePath, let negative = response.negativeEncodingFilePath else {
                    throw ServiceError(response.errorCode ?? ServiceError.encodingFailed, response.errorMessage ?? "text encoder failed")
                }
                return ["positive_encoding_file_path": positive, "negative_encoding_file_path": negative]
            case .sampling:
                let sampling = SamplingParams(seed: try params.optionalInteger("seed"), steps: Int32(try params.integer("steps", 4)),
                                              cfg: try params.number("cfg", 1.0), samplerName: params["sampler_name"] ?? "euler",
                                              scheduler: params["scheduler"] ?? "simple", denoise: try params.number("denoise", 1.0))
                let transform = ModelTransformParams(shift: Int32(try params.integer("shift", 3)), strength: try params.number("strength", 1.0))
                let response = try answered(transport.call(SamplingRequest(
                    requestId: id, correlationId: workflow.workflowId,
                    positiveEncodingFile: try params.required("positive_encoding_file", from: "positive_encoding_file_path"),
                    negativeEncodingFile: try params.required("negative_encoding_file", from: "negative_encoding_file_path"),
                    latentFile: try params.required("latent_file", from: "latent_file_path"),
                    unetModelName: params["unet_model_name"] ?? TinyModels.unetName, loraModelName: params["lora_model_name"] ?? TinyModels.loraName,
                    samplingParams: sampling, modelTransformParams: transform, timestamp: now)))
                guard response.status == .success, let path = response.outputLatentFilePath else {
                    throw ServiceError(response.errorCode ?? ServiceError.samplingFailed, response.errorMessage ?? "sampling failed")
                }
                return ["output_latent_file_path": path]
            case .decoding:
                let response = try answered(transport.call(DecodingRequest(
                    requestId: id, correlationId: workflow.workflowId,
                    latentFile: try params.required("latent_file", from: "output_latent_file_path"),
                    vaeModelName: params["vae_model_name"] ?? TinyModels.vaeName, outputDir: params["output_dir"] ?? workflow.outputDir,
                    outputFilename: params["output_filename"] ?? workflow.outputFilename, timestamp: now)))
                guard response.status == .success, let path = response.outputImagePath else {
                    throw ServiceError(response.errorCode ?? ServiceError.decodingFailed, response.errorMessage ?? "decoding failed")
                }
                return ["output_image_path": path]
            }
        }
    }
}

/// Step outcomes filled in by the threads that ran them.
final class OutcomeSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[String: String], ServiceError>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ outcome: Result<[String: String], ServiceError>) { lock.withLock { slots[index] = outcome } }
    var values: [Result<[String: String], ServiceError>] { lock.withLock { slots.map { $0! } } }
}

/// A step's string params, typed, and the files its dependencies produced.
struct StepParams {
    let step: WorkflowStep
    let inputs: [String: String]

    subscript(key: String) -> String? { step.params[key] }

    func number(_ key: String, _ fallback: Double) throws(ServiceError) -> Double {
        guard let text = step.params[key] else { return fallback }
        guard let value = Double(text), value.isFinite else { throw bad(key, text, "a number") }
        return value
    }

    func integer(_ key: String, _ fallback: Int) throws(ServiceError) -> Int {
        guard let text = step.params[key] else { return fallback }
        guard let value = Int32(text) else { throw bad(key, text, "an integer") }
        return Int(value)
    }

    func optionalInteger(_ key: String) throws(ServiceError) -> Int64? {
        guard let text = step.params[key] else { return nil }
        guard let value = Int64(text) else { throw bad(key, text, "an integer") }
        return value
    }

    /// A file from a param, or else from a dependency's output `role`.
    func required(_ key: String, from role: String) throws(ServiceError) -> String {
        if let path = step.params[key] ?? inputs[role] { return path }
        throw ServiceError(ServiceError.workflowInvalid,
                           "step '\(step.stepId)' (\(step.service.rawValue)) needs \(key): give it in params or depend on a step that writes \(role)")
    }

    private func bad(_ key: String, _ text: String, _ kind: String) -> ServiceError {
        ServiceError(ServiceError.invalidRequest, "step '\(step.stepId)': param \(key) = '\(text)' is not \(kind)")
    }
}

/// The four-step try-on graph: encode the person image, encode prompt and images, sample, decode.
public enum StandardWorkflow {
    public static func steps(seed: Int64, steps: Int = 4, megapixels: Double = 0.0625) -> [WorkflowStep] {
        [
            WorkflowStep(service: .latentEncoder, stepId: "encode", params: ["megapixels": String(megapixels)]),
            WorkflowStep(service: .textEncoder, stepId: "text"),
            WorkflowStep(service: .sampling, stepId: "sample", dependsOn: ["encode", "text"], params: ["seed": String(seed), "steps": String(steps)]),
            WorkflowStep(service: .decoding, stepId: "decode", dependsOn: ["sample"]),
        ]
    }
}
