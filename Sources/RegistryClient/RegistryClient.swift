import Foundation
import HTTPClient
import JSONDocument
import RegistryModel

/// Why a registry call failed: the registry said no, could not be reached, or answered something
/// that is not the Confluent API.
public enum RegistryClientError: Error, CustomStringConvertible, Sendable {
    case server(RegistryError)
    case unreachable(url: String, reason: String)
    case unexpectedResponse(String)

    public var description: String {
        switch self {
        case .server(let error): "the registry refused: \(error.description)"
        case .unreachable(let url, let reason): "cannot reach the registry at \(url): \(reason)"
        case .unexpectedResponse(let detail): "the registry's answer is not the Confluent API: \(detail)"
        }
    }

    /// The Confluent error code, when the registry answered with one.
    public var errorCode: Int? { if case .server(let error) = self { error.code } else { nil } }
}

/// A client of any Confluent-compatible schema registry (Confluent, Karapace, Apicurio's ccompat,
/// Redpanda, ours). Tolerant of server versions: `schemaType` absent means AVRO, register answers
/// `{"id":N}` or the whole schema, 409 or 40901 for incompatible schemas, unknown fields ignored.
/// Retries with exponential backoff when the registry cannot be reached or answers 408, 429 or 5xx.
public final class RegistryClient: Sendable {
    public let baseURL: String
    private let http: HTTPClient
    public let retries: Int
    public let backoff: Double

    public init(url: String, options: HTTPClient.Options = HTTPClient.Options(), retries: Int = 3, backoff: Double = 0.2) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.http = HTTPClient(options: options)
        self.retries = retries
        self.backoff = backoff
    }

    // MARK: - Subjects and versions

    public func subjects(prefix: String? = nil, deleted: Bool = false) throws(RegistryClientError) -> [String] {
        var query = ["deleted": String(deleted)]
        if let prefix { query["subjectPrefix"] = prefix }
        return try strings(try call("GET", ["subjects"], query: query))
    }

    public func versions(subject: String, deleted: Bool = false) throws(RegistryClientError) -> [Int] {
        try integers(try call("GET", ["subjects", subject, "versions"], query: ["deleted": String(deleted)]))
    }

    /// `version`: a number or "latest".
    public func version(subject: String, _ version: String = "latest", deleted: Bool = false) throws(RegistryClientError) -> RegisteredSchema {
        try schema(try call("GET", ["subjects", subject, "versions", version], query: deleted ? ["deleted": "true"] : [:]))
    }

    public func register(subject: String, _ request: SchemaRequest, normalize: Bool = false) throws(RegistryClientError) -> RegisteredSchema {
        let answer = try call("POST", ["subjects", subject, "versions"], query: ["normalize": String(normalize)], body: request.json)
        // Registries before Confluent 7.5 answer only {"id":N}.
        if answer.objectValue?["schema"] == nil, case .integer(let id)? = answer.objectValue?["id"] {
            return RegisteredSchema(subject: subject, id: Int(id), schemaType: request.schemaType, schema: request.schema, references: request.references)
        }
        var registered = try schema(answer)
        registered.subject = registered.subject ?? subject
        return registered
    }

    public func lookup(subject: String, _ request: SchemaRequest, normalize: Bool = false, deleted: Bool = false) throws(RegistryClientError) -> RegisteredSchema {
        try schema(try call("POST", ["subjects", subject], query: ["normalize": String(normalize), "deleted": String(deleted)], body: request.json))
    }

    public func deleteSubject(_ subject: String, permanent: Bool = false) throws(RegistryClientError) -> [Int] {
        try integers(try call("DELETE", ["subjects", subject], query: ["permanent": String(permanent)]))
    }

    public func deleteVersion(subject: String, _ version: String, permanent: Bool = false) throws(RegistryClientError) -> Int {
        guard case .integer(let n) = try call("DELETE", ["subjects", subject, "versions", version], query: ["permanent": String(permanent)]) else {
            throw .unexpectedResponse("a version delete should answer the version number")
        }
        return Int(n)
    }

    public func referencedBy(subject: String, _ version: String) throws(RegistryClientError) -> [Int] {
        try integers(try call("GET", ["subjects", subject, "versions", version, "referencedby"]))
    }

    // MARK: - Schemas by id

    public func schema(id: Int, subject: String? = nil) throws(RegistryClientError) -> RegisteredSchema {
        let answer = try call("GET", ["schemas", "ids", String(id)], query: subject.map { ["subject": $0] } ?? [:])
        do { return try RegisteredSchema(json: answer, knownID: id) } catch { throw .unexpectedResponse(error.message) }
    }

    public func subjects(ofID id: Int) throws(RegistryClientError) -> [String] {
        try strings(try call("GET", ["schemas", "ids", String(id), "subjects"]))
    }

    public func versions(ofID id: Int) throws(RegistryClientError) -> [(subject: String, version: Int)] {
        guard let items = try call("GET", ["schemas", "ids", String(id), "versions"]).arrayValue else { throw .unexpectedResponse("expected an array") }
        return try items.map { (item) throws(RegistryClientError) in
            guard let subject = item.objectValue?["subject"]?.stringValue, case .integer(let version)? = item.objectValue?["version"] else {
                throw .unexpectedResponse("expected {subject, version} items")
            }
            return (subject, Int(version))
        }
    }

    /// Every live subject version (`GET /schemas`), or only the latest of each subject.
    public func allSchemas(subjectPrefix: String? = nil, latestOnly: Bool = false) throws(RegistryClientError) -> [RegisteredSchema] {
        var query = ["latestOnly": String(latestOnly)]
        if let subjectPrefix { query["subjectPrefix"] = subjectPrefix }
        guard let items = try call("GET", ["schemas"], query: query).arrayValue else { throw .unexpectedResponse("expected an array of schemas") }
        return try items.map { (item) throws(RegistryClientError) in try schema(item) }
    }

    public func schemaTypes() throws(RegistryClientError) -> [String] { try strings(try call("GET", ["schemas", "types"])) }

    public func contexts() throws(RegistryClientError) -> [String] { try strings(try call("GET", ["contexts"])) }

    // MARK: - Compatibility, config, mode

    /// Against one version (a number or "latest"), or, with `version` nil, what registering would check.
    public func compatibility(subject: String, version: String? = "latest", _ request: SchemaRequest, verbose: Bool = true, normalize: Bool = false) throws(RegistryClientError) -> (isCompatible: Bool, messages: [String]) {
        let path = ["compatibility", "subjects", subject, "versions"] + (version.map { [$0] } ?? [])
        let answer = try call("POST", path, query: ["verbose": String(verbose), "normalize": String(normalize)], body: request.json)
        guard case .bool(let compatible)? = answer.objectValue?["is_compatible"] else { throw .unexpectedResponse("no is_compatible in \(answer.compactText.prefix(200))") }
        return (compatible, (answer.objectValue?["messages"]?.arrayValue ?? []).map { $0.stringValue ?? $0.compactText })
    }

    /// The compatibility level of a subject (or the global one with `subject` nil).
    public func compatibilityLevel(subject: String? = nil, defaultToGlobal: Bool = false) throws(RegistryClientError) -> String {
        let answer = try call("GET", ["config"] + (subject.map { [$0] } ?? []), query: defaultToGlobal ? ["defaultToGlobal": "true"] : [:])
        guard let level = answer.objectValue?["compatibilityLevel"]?.stringValue ?? answer.objectValue?["compatibility"]?.stringValue else {
            throw .unexpectedResponse("no compatibilityLevel in \(answer.compactText.prefix(200))")
        }
        return level
    }

    @discardableResult
    public func setCompatibilityLevel(_ level: String, subject: String? = nil, policy: String? = nil) throws(RegistryClientError) -> String {
        var body = JSONObject(["compatibility": .string(level)])
        if let policy { body.append("compatibilityPolicy", .string(policy)) }
        let answer = try call("PUT", ["config"] + (subject.map { [$0] } ?? []), body: .object(body))
        return answer.objectValue?["compatibility"]?.stringValue ?? level
    }

    @discardableResult
    public func deleteCompatibilityLevel(subject: String? = nil) throws(RegistryClientError) -> String? {
        let answer = try call("DELETE", ["config"] + (subject.map { [$0] } ?? []))
        return answer.objectValue?["compatibilityLevel"]?.stringValue ?? answer.stringValue
    }

    public func mode(subject: String? = nil, defaultToGlobal: Bool = false) throws(RegistryClientError) -> String {
        let answer = try call("GET", ["mode"] + (subject.map { [$0] } ?? []), query: defaultToGlobal ? ["defaultToGlobal": "true"] : [:])
        guard let mode = answer.objectValue?["mode"]?.stringValue else { throw .unexpectedResponse("no mode in \(answer.compactText.prefix(200))") }
        return mode
    }

    @discardableResult
    public func setMode(_ mode: String, subject: String? = nil, force: Bool = false) throws(RegistryClientError) -> String {
        let answer = try call("PUT", ["mode"] + (subject.map { [$0] } ?? []), query: force ? ["force": "true"] : [:], body: .object(JSONObject(["mode": .string(mode)])))
        return answer.objectValue?["mode"]?.stringValue ?? mode
    }

    @discardableResult
    public func deleteMode(subject: String? = nil) throws(RegistryClientError) -> String? {
        try call("DELETE", ["mode"] + (subject.map { [$0] } ?? [])).objectValue?["mode"]?.stringValue
    }

    // MARK: - Transport

    /// One API call: path segments are percent-encoded (a subject may hold `/`), retried on
    /// connect errors, 408, 429 and 5xx with exponential backoff; error bodies become `.server`.
    public func call(_ method: String, _ path: [String], query: [String: String] = [:], body: JSONValue? = nil) throws(RegistryClientError) -> JSONValue {
        var url = baseURL + "/" + path.map(percentEncoded).joined(separator: "/")
        if !query.isEmpty { url += "?" + query.sorted { $0.key < $1.key }.map { "\(percentEncoded($0.key))=\(percentEncoded($0.value))" }.joined(separator: "&") }
        var headers = ["Accept: application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json"]
        if body != nil { headers.append("Content-Type: application/vnd.schemaregistry.v1+json") }
        let bytes = body.map { Array($0.compactText.utf8) }
        var attempt = 0
        while true {
            do {
                let response = try http.send(method, url, headers: headers, body: bytes)
                if [408, 429].contains(response.status) || response.status >= 500, attempt < retries {
                    attempt += 1
                    Thread.sleep(forTimeInterval: backoff * pow(2, Double(attempt - 1)))
                    continue
                }
                return try decode(response)
            } catch let error as HTTPClient.TransportError {
                guard error.isConnectError, attempt < retries else { throw .unreachable(url: baseURL, reason: error.message) }
                attempt += 1
                Thread.sleep(forTimeInterval: backoff * pow(2, Double(attempt - 1)))
            } catch let error as RegistryClientError {
                throw error
            } catch {
                throw .unexpectedResponse("\(error)")
            }
        }
    }

    private func decode(_ response: HTTPClient.Response) throws(RegistryClientError) -> JSONValue {
        let parsed = try? JSONDocument(parsing: response.body).root
        guard (200..<300).contains(response.status) else {
            let object = parsed?.objectValue
            var code = response.status
            if case .integer(let n)? = object?["error_code"] { code = Int(n) }
            let message = object?["message"]?.stringValue ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            throw .server(RegistryError(status: response.status, code: code, message: message))
        }
        // `/…/schema` endpoints answer the raw schema text.
        guard let parsed else { return .string(String(decoding: response.body, as: UTF8.self)) }
        return parsed
    }

    private func strings(_ value: JSONValue) throws(RegistryClientError) -> [String] {
        guard let items = value.arrayValue else { throw .unexpectedResponse("expected an array of strings, got \(value.compactText.prefix(200))") }
        return items.compactMap(\.stringValue)
    }

    private func integers(_ value: JSONValue) throws(RegistryClientError) -> [Int] {
        guard let items = value.arrayValue else { throw .unexpectedResponse("expected an array of numbers, got \(value.compactText.prefix(200))") }
        return items.compactMap { if case .integer(let n) = $0 { Int(n) } else { nil } }
    }

    private func schema(_ value: JSONValue) throws(RegistryClientError) -> RegisteredSchema {
        do { return try RegisteredSchema(json: value) } catch { throw .unexpectedResponse(error.message) }
    }
}
