import AvroSchema
import Diagnostics
import JSONDocument
import Kafka
import SchemaConfig

/// Checks contracts against the project without a broker: topics known to schemactl.yaml, every
/// placeholder declared, the request valid against its schema, correlation present in the
/// request, expected Avro fields that exist, fixture files that exist.
public struct ContractLinter: Sendable {
    public static let rules: [RuleDescription] = [
        RuleDescription(id: "CONTRACT_UNKNOWN_TOPIC", severity: .error, summary: "A contract names a topic schemactl.yaml does not declare."),
        RuleDescription(id: "CONTRACT_UNKNOWN_VARIABLE", severity: .error, summary: "A {{placeholder}} names no variable of the contract."),
        RuleDescription(id: "CONTRACT_INVALID_EXAMPLE", severity: .error, summary: "The request's value does not fit its schema."),
        RuleDescription(id: "CONTRACT_SCHEMA", severity: .error, summary: "A contract's schema cannot be found or loaded."),
        RuleDescription(id: "CONTRACT_BAD_CORRELATION", severity: .error, summary: "The request lacks the field, key or header that responses are correlated by."),
        RuleDescription(id: "CONTRACT_UNKNOWN_FIELD", severity: .error, summary: "An expectation names a field its Avro schema does not have."),
        RuleDescription(id: "CONTRACT_DUPLICATE_ID", severity: .error, summary: "Two contracts share an id."),
        RuleDescription(id: "CONTRACT_FIXTURE_MISSING", severity: .error, summary: "A fixture's source file does not exist."),
    ]

    /// Placeholders every contract has without declaring them.
    public static let builtInVariables = ["run", "workdir"]

    public let config: ProjectConfig
    public let schemas: SchemaSource
    /// Checks fixture sources (resolved paths); nil skips the check.
    public let fileExists: (@Sendable (String) -> Bool)?

    public init(config: ProjectConfig, schemas: SchemaSource, fileExists: (@Sendable (String) -> Bool)? = nil) {
        self.config = config
        self.schemas = schemas
        self.fileExists = fileExists
    }

    /// Diagnostics for the contracts of one file.
    public func lint(_ contracts: [Contract]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func add(_ rule: String, _ message: String, _ mark: SourceMark) {
            diagnostics.append(Diagnostic(severity: .error, rule: rule, message: message, pointer: mark.pointer, line: mark.line, column: mark.column))
        }
        let topics = Set(config.topics)
        for contract in contracts {
            let declared = Set(contract.vars.map(\.name) + Self.builtInVariables)
            for (topic, mark) in [(contract.send.topic, contract.send.mark)] + contract.expect.map({ ($0.topic, $0.mark) }) + contract.forbid.map({ ($0.topic, $0.mark) })
            where !topics.contains(topic) {
                add("CONTRACT_UNKNOWN_TOPIC", "topic \(topic) is not in schemactl.yaml; declare it (topic: on a subject) or fix the name", mark)
            }
            var used = Templates.placeholders(in: contract.send.value) + (contract.send.key.map(Templates.placeholders(in:)) ?? [])
            used += contract.send.headers.flatMap { Templates.placeholders(in: $0.value) }
            used += contract.fixtures.flatMap { Templates.placeholders(in: $0.destination) } + contract.given.flatMap { Templates.placeholders(in: $0.params) }
            used += contract.expect.flatMap { expectation in
                (expectation.value.map(Self.placeholders) ?? []) + (expectation.key.map(Self.placeholders) ?? []) + expectation.headers.flatMap { Self.placeholders($0.matcher) }
            }
            for name in Set(used).subtracting(declared).sorted() {
                add("CONTRACT_UNKNOWN_VARIABLE", "{{\(name)}} is not declared under vars (declared: \(declared.sorted().joined(separator: ", ")))", contract.mark)
            }
            if let fileExists {
                for fixture in contract.fixtures where !fileExists(fixture.resolvedSource) {
                    add("CONTRACT_FIXTURE_MISSING", "fixture \(fixture.source) does not exist (\(fixture.resolvedSource)); fixture sources are relative to the contract file", fixture.sourceMark)
                }
            }
            let vars = Templates.generate(contract.vars)
            let request = (try? Templates.resolve(contract.send.value, vars)) ?? contract.send.value
            do {
                let schema = try schemas.schema(contract.send.schema, topic: contract.send.topic)
                for problem in schema.problems(with: request) {
                    add("CONTRACT_INVALID_EXAMPLE", "the request does not fit \(schema.origin) at \(problem.pointer.isEmpty ? "/" : problem.pointer): \(problem.message)",
                        contract.send.mark(ofValueAt: problem.pointer))
                }
            } catch {
                add("CONTRACT_SCHEMA", "the request's schema: \(error.description)", contract.send.mark)
            }
            let key = (try? contract.send.key.map { (text) throws(TemplateError) in try Templates.resolveText(text, vars) }) ?? nil
            if !Self.requestHas(contract.correlate, key: key, headerNames: contract.send.headers.map(\.name), value: request) {
                add("CONTRACT_BAD_CORRELATION", "responses are correlated by \(contract.correlate), which the request does not carry", contract.send.mark)
            }
            for expectation in contract.expect {
                guard let matcher = expectation.value, topics.contains(expectation.topic) else { continue }
                guard let schema = try? schemas.schema(expectation.schema, topic: expectation.topic) else {
                    add("CONTRACT_SCHEMA", "no schema for \(expectation.topic) (subject \(expectation.topic)-value or schema:)", expectation.mark)
                    continue
                }
                if case .avro(let avro) = schema.kind {
                    for (message, mark) in Self.unknownFields(matcher, as: avro.root, in: avro) { add("CONTRACT_UNKNOWN_FIELD", message, mark) }
                }
            }
        }
        return diagnostics
    }

    /// Diagnostics for ids used by more than one contract, given every (file, contract) pair.
    public static func duplicateIDs(_ contracts: [(path: String, contract: Contract)]) -> [(path: String, diagnostic: Diagnostic)] {
        var first: [String: String] = [:]
        var result: [(path: String, diagnostic: Diagnostic)] = []
        for (path, contract) in contracts {
            if let earlier = first[contract.id] {
                result.append((path, Diagnostic(severity: .error, rule: "CONTRACT_DUPLICATE_ID", message: "id \(contract.id) is already used in \(earlier); ids key reports and must be unique",
                                                pointer: contract.mark.pointer, line: contract.mark.line, column: contract.mark.column)))
            } else {
                first[contract.id] = path
            }
        }
        return result
    }

    static func requestHas(_ path: CorrelationPath, key: String?, headerNames: [String], value: JSONValue) -> Bool {
        ContractVerifier.extract(path, key: key.map { Array($0.utf8) }, headers: headerNames.map { KafkaHeader($0, "") }, value: value) != nil
    }

    static func placeholders(_ matcher: Matcher) -> [String] {
        switch matcher {
        case .equals(let value, _): Templates.placeholders(in: value)
        case .object(let members, _): members.flatMap { placeholders($0.matcher) }
        case .array(let items, _): items.flatMap(placeholders)
        default: []
        }
    }

    /// Object matcher keys that no record (or union branch) at that place defines.
    static func unknownFields(_ matcher: Matcher, as type: AvroType, in schema: AvroSchema) -> [(String, SourceMark)] {
        guard case .object(let members, _) = matcher else {
            if case .array(let items, _) = matcher, case .array(let itemType, _) = schema.resolve(type) {
                return items.flatMap { unknownFields($0, as: itemType, in: schema) }
            }
            return []
        }
        let records: [AvroRecord] = {
            switch schema.resolve(type) {
            case .record(let record): return [record]
            case .union(let branches): return branches.compactMap { if case .record(let r) = schema.resolve($0) { r } else { nil } }
            default: return []
            }
        }()
        guard !records.isEmpty else { return [] }
        var result: [(String, SourceMark)] = []
        for member in members {
            let owners = records.compactMap { record in record.fields.first { $0.name == member.key }.map { (record, $0) } }
            guard let (_, field) = owners.first else {
                let names = records.flatMap { $0.fields.map(\.name) }
                let close = names.min { editDistance($0, member.key) < editDistance($1, member.key) }
                let hint = close.map { editDistance($0, member.key) <= 3 ? "; did you mean \"\($0)\"?" : "" } ?? ""
                result.append(("\(records.map(\.fullname).joined(separator: " or ")) has no field \"\(member.key)\"\(hint)", member.matcher.mark))
                continue
            }
            result += unknownFields(member.matcher, as: field.type, in: schema)
        }
        return result
    }
}
