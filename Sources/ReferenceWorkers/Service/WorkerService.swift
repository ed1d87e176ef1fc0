import AvroRuntime
import JSONDocument

/// A response and what the service wants to add to its standalone output (the seed's `metadata`).
public struct ServiceOutcome<Response: Sendable>: Sendable {
    public var response: Response
    public var details: JSONObject
}

/// One vtryon service: generated Avro request in, generated Avro response out. The transport (the
/// standalone command today, a Kafka consumer loop later) only calls `handle`.
public protocol WorkerService: Sendable {
    associatedtype Request: AvroMessage & Codable
    associatedtype Response: AvroMessage & Codable
    /// e.g. "latent-encoder": names topics, consumer group, DLQ and metrics.
    static var serviceName: String { get }
    /// How many requests Kafka mode processes at once unless KAFKA_MAX_IN_FLIGHT says otherwise.
    static var defaultMaxInFlight: Int { get }
    func process(_ request: Request) -> Result<ServiceOutcome<Response>, ServiceError>
    /// The response that reports `error` for `request` (status error).
    func errorResponse(for request: Request, _ error: ServiceError) -> Response
    func requestId(of request: Request) -> String
    /// Whether a request that failed with `error` also goes to the DLQ (beside its error response).
    func deadLetters(_ error: ServiceError) -> Bool
    /// The failure a response reports although `process` produced it (the orchestrator's failed
    /// workflow is such a response): counted and logged as an error. nil for a success.
    func failure(in response: Response) -> ServiceError?
}

extension WorkerService {
    /// One: a compute service keeps its device to one request.
    public static var defaultMaxInFlight: Int { 1 }

    /// Every rejected request is dead-lettered, the vtryon contracts' convention.
    public func deadLetters(_ error: ServiceError) -> Bool { true }

    /// Services whose failures come from `process` as errors have none to add.
    public func failure(in response: Response) -> ServiceError? { nil }
}

/// What every service needs: configuration, the path policy, the models, the chosen device.
public struct WorkerContext: Sendable {
    public let config: WorkerConfig
    public let paths: PathPolicy
    public let models: ModelStore
    public let device: String

    public init(config: WorkerConfig) throws(ServiceError) {
        self.config = config
        paths = PathPolicy(roots: config.allowedRoots)
        models = ModelStore(directory: config.modelDirectory)
        do { device = try ComputeDevice.select(config.device) } catch {
            throw ServiceError(ServiceError.invalidRequest, error.message)
        }
    }

    var images: ImageReader { ImageReader(maxPixels: config.maxImagePixels) }

    /// A shim failure as the service's error: weight problems name the model, the rest `computeCode`.
    func failure(_ error: TorchError, model: ModelRole, computeCode: String, what: String) -> ServiceError {
        error.kind == .weights
            ? ServiceError(model.invalidCode, "\(model.label) model does not fit: \(error.message)")
            : ServiceError(computeCode, "\(what) failed: \(error.message)")
    }
}

/// Runs a service with metrics and logs around it: the one entry point of every transport.
public struct ServiceRunner<Service: WorkerService>: Sendable {
    public let service: Service
    public let metrics: Metrics
    public let logger: Logger

    public init(service: Service, metrics: Metrics, logger: Logger) {
        self.service = service
        self.metrics = metrics
        self.logger = logger
    }

    public func handle(_ request: Service.Request) -> (response: Service.Response, details: JSONObject, error: ServiceError?) {
        let started = ContinuousClock.now
        let result = service.process(request)
        let seconds = (ContinuousClock.now - started).seconds
        let id = service.requestId(of: request)
        func failed(_ error: ServiceError) {
            metrics.record(service: Service.serviceName, status: "error", errorCode: error.code, seconds: seconds)
            logger.error("request failed", ["service": Service.serviceName, "request_id": id, "error_code": error.code, "error_message": error.message])
        }
        switch result {
        case .success(let outcome):
            if let error = service.failure(in: outcome.response) {
                failed(error)
                return (outcome.response, outcome.details, error)
            }
            metrics.record(service: Service.serviceName, status: "success", errorCode: nil, seconds: seconds)
            logger.info("request processed", ["service": Service.serviceName, "request_id": id, "duration_ms": String(Int(seconds * 1000))])
            return (outcome.response, outcome.details, nil)
        case .failure(let error):
            failed(error)
            return (service.errorResponse(for: request, error), JSONObject(), error)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
