import Foundation
import RegistryModel
import SchemaConfig

/// The registry's operations with Confluent's semantics: values in, values out, `RegistryError`s
/// for every refusal. State lives in memory behind one lock; each write is committed to the store
/// before it is applied, so what a client was told is what a restart finds.
public final class RegistryService: @unchecked Sendable {
    public static let defaultLevel = CompatibilityLevel.backward
    private let lock = NSLock()
    private var state: RegistryState
    private let store: RegistryStore
    /// Parsed schemas by id (immutable once registered), for compatibility checks.
    private var parsed: [Int: ParsedSchema] = [:]

    init(store: RegistryStore) throws(StoreError) {
        self.store = store
        self.state = try store.load()
    }

    /// `memory` or `sqlite:PATH`.
    public convenience init(storage: String) throws(RegistryStartError) {
        let store: RegistryStore
        if storage == "memory" {
            store = MemoryStore()
        } else if storage.hasPrefix("sqlite:") {
            do { store = try SQLiteStore(path: String(storage.dropFirst("sqlite:".count))) } catch { throw RegistryStartError(description: error.description) }
        } else {
            throw RegistryStartError(description: "unknown storage \(storage): use sqlite:PATH or memory")
        }
        do { try self.init(store: store) } catch { throw RegistryStartError(description: "cannot load the registry: \(error.description)") }
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        store.close()
    }

    private func locked<T>(_ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func commit(_ changes: [StateChange]) throws(RegistryError) {
        do { try store.commit(changes) } catch { throw .storeError(error.description) }
        for change in changes { state.apply(change) }
    }

    // MARK: - Register and look up

    public func register(subject: String, request: SchemaRequest, normalize: Bool = false, force: Bool = false) throws(RegistryError) -> RegisteredSchema {
        try Self.validate(subject: subject)
        let (references, resolved) = try locked { () throws(RegistryError) in
            try requireWritable(subject)
            if request.id != nil && effectiveMode(subject) != .importing { throw .operationNotPermitted("Subject \(subject) is not in import mode") }
            return try resolveReferences(request.references)
        }
        let schema = try SchemaFormats.parse(request.schema, type: request.schemaType, references: resolved, normalize: normalize)
        let hash = SchemaFormats.hash(type: request.schemaType, text: schema.canonicalText, references: references)
        return try locked { () throws(RegistryError) in
            let mode = effectiveMode(subject)
            let history = state.versions[subject] ?? []
            let existingID = state.idByHash[hash]
            if let existingID, let same = history.first(where: { $0.schemaID == existingID && !$0.deleted }) {
                return view(subject: subject, same)
            }
            if mode != .importing && !force {
                let previous = history.filter { !$0.deleted }.map { (version: $0.version, schema: parsedSchema($0.schemaID)) }
                let messages = SchemaFormats.incompatibilities(new: schema, previous: previous, level: level(of: subject), policy: policy(of: subject))
                if !messages.isEmpty { throw .incompatible(subject, details: messages) }
            }
            let next = (history.map(\.version).max() ?? 0) + 1
            var version = next
            if let wanted = request.version {
                guard wanted >= 1, !history.contains(where: { $0.version == wanted }), mode == .importing || wanted == next else {
                    throw .invalidSchema("version \(wanted) cannot be registered in subject \(subject); the next version is \(next)")
                }
                version = wanted
            }
            if let wanted = request.id {
                if let taken = state.schemas[wanted], taken.hash != hash {
                    throw .operationNotPermitted("Overwrite new schema with id \(wanted) is not permitted.")
                }
                if let existingID, existingID != wanted {
                    throw .init(status: 422, code: 42207, message: "Schema already registered with id \(existingID) instead of input id \(wanted)")
                }
            }
            let id = request.id ?? existingID ?? state.nextID
            var changes: [StateChange] = []
            if state.schemas[id] == nil {
                changes.append(.addSchema(StoredSchema(id: id, type: schema.type, text: schema.canonicalText, references: references, hash: hash)))
            }
            let entry = SubjectVersion(version: version, schemaID: id, deleted: false)
            changes.append(.addVersion(subject: subject, entry))
            try commit(changes)
            parsed[id] = parsed[id] ?? schema
            return view(subject: subject, entry)
        }
    }

    public func lookup(subject: String, request: SchemaRequest, normalize: Bool = false, includeDeleted: Bool = false) throws(RegistryError) -> RegisteredSchema {
        let (references, resolved) = try locked { () throws(RegistryError) in
            guard let history = state.versions[subject], includeDeleted || history.contains(where: { !$0.deleted }) else { throw .subjectNotFound(subject) }
            return try resolveReferences(request.references)
        }
        let schema = try SchemaFormats.parse(request.schema, type: request.schemaType, references: resolved, normalize: normalize)
        let hash = SchemaFormats.hash(type: request.schemaType, text: schema.canonicalText, references: references)
        return try locked { () throws(RegistryError) in
            guard let id = state.idByHash[hash],
                  let entry = (state.versions[subject] ?? []).last(where: { $0.schemaID == id && (includeDeleted || !$0.deleted) }) else {
                throw .schemaNotFound()
            }
            return view(subject: subject, entry)
        }
    }

    // MARK: - Reading

    public func subjects(prefix: String? = nil, deleted: Bool = false, deletedOnly: Bool = false) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return state.subjectOrder.filter { subject in
            if let prefix, prefix != ":*:", !subject.hasPrefix(prefix) { return false }
            let live = state.versions[subject]?.contains { !$0.deleted } ?? false
            return deletedOnly ? !live : (live || deleted)
        }
    }

    public func versions(subject: String, deleted: Bool = false, deletedOnly: Bool = false, deletedAsNegative: Bool = false) throws(RegistryError) -> [Int] {
        try locked { () throws(RegistryError) in
            guard let history = state.versions[subject], !history.isEmpty else { throw .subjectNotFound(subject) }
            let askedForDeleted = deleted || deletedOnly || deletedAsNegative
            if !askedForDeleted && !history.contains(where: { !$0.deleted }) { throw .subjectNotFound(subject) }
            let chosen = history.filter { deletedOnly ? $0.deleted : (!$0.deleted || askedForDeleted) }
            return chosen.map { deletedAsNegative && $0.deleted ? -$0.version : $0.version }
        }
    }

    public func version(subject: String, _ versionText: String, includeDeleted: Bool = false) throws(RegistryError) -> RegisteredSchema {
        let number = try Self.parseVersion(versionText)
        return try locked { () throws(RegistryError) in try view(subject: subject, find(subject: subject, number, versionText, includeDeleted: includeDeleted)) }
    }

    public func referencedBy(subject: String, _ versionText: String) throws(RegistryError) -> [Int] {
        let number = try Self.parseVersion(versionText)
        return try locked { () throws(RegistryError) in
            let entry = try find(subject: subject, number, versionText, includeDeleted: false)
            return state.isReferenced(subject: subject, version: entry.version, includingDeleted: false)
        }
    }

    /// A schema by id; with `subject`, the reply also names that subject's version of it.
    public func schema(id: Int, subject: String? = nil) throws(RegistryError) -> RegisteredSchema {
        try locked { () throws(RegistryError) in
            guard let stored = state.schemas[id] else { throw .schemaNotFound("\(id)") }
            var result = RegisteredSchema(id: id, schemaType: stored.type, schema: stored.text, references: stored.references)
            if let subject, let entry = state.versions[subject]?.last(where: { $0.schemaID == id }) {
                result.subject = subject
                result.version = entry.version
            }
            return result
        }
    }

    public func subjectVersions(ofID id: Int, deleted: Bool = false) throws(RegistryError) -> [(subject: String, version: Int)] {
        try locked { () throws(RegistryError) in
            guard state.schemas[id] != nil else { throw .schemaNotFound("\(id)") }
            var result: [(subject: String, version: Int)] = []
            for subject in state.subjectOrder {
                for entry in state.versions[subject] ?? [] where entry.schemaID == id && (deleted || !entry.deleted) {
                    result.append((subject, entry.version))
                }
            }
            return result
        }
    }

    /// Every live subject version (or only the latest of each), for `GET /schemas`.
    public func allSchemas(prefix: String? = nil, deleted: Bool = false, latestOnly: Bool = false) -> [RegisteredSchema] {
        lock.lock()
        defer { lock.unlock() }
        var result: [RegisteredSchema] = []
        for subject in state.subjectOrder where prefix == nil || prefix == ":*:" || subject.hasPrefix(prefix!) {
            let entries = (state.versions[subject] ?? []).filter { deleted || !$0.deleted }
            for entry in latestOnly ? Array(entries.suffix(1)) : entries { result.append(view(subject: subject, entry)) }
        }
        return result
    }

    public func contexts() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        var found = ["."]
        for subject in state.subjectOrder where subject.hasPrefix(":.") {
            let context = subject.dropFirst().prefix { $0 != ":" }
            if !found.contains(String(context)) { found.append(String(context)) }
        }
        return found
    }

    // MARK: - Delete

    public func deleteSubject(_ subject: String, permanent: Bool) throws(RegistryError) -> [Int] {
        try locked { () throws(RegistryError) in
            try requireWritable(subject)
            guard let history = state.versions[subject], !history.isEmpty else { throw .subjectNotFound(subject) }
            for entry in history where !state.isReferenced(subject: subject, version: entry.version, includingDeleted: permanent).isEmpty {
                throw .referenceExists("\(subject) version \(entry.version)")
            }
            if permanent {
                guard history.allSatisfy(\.deleted) else { throw .subjectNotSoftDeleted(subject) }
                var changes = history.map { StateChange.removeVersion(subject: subject, version: $0.version) }
                changes += orphanedSchemas(removing: history.map { (subject, $0) })
                if state.configs[subject] != nil { changes.append(.setConfig(subject: subject, nil)) }
                if state.modes[subject] != nil { changes.append(.setMode(subject: subject, nil)) }
                try commit(changes)
                return history.map(\.version)
            }
            let live = history.filter { !$0.deleted }
            guard !live.isEmpty else { throw .subjectSoftDeleted(subject) }
            try commit(live.map { .markVersionDeleted(subject: subject, version: $0.version) })
            return live.map(\.version)
        }
    }

    public func deleteVersion(subject: String, _ versionText: String, permanent: Bool) throws(RegistryError) -> Int {
        let number = try Self.parseVersion(versionText)
        return try locked { () throws(RegistryError) in
            try requireWritable(subject)
            // A numbered version is found even when soft-deleted, to say so (40406).
            let entry = try find(subject: subject, number, versionText, includeDeleted: permanent || number != -1)
            if !state.isReferenced(subject: subject, version: entry.version, includingDeleted: permanent).isEmpty {
                throw .referenceExists("\(subject) version \(entry.version)")
            }
            if permanent {
                guard entry.deleted else { throw .versionNotSoftDeleted(subject, entry.version) }
                try commit([.removeVersion(subject: subject, version: entry.version)] + orphanedSchemas(removing: [(subject, entry)]))
            } else {
                guard !entry.deleted else { throw .versionSoftDeleted(subject, entry.version) }
                try commit([.markVersionDeleted(subject: subject, version: entry.version)])
            }
            return entry.version
        }
    }

    // MARK: - Compatibility

    /// `/compatibility/subjects/{s}/versions[/{v}]`: with a version, that version only (in the
    /// level's direction); without, what registering would check.
    public func checkCompatibility(subject: String, versionText: String?, request: SchemaRequest, normalize: Bool = false) throws(RegistryError) -> [String] {
        let number = try versionText.map { (text) throws(RegistryError) in try Self.parseVersion(text) }
        let resolved = try locked { () throws(RegistryError) in try resolveReferences(request.references).1 }
        let schema = try SchemaFormats.parse(request.schema, type: request.schemaType, references: resolved, normalize: normalize)
        return try locked { () throws(RegistryError) in
            let level = level(of: subject)
            guard let history = state.versions[subject]?.filter({ !$0.deleted }), !history.isEmpty else {
                if let number, number != -1 { throw state.versions[subject] == nil ? .subjectNotFound(subject) : .versionNotFound(versionText!) }
                return []
            }
            if let number, let versionText {
                let entry = try find(subject: subject, number, versionText, includeDeleted: false)
                return SchemaFormats.incompatibilities(new: schema, previous: [(entry.version, parsedSchema(entry.schemaID))],
                                                       level: SchemaFormats.singleVersionLevel(level), policy: policy(of: subject))
            }
            return SchemaFormats.incompatibilities(new: schema, previous: history.map { ($0.version, parsedSchema($0.schemaID)) }, level: level, policy: policy(of: subject))
        }
    }

    // MARK: - Config and mode

    public struct Config: Sendable, Equatable {
        public var compatibility: CompatibilityLevel
        public var policy: String?
    }

    public func config(subject: String?, defaultToGlobal: Bool = false) throws(RegistryError) -> Config {
        try locked { () throws(RegistryError) in
            if let subject {
                if let stored = state.configs[subject], let level = stored.compatibility { return Config(compatibility: level, policy: stored.policy) }
                guard defaultToGlobal else { throw .subjectConfigNotFound(subject) }
            }
            let global = state.configs[""]
            return Config(compatibility: global?.compatibility ?? Self.defaultLevel, policy: global?.policy)
        }
    }

    public func setConfig(subject: String?, level: String?, policy: String?) throws(RegistryError) -> Config {
        if let subject { try Self.validate(subject: subject) }
        guard let text = level, let parsedLevel = CompatibilityLevel(rawValue: text.uppercased().trimmingCharacters(in: .whitespaces)) else {
            throw .invalidCompatibilityLevel(level ?? "null")
        }
        if let policy, !["STRICT", "LENIENT"].contains(policy.uppercased()) {
            throw .init(status: 422, code: 42203, message: "Invalid compatibility policy \(policy). Valid values are STRICT and LENIENT")
        }
        return try locked { () throws(RegistryError) in
            let config = StoredConfig(compatibility: parsedLevel, policy: policy?.uppercased())
            try commit([.setConfig(subject: subject ?? "", config)])
            return Config(compatibility: parsedLevel, policy: config.policy)
        }
    }

    public func deleteConfig(subject: String?) throws(RegistryError) -> Config {
        try locked { () throws(RegistryError) in
            let key = subject ?? ""
            guard let previous = state.configs[key] else {
                if let subject { throw .subjectNotFound(subject) }
                return Config(compatibility: Self.defaultLevel, policy: nil)
            }
            try commit([.setConfig(subject: key, nil)])
            return Config(compatibility: previous.compatibility ?? Self.defaultLevel, policy: previous.policy)
        }
    }

    public func mode(subject: String?, defaultToGlobal: Bool = false) throws(RegistryError) -> RegistryMode {
        try locked { () throws(RegistryError) in
            if let subject {
                if let mode = state.modes[subject] { return mode }
                guard defaultToGlobal else { throw .subjectModeNotFound(subject) }
            }
            return state.modes[""] ?? .readWrite
        }
    }

    public func setMode(subject: String?, _ text: String?, force: Bool = false) throws(RegistryError) -> RegistryMode {
        if let subject { try Self.validate(subject: subject) }
        guard let text, let mode = RegistryMode(rawValue: text.uppercased()) else { throw .invalidMode(text ?? "null") }
        return try locked { () throws(RegistryError) in
            if mode == .importing && !force {
                let live = subject.map { !state.liveVersions($0).isEmpty } ?? state.versions.values.contains { $0.contains { !$0.deleted } }
                if live { throw .operationNotPermitted("Cannot import since found existing subjects; set force=true to switch to IMPORT anyway") }
            }
            try commit([.setMode(subject: subject ?? "", mode)])
            return mode
        }
    }

    public func deleteMode(subject: String?) throws(RegistryError) -> RegistryMode {
        try locked { () throws(RegistryError) in
            let key = subject ?? ""
            guard let previous = state.modes[key] else {
                if let subject { throw .subjectNotFound(subject) }
                return .readWrite
            }
            try commit([.setMode(subject: key, nil)])
            return previous
        }
    }

    /// Counts for metrics.
    public func counts() -> (subjects: Int, schemas: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (state.subjectOrder.count, state.schemas.count)
    }

    // MARK: - Helpers (called with the lock held)

    private func effectiveMode(_ subject: String) -> RegistryMode { state.modes[subject] ?? state.modes[""] ?? .readWrite }

    private func level(of subject: String) -> CompatibilityLevel {
        state.configs[subject]?.compatibility ?? state.configs[""]?.compatibility ?? Self.defaultLevel
    }

    /// The JSON Schema policy (Confluent's `compatibilityPolicy`): the subject's, else the global one.
    private func policy(of subject: String) -> CompatibilityPolicy {
        (state.configs[subject]?.policy ?? state.configs[""]?.policy).flatMap(CompatibilityPolicy.init(rawValue:)) ?? .strict
    }

    private func requireWritable(_ subject: String) throws(RegistryError) {
        let mode = effectiveMode(subject)
        if mode == .readOnly || mode == .readOnlyOverride { throw .operationNotPermitted("Subject \(subject) is in read-only mode") }
    }

    /// Schemas no version will use once `entries` are gone: their rows go too (ids are not reused).
    private func orphanedSchemas(removing entries: [(subject: String, entry: SubjectVersion)]) -> [StateChange] {
        let removed = Set(entries.map { "\($0.subject)\u{0}\($0.entry.version)" })
        return Set(entries.map(\.entry.schemaID)).sorted().filter { id in
            !state.versions.contains { subject, list in list.contains { $0.schemaID == id && !removed.contains("\(subject)\u{0}\($0.version)") } }
        }.map { .removeSchema(id: $0) }
    }

    private func find(subject: String, _ number: Int, _ text: String, includeDeleted: Bool) throws(RegistryError) -> SubjectVersion {
        guard let history = state.versions[subject], !history.isEmpty else { throw .subjectNotFound(subject) }
        let candidates = history.filter { includeDeleted || !$0.deleted }
        if number == -1 {
            guard let latest = candidates.last else { throw .subjectNotFound(subject) }
            return latest
        }
        guard let entry = candidates.first(where: { $0.version == number }) else { throw .versionNotFound(text) }
        return entry
    }

    private func view(subject: String, _ entry: SubjectVersion) -> RegisteredSchema {
        let stored = state.schemas[entry.schemaID]!
        return RegisteredSchema(subject: subject, version: entry.version, id: stored.id, schemaType: stored.type, schema: stored.text,
                                references: stored.references, deleted: entry.deleted)
    }

    private func parsedSchema(_ id: Int) -> ParsedSchema {
        if let known = parsed[id] { return known }
        let stored = state.schemas[id]!
        let references = (try? resolveReferences(stored.references).1) ?? []
        let schema = (try? SchemaFormats.parse(stored.text, type: stored.type, references: references, normalize: false))
            ?? ParsedSchema(type: stored.type, canonicalText: stored.text)
        parsed[id] = schema
        return schema
    }

    /// References with `version: -1` pinned to the latest, and every schema they bring in
    /// (transitively, depth first) by reference name.
    private func resolveReferences(_ references: [SchemaReference]) throws(RegistryError) -> ([SchemaReference], [(name: String, schema: StoredSchema)]) {
        var pinned: [SchemaReference] = []
        var resolved: [(name: String, schema: StoredSchema)] = []
        var seen: Set<Int> = []
        func visit(_ reference: SchemaReference, depth: Int) throws(RegistryError) -> SchemaReference {
            guard depth < 64 else { throw .invalidSchema("references nest deeper than 64 levels") }
            let live = state.liveVersions(reference.subject)
            let entry = reference.version == -1 ? live.last : live.first { $0.version == reference.version }
            guard let entry, let schema = state.schemas[entry.schemaID] else {
                throw .invalidSchema("reference \(reference.name) names subject \(reference.subject) version \(reference.version == -1 ? "latest" : String(reference.version)), which does not exist")
            }
            if seen.insert(schema.id).inserted {
                for inner in schema.references { _ = try visit(inner, depth: depth + 1) }
                resolved.append((reference.name, schema))
            }
            return SchemaReference(name: reference.name, subject: reference.subject, version: entry.version)
        }
        for reference in references { pinned.append(try visit(reference, depth: 0)) }
        return (pinned, resolved)
    }

    static func parseVersion(_ text: String) throws(RegistryError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "latest" || trimmed == "-1" { return -1 }
        guard let number = Int(trimmed), number >= 1, number <= Int(Int32.max) else { throw .invalidVersion(text) }
        return number
    }

    static func validate(subject: String) throws(RegistryError) {
        if subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidSubject("The specified subject is not valid: it contains control characters")
        }
        if subject == "__GLOBAL" || subject == "__EMPTY" || subject.hasPrefix(":.__GLOBAL:") {
            throw .invalidSubject("The specified subject '\(subject)' is reserved")
        }
    }
}

public struct RegistryStartError: Error, CustomStringConvertible {
    public var description: String
}
