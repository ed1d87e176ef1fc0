/// An error in Confluent's shape: the HTTP status and `{"error_code":…,"message":…}`. The server
/// throws these; the client decodes them from responses.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var code: Int
    public var message: String

    public init(status: Int, code: Int, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (HTTP \(status), error code \(code))" }

    public static func subjectNotFound(_ subject: String) -> Self { .init(status: 404, code: 40401, message: "Subject '\(subject)' not found.") }
    public static func versionNotFound(_ version: String) -> Self { .init(status: 404, code: 40402, message: "Version \(version) not found.") }
    public static func schemaNotFound(_ detail: String = "") -> Self { .init(status: 404, code: 40403, message: detail.isEmpty ? "Schema not found" : "Schema \(detail) not found") }
    public static func subjectSoftDeleted(_ subject: String) -> Self {
        .init(status: 404, code: 40404, message: "Subject '\(subject)' was soft deleted. Set permanent=true to delete permanently")
    }
    public static func subjectNotSoftDeleted(_ subject: String) -> Self {
        .init(status: 404, code: 40405, message: "Subject '\(subject)' was not deleted first before being permanently deleted")
    }
    public static func versionSoftDeleted(_ subject: String, _ version: Int) -> Self {
        .init(status: 404, code: 40406, message: "Subject '\(subject)' Version \(version) was soft deleted. Set permanent=true to delete permanently")
    }
    public static func versionNotSoftDeleted(_ subject: String, _ version: Int) -> Self {
        .init(status: 404, code: 40407, message: "Subject '\(subject)' Version \(version) was not deleted first before being permanently deleted")
    }
    public static func subjectConfigNotFound(_ subject: String) -> Self {
        .init(status: 404, code: 40408, message: "Subject '\(subject)' does not have subject-level compatibility configured")
    }
    public static func subjectModeNotFound(_ subject: String) -> Self {
        .init(status: 404, code: 40409, message: "Subject '\(subject)' does not have subject-level mode configured")
    }
    public static func incompatible(_ subject: String, details: [String]) -> Self {
        .init(status: 409, code: 40901, message: "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\", details: [\(details.joined(separator: ", "))]")
    }
    public static func invalidSchema(_ message: String) -> Self { .init(status: 422, code: 42201, message: "Invalid schema: \(message)") }
    public static func invalidVersion(_ text: String) -> Self {
        .init(status: 422, code: 42202, message: "The specified version '\(text)' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"")
    }
    public static func invalidCompatibilityLevel(_ text: String) -> Self {
        .init(status: 422, code: 42203, message: "Invalid compatibility level \(text). Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive")
    }
    public static func invalidMode(_ text: String) -> Self {
        .init(status: 422, code: 42204, message: "Invalid mode \(text). Valid values are READWRITE, READONLY and IMPORT")
    }
    public static func operationNotPermitted(_ message: String) -> Self { .init(status: 422, code: 42205, message: message) }
    public static func referenceExists(_ what: String) -> Self { .init(status: 422, code: 42206, message: "One or more references exist to the schema \(what).") }
    public static func invalidSubject(_ message: String) -> Self { .init(status: 422, code: 42208, message: message) }
    public static func badRequest(_ message: String) -> Self { .init(status: 400, code: 400, message: message) }
    public static func storeError(_ message: String) -> Self { .init(status: 500, code: 50001, message: "Error in the backend data store - \(message)") }
    /// Client side only: the response could not be read (Confluent's client uses 50005).
    public static func unreadableResponse(_ message: String) -> Self { .init(status: 0, code: 50005, message: "Unreadable response: \(message)") }
}
