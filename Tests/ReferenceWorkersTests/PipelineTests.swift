import Foundation
import ReferenceWorkers
import Testing

/// The services chained by hand (text encoder, sampler, decoder) and through the orchestrator.
@Suite struct PipelineTests {
    struct Stage {
        let workspace: Workspace
        let context: WorkerContext
        let latent: String, positive: String, negative: String

        init(workspace: Workspace) throws {
            self.workspace = workspace
            context = try workspace.context()
            latent = try #require(try LatentEncoderService(context: context).process(LatentEncoderRequest(
                requestId: "l", imagePath: workspace.image1, outputDir: workspace.output, megapixels: 0.0625, timestamp: 1)).get().response.latentFilePath)
            let text = try TextEncoderService(context: context).process(TextEncoderRequest(
                requestId: "t", image1Path: workspace.image1, image2Path: workspace.image2, prompt: "a red shirt", negativePrompt: "blurry", timestamp: 1)).get().response
            positive = try #require(text.positiveEncodingFilePath)
            negative = try #require(text.negativeEncodingFilePath)
        }

        func sample(seed: Int64? = 7, cfg: Double = 1, denoise: Double = 1, strength: Double = 1, sampler: String = "euler",
                    lora: String = TinyModels.loraName) -> Result<ServiceOutcome<SamplingResponse>, ServiceError> {
            SamplingService(context: context).process(SamplingRequest(
                requestId: "s", positiveEncodingFile: positive, negativeEncodingFile: negative, latentFile: latent,
                unetModelName: TinyModels.unetName, loraModelName: lora,
                samplingParams: SamplingParams(seed: seed, steps: 4, cfg: cfg, samplerName: sampler, denoise: denoise),
                modelTransformParams: ModelTransformParams(shift: 3, strength: strength), timestamp: 1))
        }

        func values(_ result: Result<ServiceOutcome<SamplingResponse>, ServiceError>) throws -> [Float] {
            try Tensor.load(from: try #require(try result.get().response.outputLatentFilePath)).values
        }
    }

    @Test func textEncoderWritesBothEncodingsWithImageTokens() throws {
        let stage = try Stage(workspace: try Workspace())
        // 16 context tokens plus one token per reference image, width 32.
        #expect(try Tensor.load(from: stage.positive).shape == [1, 18, 32])
        #expect(try pythonLoad(stage.negative)["shape"] as? [Int] == [1, 18, 32])
        #expect(try Tensor.load(from: stage.positive).values != Tensor.load(from: stage.negative).values)
    }

    @Test func samplingIsSeededAndEveryParameterMatters() throws {
        let stage = try Stage(workspace: try Workspace())
        let base = try stage.values(stage.sample())
        #expect(try stage.sample().get().response.outputLatentShape == [1, 4, 26, 39])
        #expect(try stage.values(stage.sample()) == base)
        #expect(try stage.values(stage.sample(seed: 8)) != base)
        #expect(try stage.values(stage.sample(cfg: 3)) != base)
        #expect(try stage.values(stage.sample(strength: 0)) != base)
        // Partial denoising starts from the input latent: the result stays closer to it.
        let input = try Tensor.load(from: stage.latent).values
        func distance(_ values: [Float]) -> Float { zip(values, input).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
        #expect(distance(try stage.values(stage.sample(denoise: 0.3))) < distance(base))
        // A null seed picks one and reports it.
        let chosen = try stage.sample(seed: nil).get().details["metadata"]?.objectValue?["seed"]
        #expect(chosen != nil)
    }

    @Test func samplingErrors() throws {
        let stage = try Stage(workspace: try Workspace())
        func code(_ result: Result<ServiceOutcome<SamplingResponse>, ServiceError>) -> String? {
            if case .failure(let error) = result { return error.code }
            return nil
        }
        #expect(code(stage.sample(sampler: "dpmpp_2m")) == ServiceError.invalidSamplingParams)
        #expect(code(stage.sample(denoise: 0)) == ServiceError.invalidSamplingParams)
        #expect(code(stage.sample(lora: "absent.safetensors")) == ServiceError.loraModelNotFound)
        // A LoRA for a layer the model does not have.
        let foreign = SafetensorsWriter.encode([
            .init(name: "attn.q.lora_down.weight", shape: [1, 4], values: [1, 1, 1, 1]),
            .init(name: "attn.q.lora_up.weight", shape: [4, 1], values: [1, 1, 1, 1]),
        ])
        try Data(foreign).write(to: URL(fileURLWithPath: stage.workspace.models + "/foreign.safetensors"))
        if case .failure(let error) = stage.sample(lora: "foreign.safetensors") {
            #expect(error.code == ServiceError.loraModelInvalid)
            #expect(error.message.contains("attn.q.weight"))
        } else {
            Issue.record("a LoRA for another model was accepted")
        }
    }

    @Test func decodingWritesAnImageOfEightTimesTheLatent() throws {
        let stage = try Stage(workspace: try Workspace())
        let sampled = try #require(try stage.sample().get().response.outputLatentFilePath)
        let service = DecodingService(context: stage.context)
        let response = try service.process(DecodingRequest(requestId: "d", latentFile: sampled, outputDir: stage.workspace.output,
                                                           outputFilename: "out.png", timestamp: 1)).get().response
        #expect(response.width == 312 && response.height == 208)
        #expect(try Compute.loadImage(try #require(response.outputImagePath), maxPixels: 1 << 20).shape == [1, 3, 208, 312])
        let bad = service.process(DecodingRequest(requestId: "d", latentFile: stage.workspace.image1, outputDir: stage.workspace.output,
                                                  outputFilename: "out.png", timestamp: 1))
        #expect((try? bad.get()) == nil)
        if case .failure(let error) = bad { #expect(error.code == ServiceError.latentInvalid) }
        // A latent that would decode to more pixels than the limit is refused before decoding.
        let small = try WorkerContext(config: stage.workspace.config(maxImagePixels: 1000))
        let limited = DecodingService(context: small).process(DecodingRequest(requestId: "d", latentFile: sampled, outputDir: stage.workspace.output,
                                                                              outputFilename: "big.png", timestamp: 1))
        if case .failure(let error) = limited { #expect(error.code == ServiceError.latentInvalid && error.message.contains("MAX_IMAGE_PIXELS")) } else {
            Issue.record("a latent above the pixel limit was decoded")
        }
        let escape = service.process(DecodingRequest(requestId: "d", latentFile: sampled, outputDir: stage.workspace.output,
                                                     outputFilename: "../x.png", timestamp: 1))
        if case .failure(let error) = escape { #expect(error.code == ServiceError.invalidRequest) } else { Issue.record("../x.png accepted") }
    }
}

@Suite struct WorkflowTests {
    func workflow(_ workspace: Workspace, steps: [WorkflowStep]) -> WorkflowRequest {
        WorkflowRequest(workflowId: "wf-1", image1Path: workspace.image1, image2Path: workspace.image2, prompt: "a red shirt",
                        outputFilename: "final.png", outputDir: workspace.output, steps: steps, timestamp: 1)
    }

    func orchestrator(_ workspace: Workspace, metrics: Metrics = Metrics()) throws -> WorkflowOrchestrator {
        WorkflowOrchestrator(transport: InProcessTransport(context: try workspace.context(), metrics: metrics, logger: Logger(json: true, sink: { _ in })))
    }

    @Test func imagesToDecodedImageThroughAllFourServices() throws {
        let workspace = try Workspace()
        let metrics = Metrics()
        // Declared out of order: the orchestrator runs them by depends_on.
        let steps = StandardWorkflow.steps(seed: 42).reversed()
        let result = try orchestrator(workspace, metrics: metrics).run(workflow(workspace, steps: Array(steps)))
        #expect(result.status == .success, "\(result.errorCode ?? "") \(result.errorMessage ?? "")")
        #expect(result.stepResults.map(\.stepId) == ["text", "encode", "sample", "decode"])
        let image = try #require(result.outputImagePath)
        #expect(image == workspace.output + "/final.png")
        #expect(try Compute.loadImage(image, maxPixels: 1 << 20).shape == [1, 3, 208, 312])
        for service in ["latent-encoder", "text-encoder", "sampling", "decoding"] {
            #expect(metrics.requestCount(service: service, status: "success") == 1)
        }
    }

    @Test func invalidGraphsAreRefusedBeforeAnyStepRuns() throws {
        let workspace = try Workspace()
        let cycle = [WorkflowStep(service: .sampling, stepId: "a", dependsOn: ["b"]), WorkflowStep(service: .decoding, stepId: "b", dependsOn: ["a"])]
        let result = try orchestrator(workspace).run(workflow(workspace, steps: cycle))
        #expect(result.status == .error && result.errorCode == ServiceError.workflowInvalid && result.stepResults.isEmpty)
        #expect(result.errorMessage?.contains("cycle") == true)
        let unknown = [WorkflowStep(service: .decoding, stepId: "d", dependsOn: ["ghost"])]
        #expect(try orchestrator(workspace).run(workflow(workspace, steps: unknown)).errorMessage?.contains("ghost") == true)
        let twice = [WorkflowStep(service: .textEncoder, stepId: "x"), WorkflowStep(service: .textEncoder, stepId: "x")]
        #expect(try orchestrator(workspace).run(workflow(workspace, steps: twice)).errorCode == ServiceError.workflowInvalid)
        // Sampling with nothing upstream to give it a latent.
        let orphan = [WorkflowStep(service: .sampling, stepId: "s")]
        let missing = try orchestrator(workspace).run(workflow(workspace, steps: orphan))
        #expect(missing.errorCode == ServiceError.workflowInvalid && missing.errorMessage?.contains("needs positive_encoding_file") == true)
    }

    @Test func aFailingStepFailsTheWorkflowWithItsCode() throws {
        let workspace = try Workspace()
        var request = workflow(workspace, steps: StandardWorkflow.steps(seed: 1))
        request.image1Path = workspace.path("absent.png")
        let result = try orchestrator(workspace).run(request)
        #expect(result.status == .error)
        #expect(result.errorCode == ServiceError.imageNotFound)
        #expect(result.errorMessage?.contains("step 'encode'") == true)
        #expect(result.outputImagePath == nil)
        // The text step ran beside it (neither depends on the other; it reads the same missing image) and
        // is reported too; sampling never started.
        #expect(result.stepResults.map(\.stepId) == ["encode", "text"])
        #expect(result.stepResults.map(\.status) == [.error, .error])
        var badParam = workflow(workspace, steps: StandardWorkflow.steps(seed: 1))
        badParam.steps[2].params["steps"] = "many"
        #expect(try orchestrator(workspace).run(badParam).errorCode == ServiceError.invalidRequest)
    }

    @Test func inKafkaModeAFailedWorkflowIsAnErrorInTheMetricsAndDeadLettersOnlyWhenInvalid() throws {
        let workspace = try Workspace()
        let metrics = Metrics()
        let transport = InProcessTransport(context: try workspace.context(), metrics: Metrics(), logger: Logger(json: true, sink: { _ in }))
        let processor = MessageProcessor(runner: ServiceRunner(service: OrchestratorService(transport: transport), metrics: metrics,
                                                               logger: Logger(json: true, sink: { _ in })),
                                         responseSchemaID: 8, deadLetterSchemaID: 9)
        func outcome(_ request: WorkflowRequest) throws -> (records: [OutgoingRecord.Destination], result: WorkflowResult, code: String?) {
            let outcome = try processor.process(IncomingRecord(value: request.confluentBytes(schemaID: 7), topic: "workflow-orchestrator"))
            let response = try #require(outcome.response)
            return (outcome.records.map(\.destination), try WorkflowResult(avro: response.value[5...]), outcome.errorCode)
        }
        var failing = workflow(workspace, steps: StandardWorkflow.steps(seed: 1))
        failing.image1Path = workspace.path("absent.png")
        let failed = try outcome(failing)
        #expect(failed.records == [.response], "a failed step is dead-lettered by its service, not by the orchestrator")
        #expect(failed.result.status == .error && failed.result.stepResults.count == 2, "the answer keeps the step results")
        #expect(failed.code == ServiceError.imageNotFound)
        let invalid = try outcome(workflow(workspace, steps: [WorkflowStep(service: .decoding, stepId: "d", dependsOn: ["ghost"])]))
        #expect(invalid.records == [.response, .deadLetter] && invalid.code == ServiceError.workflowInvalid)
        #expect(metrics.requestCount(service: "workflow-orchestrator", status: "error") == 2)
        #expect(metrics.requestCount(service: "workflow-orchestrator", status: "success") == 0)
        #expect(metrics.render().contains("vtryon_errors_total{service=\"workflow-orchestrator\",code=\"IMAGE_NOT_FOUND\"} 1"))
    }

    /// Holds every latent-encoder step until a second one comes (or 2 s pass), noting how many workflows were in it at once.
    final class SlowEncoderTransport: StepTransport, @unchecked Sendable {
        let inner: InProcessTransport
        let condition = NSCondition()
        var inside = 0, most = 0
        init(inner: InProcessTransport) { self.inner = inner }
        func call(_ request: LatentEncoderRequest) -> LatentEncoderResponse? {
            condition.withLock {
                inside += 1
                most = max(most, inside)
                condition.broadcast()
                let until = Date().addingTimeInterval(2)
                while inside < 2, Date() < until { _ = condition.wait(until: until) }
            }
            defer { condition.withLock { inside -= 1 } }
            return inner.call(request)
        }
        func call(_ request: TextEncoderRequest) -> TextEncoderResponse? { inner.call(request) }
        func call(_ request: SamplingRequest) -> SamplingResponse? { inner.call(request) }
        func call(_ request: DecodingRequest) -> DecodingResponse? { inner.call(request) }
    }

    @Test(arguments: [(["wf-a", "wf-b"], 2), (["wf-same", "wf-same"], 1)])
    func workflowsRunSideBySideUnlessTheyShareAnID(ids: [String], expectedOverlap: Int) throws {
        let workspace = try Workspace()
        let transport = SlowEncoderTransport(inner: InProcessTransport(context: try workspace.context(), metrics: Metrics(), logger: Logger(json: true, sink: { _ in })))
        let service = OrchestratorService(transport: transport)
        let group = DispatchGroup()
        for id in ids {
            var request = workflow(workspace, steps: [WorkflowStep(service: .latentEncoder, stepId: "encode")])
            request.workflowId = id
            group.enter()
            Thread.detachNewThread { [request] in
                _ = service.process(request)
                group.leave()
            }
        }
        group.wait()
        #expect(transport.most == expectedOverlap)
    }

    /// Answers like the in-process transport, but the two encoders each wait (up to 20 s) until the other has been called.
    final class RendezvousTransport: StepTransport, @unchecked Sendable {
        let inner: InProcessTransport
        let latentCalled = DispatchSemaphore(value: 0), textCalled = DispatchSemaphore(value: 0)
        init(inner: InProcessTransport) { self.inner = inner }
        func call(_ request: LatentEncoderRequest) -> LatentEncoderResponse? {
            latentCalled.signal()
            return textCalled.wait(timeout: .now() + 20) == .success ? inner.call(request) : nil
        }
        func call(_ request: TextEncoderRequest) -> TextEncoderResponse? {
            textCalled.signal()
            return latentCalled.wait(timeout: .now() + 20) == .success ? inner.call(request) : nil
        }
        func call(_ request: SamplingRequest) -> SamplingResponse? { inner.call(request) }
        func call(_ request: DecodingRequest) -> DecodingResponse? { inner.call(request) }
    }

    @Test func stepsThatDoNotDependOnEachOtherRunAtTheSameTime() throws {
        let workspace = try Workspace()
        let inner = InProcessTransport(context: try workspace.context(), metrics: Metrics(), logger: Logger(json: true, sink: { _ in }))
        let result = WorkflowOrchestrator(transport: RendezvousTransport(inner: inner)).run(workflow(workspace, steps: StandardWorkflow.steps(seed: 3)))
        #expect(result.status == .success, "one encoder waited for the other in vain: they ran one after the other (\(result.errorMessage ?? ""))")
        #expect(result.stepResults.map(\.stepId) == ["encode", "text", "sample", "decode"], "results keep the steps' order")
    }

    /// Answers like the in-process transport, except that the sampler never answers.
    struct SilentSampler: StepTransport {
        let inner: InProcessTransport
        func call(_ request: LatentEncoderRequest) -> LatentEncoderResponse? { inner.call(request) }
        func call(_ request: TextEncoderRequest) -> TextEncoderResponse? { inner.call(request) }
        func call(_ request: SamplingRequest) -> SamplingResponse? { nil }
        func call(_ request: DecodingRequest) -> DecodingResponse? { inner.call(request) }
    }

    @Test func aStepWithoutAResponseTimesTheWorkflowOut() throws {
        let workspace = try Workspace()
        let inner = InProcessTransport(context: try workspace.context(), metrics: Metrics(), logger: Logger(json: true, sink: { _ in }))
        let result = WorkflowOrchestrator(transport: SilentSampler(inner: inner)).run(workflow(workspace, steps: StandardWorkflow.steps(seed: 1)))
        #expect(result.status == .error && result.errorCode == ServiceError.stepTimedOut)
        #expect(result.stepResults.map(\.status) == [.success, .success, .error])
        #expect(result.errorMessage?.contains("step 'sample'") == true)
    }
}
