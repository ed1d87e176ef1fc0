import Foundation
import JSONDocument

/// The workflow orchestrator as a service: a WorkflowRequest in, its WorkflowResult out (keyed by
/// workflow_id), through any StepTransport. A failed workflow is still an answer (status error,
/// naming the step), counted as an error in the metrics; it is dead-lettered by the failing service
/// itself, not here: only a workflow that cannot run at all (WORKFLOW_INVALID) is dead-lettered by
/// the orchestrator.
public struct OrchestratorService: WorkerService {
    public typealias Request = WorkflowRequest
    public typealias Response = WorkflowResult
    public static let serviceName = "workflow-orchestrator"
    /// Workflows mostly wait for the services: several at once keep every service busy.
    public static let defaultMaxInFlight = 8
    public let orchestrator: WorkflowOrchestrator
    private let running = RunningWorkflows()

    public init(transport: any StepTransport) { orchestrator = WorkflowOrchestrator(transport: transport) }

    /// Workflows run side by side, except two with the same workflow_id (a client's retry, say):
    /// their step requests share ids, so the second waits for the first.
    public func process(_ request: WorkflowRequest) -> Result<ServiceOutcome<WorkflowResult>, ServiceError> {
        running.enter(request.workflowId)
        defer { running.leave(request.workflowId) }
        return .success(ServiceOutcome(response: orchestrator.run(request), details: JSONObject()))
    }

    public func failure(in result: WorkflowResult) -> ServiceError? {
        result.status == .success ? nil : ServiceError(result.errorCode ?? ServiceError.workflowInvalid, result.errorMessage ?? "the workflow failed")
    }

    public func errorResponse(for request: WorkflowRequest, _ error: ServiceError) -> WorkflowResult {
        WorkflowResult(workflowId: request.workflowId, status: .error, errorCode: error.code, errorMessage: error.message, durationMs: 0, timestamp: Clock.millis())
    }

    public func requestId(of request: WorkflowRequest) -> String { request.workflowId }

    public func deadLetters(_ error: ServiceError) -> Bool { error.code == ServiceError.workflowInvalid }
}

/// The workflow ids being run, so that a second run of an id waits for the first.
final class RunningWorkflows: @unchecked Sendable {
    private let condition = NSCondition()
    private var ids: Set<String> = []

    func enter(_ id: String) {
        condition.withLock {
            while ids.contains(id) { condition.wait() }
            ids.insert(id)
        }
    }

    func leave(_ id: String) {
        condition.withLock {
            ids.remove(id)
            condition.broadcast()
        }
    }
}
