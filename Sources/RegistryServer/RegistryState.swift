import RegistryModel
import SchemaConfig

/// A schema as stored: one per id, shared by every subject version that registered the same text.
struct StoredSchema: Sendable {
    var id: Int
    var type: SchemaType
    /// The canonical text (compact JSON; keys sorted when registered with `normalize`).
    var text: String
    var references: [SchemaReference]
    /// Identity for de-duplication: MD5 of type, text and references.
    var hash: String
}

struct SubjectVersion: Sendable {
    var version: Int
    var schemaID: Int
    var deleted: Bool
}

/// Per-subject (or global, subject "") configuration.
struct StoredConfig: Sendable, Equatable {
    var compatibility: CompatibilityLevel?
    var policy: String?
}

/// A durable change. A request's changes are committed together, then applied to the in-memory state.
enum StateChange: Sendable {
    case addSchema(StoredSchema)
    case removeSchema(id: Int)
    case addVersion(subject: String, SubjectVersion)
    case markVersionDeleted(subject: String, version: Int)
    case removeVersion(subject: String, version: Int)
    case setConfig(subject: String, StoredConfig?)
    case setMode(subject: String, RegistryMode?)
    case setNextID(Int)
}

/// Everything the registry knows, in memory; the store is its durable copy.
struct RegistryState: Sendable {
    /// Only schemas some version (deleted or not) still uses: a hard delete removes the orphans.
    var schemas: [Int: StoredSchema] = [:]
    var idByHash: [String: Int] = [:]
    var versions: [String: [SubjectVersion]] = [:]
    /// Subjects in the order they were first registered (Confluent lists them so).
    var subjectOrder: [String] = []
    var configs: [String: StoredConfig] = [:]
    var modes: [String: RegistryMode] = [:]
    /// Never decreases, so no id is ever handed out twice, even after a hard delete.
    var nextID = 1

    mutating func apply(_ change: StateChange) {
        switch change {
        case .addSchema(let schema):
            schemas[schema.id] = schema
            idByHash[schema.hash] = schema.id
            nextID = max(nextID, schema.id + 1)
        case .removeSchema(let id):
            if let schema = schemas.removeValue(forKey: id) { idByHash[schema.hash] = nil }
        case .addVersion(let subject, let version):
            if versions[subject] == nil { subjectOrder.append(subject) }
            versions[subject, default: []].append(version)
            versions[subject]!.sort { $0.version < $1.version }
        case .markVersionDeleted(let subject, let number):
            if let index = versions[subject]?.firstIndex(where: { $0.version == number }) { versions[subject]![index].deleted = true }
        case .removeVersion(let subject, let number):
            versions[subject]?.removeAll { $0.version == number }
            if versions[subject]?.isEmpty == true {
                versions[subject] = nil
                subjectOrder.removeAll { $0 == subject }
            }
        case .setConfig(let subject, let config):
            configs[subject] = config
        case .setMode(let subject, let mode):
            modes[subject] = mode
        case .setNextID(let id):
            nextID = max(nextID, id)
        }
    }

    func liveVersions(_ subject: String) -> [SubjectVersion] { versions[subject]?.filter { !$0.deleted } ?? [] }

    /// Schema ids used by any version (deleted ones too when asked).
    func isReferenced(subject: String, version: Int, includingDeleted: Bool) -> [Int] {
        var ids: [Int] = []
        for (_, list) in versions {
            for entry in list where includingDeleted || !entry.deleted {
                guard let schema = schemas[entry.schemaID], schema.references.contains(where: { $0.subject == subject && $0.version == version }) else { continue }
                if !ids.contains(entry.schemaID) { ids.append(entry.schemaID) }
            }
        }
        return ids.sorted()
    }
}
