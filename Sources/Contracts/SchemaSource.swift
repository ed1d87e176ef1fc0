import Foundation
import JSONDocument
import RegistryClient
import RegistryModel
import SchemaConfig

/// Where a contract's schemas come from.
public protocol SchemaSource: Sendable {
    /// The schema a selector names; `topic` gives the default subject, `<topic>-value`.
    func schema(_ selector: SchemaSelector?, topic: String) throws(ContractError) -> MessageSchema
    /// The schema a Confluent framing id names (to decode what a service wrote).
    func schema(id: Int32) throws(ContractError) -> MessageSchema
}

/// Schemas from a Confluent-compatible registry (ids for the framing), files read by the caller.
public final class RegistrySchemaSource: SchemaSource, @unchecked Sendable {
    private let client: RegistryClient
    private let readFile: @Sendable (String) throws -> String
    private let lock = NSLock()
    private var cache: [String: MessageSchema] = [:]

    public init(client: RegistryClient, readFile: @escaping @Sendable (String) throws -> String) {
        self.client = client
        self.readFile = readFile
    }

    public func schema(_ selector: SchemaSelector?, topic: String) throws(ContractError) -> MessageSchema {
        let selector = selector ?? .subject("\(topic)-value", version: nil)
        return try cached("\(selector)") { () throws(ContractError) in
            switch selector {
            case .subject(let subject, let version):
                let registered = try call { () throws(RegistryClientError) in try client.version(subject: subject, version.map(String.init) ?? "latest") }
                return try make(registered, origin: "subject \(subject) v\(registered.version ?? 0)")
            case .file(let path):
                let text: String
                do { text = try readFile(path) } catch { throw ContractError("cannot read schema file \(path): \(error)") }
                let subject = "\(topic)-value"
                let request = SchemaRequest(schema: text, schemaType: path.hasSuffix(".json") ? .json : .avro)
                let registered = try call { () throws(RegistryClientError) in try client.lookup(subject: subject, request) }
                return try make(registered, origin: path)
            }
        }
    }

    public func schema(id: Int32) throws(ContractError) -> MessageSchema {
        try cached("id \(id)") { () throws(ContractError) in
            let registered = try call { () throws(RegistryClientError) in try client.schema(id: Int(id)) }
            return try make(registered, origin: "schema id \(id)")
        }
    }

    private func make(_ registered: RegisteredSchema, origin: String) throws(ContractError) -> MessageSchema {
        var references: [(name: String, text: String)] = []
        var pending = registered.references
        var seen: Set<String> = []
        while let reference = pending.popLast() {
            guard seen.insert("\(reference.subject)/\(reference.version)").inserted else { continue }
            let target = try call { () throws(RegistryClientError) in try client.version(subject: reference.subject, String(reference.version)) }
            references.append((reference.name, target.schema))
            pending += target.references
        }
        return try MessageSchema.make(text: registered.schema, isJSONSchema: registered.schemaType == .json, references: references,
                                      id: Int32(registered.id), origin: origin)
    }

    private func call<T>(_ body: () throws(RegistryClientError) -> T) throws(ContractError) -> T {
        do { return try body() } catch { throw ContractError("registry: \(error.description)") }
    }

    private func cached(_ key: String, _ make: () throws(ContractError) -> MessageSchema) throws(ContractError) -> MessageSchema {
        lock.lock()
        if let known = cache[key] { lock.unlock(); return known }
        lock.unlock()
        let schema = try make()
        lock.lock()
        cache[key] = schema
        lock.unlock()
        return schema
    }
}

/// Schemas from the project's files (schemactl.yaml's subjects), for lint: no registry, no ids.
/// A subject's version is not checked here; the file is what the project holds now.
public struct LocalSchemaSource: SchemaSource {
    public let config: ProjectConfig
    private let readFile: @Sendable (String) throws -> String

    public init(config: ProjectConfig, readFile: @escaping @Sendable (String) throws -> String) {
        self.config = config
        self.readFile = readFile
    }

    public func schema(_ selector: SchemaSelector?, topic: String) throws(ContractError) -> MessageSchema {
        switch selector ?? .subject("\(topic)-value", version: nil) {
        case .subject(let subject, _):
            guard let entry = config.subject(named: subject) else { throw ContractError("schemactl.yaml has no subject \(subject)") }
            return try make(entry)
        case .file(let path):
            return try MessageSchema.make(text: try read(path), isJSONSchema: path.hasSuffix(".json"), references: [], id: nil, origin: path)
        }
    }

    public func schema(id: Int32) throws(ContractError) -> MessageSchema { throw ContractError("local schemas have no registry ids") }

    private func make(_ entry: SubjectConfig) throws(ContractError) -> MessageSchema {
        var references: [(name: String, text: String)] = []
        var pending = entry.references
        while let reference = pending.popLast() {
            guard let target = config.subject(named: reference.subject) else { continue }
            references.append((reference.name, try read(target.schema)))
            pending += target.references
        }
        return try MessageSchema.make(text: try read(entry.schema), isJSONSchema: entry.schema.hasSuffix(".json"), references: references, id: nil, origin: entry.schema)
    }

    private func read(_ path: String) throws(ContractError) -> String {
        do { return try readFile(path) } catch { throw ContractError("cannot read schema file \(path): \(error)") }
    }
}
