import Foundation
import HTTPServer
import JSONDocument
import RegistryModel

/// Confluent's REST API over `RegistryService`: routing, request bodies, query flags, response
/// shapes and error bodies. One instance serves every connection.
public final class RegistryRoutes: Sendable {
    private let service: RegistryService
    private let access: AccessControl
    let metrics = RegistryMetrics()
    static let contentType = "application/vnd.schemaregistry.v1+json"

    public init(service: RegistryService, users: [RegistryUser] = []) {
        self.service = service
        self.access = AccessControl(users: users)
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        var segments = request.pathSegments
        var context: String?
        // `/contexts/{ctx}/subjects/...` addresses subjects of a context as `:.ctx:subject`.
        if segments.count > 2, segments[0] == "contexts" {
            context = segments[1]
            segments.removeFirst(2)
        }
        let route = Self.routeName(segments)
        let response: HTTPResponse
        if let refusal = access.check(request, isWrite: Self.isWrite(request.method, segments)) {
            response = refusal
        } else {
            do {
                response = try dispatch(request, segments, context: context)
            } catch {
                response = Self.error(error)
            }
        }
        metrics.record(route: route, method: request.method, status: response.status, nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
        return response
    }

    // MARK: - Routing

    private func dispatch(_ request: HTTPRequest, _ path: [String], context: String?) throws(RegistryError) -> HTTPResponse {
        let query = request.query
        let method = request.method == "HEAD" ? "GET" : request.method
        func flag(_ name: String) -> Bool { query[name]?.lowercased() == "true" }
        func subject(_ raw: String) -> String {
            guard let context, context != ".", !raw.hasPrefix(":") else { return raw }
            return ":\(context.hasPrefix(".") ? context : "." + context):\(raw)"
        }
        func body() throws(RegistryError) -> JSONValue {
            do { return try JSONDocument(parsing: request.body).root } catch {
                throw .badRequest("The request body is not valid JSON: \(error)")
            }
        }
        func schemaRequest() throws(RegistryError) -> SchemaRequest { try SchemaRequest(json: body()) }
        func wrongMethod() -> RegistryError { RegistryError(status: 405, code: 405, message: "HTTP \(request.method) is not allowed on \(request.pathOnly)") }

        switch (method, path.count, path.first) {
        case (_, 0, _):
            guard method == "GET" || method == "POST" else { throw wrongMethod() }
            return Self.json(.object(JSONObject()))
        case ("GET", 1, "health"):
            return Self.json(.object(JSONObject(["status": .string("UP")])))
        case ("GET", 1, "metrics"):
            let counts = service.counts()
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4", body: metrics.render(subjects: counts.subjects, schemas: counts.schemas))
        case (_, _, "subjects"):
            return try subjects(method, path, query: query, subject: path.count > 1 ? subject(path[1]) : nil, flag: flag, schemaRequest: schemaRequest, wrongMethod: wrongMethod)
        case (_, _, "schemas"):
            guard method == "GET" else { throw wrongMethod() }
            return try schemas(path, query: query, flag: flag)
        case ("POST", 4...5, "compatibility") where path[1] == "subjects" && path[3] == "versions":
            let messages = try service.checkCompatibility(subject: subject(path[2]), versionText: path.count == 5 ? path[4] : nil, request: try schemaRequest(), normalize: flag("normalize"))
            var object = JSONObject(["is_compatible": .bool(messages.isEmpty)])
            if flag("verbose") { object.append("messages", .array(messages.map(JSONValue.string))) }
            return Self.json(.object(object))
        case (_, 1...2, "config"):
            let name = path.count == 2 ? subject(path[1]) : nil
            switch method {
            case "GET": return Self.config(try service.config(subject: name, defaultToGlobal: flag("defaultToGlobal")), key: "compatibilityLevel")
            case "PUT":
                let object = try body().objectValue
                let level = object?["compatibility"]?.stringValue ?? object?["compatibilityLevel"]?.stringValue
                return Self.config(try service.setConfig(subject: name, level: level, policy: object?["compatibilityPolicy"]?.stringValue), key: "compatibility")
            case "DELETE": return Self.config(try service.deleteConfig(subject: name), key: "compatibilityLevel")
            default: throw wrongMethod()
            }
        case (_, 1...2, "mode"):
            let name = path.count == 2 ? subject(path[1]) : nil
            let mode: RegistryMode
            switch method {
            case "GET": mode = try service.mode(subject: name, defaultToGlobal: flag("defaultToGlobal"))
            case "PUT": mode = try service.setMode(subject: name, try body().objectValue?["mode"]?.stringValue, force: flag("force"))
            case "DELETE": mode = try service.deleteMode(subject: name)
            default: throw wrongMethod()
            }
            return Self.json(.object(JSONObject(["mode": .string(mode.rawValue)])))
        case ("GET", 1, "contexts"):
            return Self.json(.array(service.contexts().map(JSONValue.string)))
        case ("GET", 3, "v1") where path[1] == "metadata" && path[2] == "id":
            return Self.json(.object(JSONObject(["scope": .object(JSONObject(["path": .array([]), "clusters": .object(JSONObject(["schema-registry-cluster": .string("schemactl")]))]))])))
        case ("GET", 3, "v1") where path[1] == "metadata" && path[2] == "version":
            return Self.json(.object(JSONObject(["version": .string("schemactl"), "commitId": .string("")])))
        default:
            // `/associations/…` included: Confluent's 8.x clients ask there first and fall back on 404.
            throw RegistryError(status: 404, code: 404, message: "HTTP 404 Not Found: no route for \(request.method) \(request.pathOnly)")
        }
    }

    private func subjects(_ method: String, _ path: [String], query: [String: String], subject: String?, flag: (String) -> Bool,
                          schemaRequest: () throws(RegistryError) -> SchemaRequest, wrongMethod: () -> RegistryError) throws(RegistryError) -> HTTPResponse {
        guard let subject else {
            guard method == "GET" else { throw wrongMethod() }
            let all = service.subjects(prefix: query["subjectPrefix"], deleted: flag("deleted"), deletedOnly: flag("deletedOnly") || flag("deleted_only"))
            return Self.json(.array(Self.page(all, query).map(JSONValue.string)))
        }
        switch (method, path.count) {
        case ("POST", 2):
            return Self.json(try service.lookup(subject: subject, request: try schemaRequest(), normalize: flag("normalize"), includeDeleted: flag("deleted")).json)
        case ("DELETE", 2):
            return Self.json(.array(try service.deleteSubject(subject, permanent: flag("permanent")).map { .integer(Int64($0)) }))
        case ("GET", 3) where path[2] == "versions":
            let versions = try service.versions(subject: subject, deleted: flag("deleted"), deletedOnly: flag("deletedOnly") || flag("deleted_only"), deletedAsNegative: flag("deletedAsNegative"))
            return Self.json(.array(Self.page(versions, query).map { .integer(Int64($0)) }))
        case ("POST", 3) where path[2] == "versions":
            let registered = try service.register(subject: subject, request: try schemaRequest(), normalize: flag("normalize"), force: flag("force"))
            return Self.json(registered.json)
        case ("GET", 4) where path[2] == "versions":
            return Self.json(try service.version(subject: subject, path[3], includeDeleted: flag("deleted")).json)
        case ("DELETE", 4) where path[2] == "versions":
            return Self.json(.integer(Int64(try service.deleteVersion(subject: subject, path[3], permanent: flag("permanent")))))
        case ("GET", 5) where path[2] == "versions" && path[4] == "schema":
            return HTTPResponse(status: 200, contentType: Self.contentType, body: try service.version(subject: subject, path[3], includeDeleted: flag("deleted")).schema)
        case ("GET", 5) where path[2] == "versions" && path[4] == "referencedby":
            return Self.json(.array(Self.page(try service.referencedBy(subject: subject, path[3]), query).map { .integer(Int64($0)) }))
        case (_, 2...4) where path.count == 2 || path[2] == "versions":
            throw wrongMethod()
        default:
            throw Self.noSuchResource
        }
    }

    private func schemas(_ path: [String], query: [String: String], flag: (String) -> Bool) throws(RegistryError) -> HTTPResponse {
        if path.count == 1 {
            let all = service.allSchemas(prefix: query["subjectPrefix"], deleted: flag("deleted"), latestOnly: flag("latestOnly"))
            return Self.json(.array(Self.page(all, query).map(\.json)))
        }
        if path.count == 2, path[1] == "types" { return Self.json(.array([.string("JSON"), .string("AVRO")])) }
        guard path.count >= 3, path.count <= 4, path[1] == "ids" else { throw Self.noSuchResource }
        guard let id = Int(path[2]) else { throw RegistryError.schemaNotFound(path[2]) }
        switch path.count == 4 ? path[3] : "" {
        case "":
            var schema = try service.schema(id: id, subject: query["subject"])
            schema.deleted = false
            return Self.json(schema.json)
        case "schema":
            return HTTPResponse(status: 200, contentType: Self.contentType, body: try service.schema(id: id).schema)
        case "subjects":
            let subjects = try service.subjectVersions(ofID: id, deleted: flag("deleted")).map(\.subject)
            var unique: [String] = []
            for s in subjects where !unique.contains(s) { unique.append(s) }
            return Self.json(.array(Self.page(unique, query).map(JSONValue.string)))
        case "versions":
            let pairs = try service.subjectVersions(ofID: id, deleted: flag("deleted"))
            return Self.json(.array(Self.page(pairs, query).map { .object(JSONObject(["subject": .string($0.subject), "version": .integer(Int64($0.version))])) }))
        default:
            throw Self.noSuchResource
        }
    }

    // MARK: - Responses

    private static let noSuchResource = RegistryError(status: 404, code: 404, message: "HTTP 404 Not Found")

    static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: contentType, body: value.compactText)
    }

    static func error(_ error: RegistryError) -> HTTPResponse {
        json(.object(JSONObject(["error_code": .integer(Int64(error.code)), "message": .string(error.message)])), status: error.status)
    }

    private static func config(_ config: RegistryService.Config, key: String) -> HTTPResponse {
        var object = JSONObject([key: .string(config.compatibility.rawValue)])
        if let policy = config.policy { object.append("compatibilityPolicy", .string(policy)) }
        return json(.object(object))
    }

    /// `offset` and `limit` (-1 or absent: everything).
    private static func page<T>(_ items: [T], _ query: [String: String]) -> [T] {
        let offset = max(0, Int(query["offset"] ?? "") ?? 0)
        let limit = Int(query["limit"] ?? "") ?? -1
        guard offset < items.count else { return [] }
        let rest = items[offset...]
        return Array(limit < 0 ? rest : rest.prefix(limit))
    }

    /// Registering, deleting and changing config or mode; lookups and compatibility checks are reads.
    static func isWrite(_ method: String, _ path: [String]) -> Bool {
        switch method {
        case "GET", "HEAD": return false
        case "POST": return !(path.first == "compatibility" || (path.first == "subjects" && path.count == 2) || path.isEmpty)
        default: return true
        }
    }

    /// A low-cardinality name for metrics: the path with subjects and ids replaced.
    static func routeName(_ path: [String]) -> String {
        guard let first = path.first else { return "/" }
        switch first {
        case "subjects", "config", "mode":
            return "/" + ([first] + path.dropFirst().enumerated().map { index, part in
                index == 0 ? "{subject}" : (index == 2 ? "{version}" : part)
            }).joined(separator: "/")
        case "schemas":
            return "/" + path.enumerated().map { index, part in index == 2 && path[1] == "ids" ? "{id}" : part }.joined(separator: "/")
        case "compatibility":
            return path.count >= 5 ? "/compatibility/subjects/{subject}/versions/{version}" : "/compatibility/subjects/{subject}/versions"
        case "health", "metrics", "contexts", "v1": return "/" + path.prefix(3).joined(separator: "/")
        default: return "other"
        }
    }
}

extension HTTPRequest {
    var pathOnly: String { String(target.prefix { $0 != "?" }) }
}
