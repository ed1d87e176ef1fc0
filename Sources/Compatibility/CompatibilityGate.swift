import AvroSchema
import Diagnostics
import JSONDocument
import SchemaConfig
import Validation

/// The schemas of one side of the gate (the working tree, or the baseline): the config, and the
/// schema files it names, by their path relative to the config's folder.
public struct SchemaSnapshot: Sendable {
    public var config: ProjectConfig
    public var files: [String: [UInt8]]

    public init(config: ProjectConfig, files: [String: [UInt8]]) {
        self.config = config
        self.files = files
    }
}

/// `schemactl check`: every subject of the working tree against the same subject in a baseline, at
/// the subject's level. New subjects pass; removed subjects are findings. Values in, reports out.
public struct CompatibilityGate: Sendable {
    public var specVersion: AvroSpecVersion

    public init(specVersion: AvroSpecVersion = .v1_12) { self.specVersion = specVersion }

    public static let rules: [RuleDescription] = AvroIncompatibilityType.allCases.map {
        RuleDescription(id: $0.rawValue, severity: .error, summary: "Avro reader/writer incompatibility (Confluent names it the same).")
    } + JSONSchemaDifferenceType.allCases.filter { !CompatibilityPolicy.strict.isCompatible($0) }.map {
        RuleDescription(id: $0.rawValue, severity: .error, summary: CompatibilityPolicy.lenient.isCompatible($0)
            ? "JSON Schema change Confluent rejects under the STRICT policy (LENIENT accepts it)."
            : "JSON Schema change Confluent rejects under both policies.")
    } + [
        RuleDescription(id: "SUBJECT_REMOVED", severity: .error, summary: "A subject of the baseline is gone from schemactl.yaml."),
        RuleDescription(id: "SCHEMA_INVALID", severity: .error, summary: "A schema of either side is invalid, so no verdict is possible."),
    ]

    public func check(current: SchemaSnapshot, baseline: SchemaSnapshot) -> [FileReport] {
        let now = analyze(current)
        let before = analyze(baseline)
        var reports: [FileReport] = []
        for subject in current.config.subjects {
            var diagnostics: [Diagnostic] = []
            defer { reports.append(FileReport(path: subject.schema, diagnostics: diagnostics)) }
            guard let old = baseline.config.subject(named: subject.subject), baseline.files[normalizePath(old.schema)] != nil else {
                continue // a new subject has nothing to be compatible with
            }
            if subject.schema.hasSuffix(".json") {
                diagnostics += checkJSONSchema(subject, old: old, current: current, baseline: baseline)
                continue
            }
            guard let new = now[normalizePath(subject.schema)], let newSchema = new.schema, new.report.isValid else {
                diagnostics.append(Diagnostic(severity: .error, rule: "SCHEMA_INVALID", message: "the schema is invalid (see schemactl validate), so subject \(subject.subject) cannot be checked"))
                continue
            }
            guard let previous = before[normalizePath(old.schema)], let oldSchema = previous.schema, previous.report.isValid else {
                diagnostics.append(Diagnostic(severity: .error, rule: "SCHEMA_INVALID", message: "the baseline schema of \(subject.subject) is invalid, so it cannot be checked"))
                continue
            }
            let level = current.config.compatibility(of: subject)
            let result = AvroLevelChecker.check(newSchema, against: [oldSchema], level: level)
            let locate = FindingLocator(new: current.files[normalizePath(subject.schema)], old: baseline.files[normalizePath(old.schema)])
            for finding in result.findings {
                let pointer = finding.incompatibility.location == "/" ? "" : finding.incompatibility.location
                let position = locate(pointer, inNewSchema: finding.direction == .backward)
                let what = finding.direction == .backward ? "the new schema cannot read the baseline's data" : "readers of the baseline schema cannot read the new schema's data"
                diagnostics.append(Diagnostic(severity: .error, rule: finding.incompatibility.type.rawValue,
                                              message: "\(subject.subject) (\(level.rawValue)): \(what): \(finding.incompatibility.message) (at \(finding.incompatibility.location))",
                                              pointer: pointer, line: position.line, column: position.column))
            }
        }
        for removed in baseline.config.subjects where current.config.subject(named: removed.subject) == nil {
            reports.append(FileReport(path: "schemactl.yaml", diagnostics: [Diagnostic(severity: .error, rule: "SUBJECT_REMOVED",
                message: "subject \(removed.subject) (\(removed.schema)) is in the baseline but no longer in schemactl.yaml; producers and consumers of it lose their schema")]))
        }
        return reports
    }

    /// A JSON Schema subject at its level and policy; findings located in the new file.
    private func checkJSONSchema(_ subject: SubjectConfig, old: SubjectConfig, current: SchemaSnapshot, baseline: SchemaSnapshot) -> [Diagnostic] {
        let newPath = normalizePath(subject.schema), oldPath = normalizePath(old.schema)
        func load(_ snapshot: SchemaSnapshot, _ entry: SubjectConfig, _ path: String) -> JSONSchemaGraph? {
            try? JSONSchemaFileLoader.load(SourceFile(path: path, bytes: snapshot.files[path] ?? []), references: Self.references(of: entry, in: snapshot))
        }
        guard let newSchema = load(current, subject, newPath) else {
            return [Diagnostic(severity: .error, rule: "SCHEMA_INVALID", message: "the schema is invalid (see schemactl validate), so subject \(subject.subject) cannot be checked")]
        }
        guard let oldSchema = load(baseline, old, oldPath) else {
            return [Diagnostic(severity: .error, rule: "SCHEMA_INVALID", message: "the baseline schema of \(subject.subject) is invalid, so it cannot be checked")]
        }
        let level = current.config.compatibility(of: subject), policy = current.config.policy(of: subject)
        let result = JSONSchemaLevelChecker.check(newSchema, against: [oldSchema], level: level, policy: policy)
        let locate = FindingLocator(new: current.files[newPath], old: baseline.files[oldPath])
        return result.findings.map { finding in
            let position = locate(finding.pointer, inNewSchema: finding.direction == .backward)
            return Diagnostic(severity: .error, rule: finding.type.rawValue,
                              message: "\(subject.subject) (\(level.rawValue), \(policy.rawValue)): \(finding.message)",
                              pointer: finding.pointer, line: position.line, column: position.column)
        }
    }

    /// The files a subject's schema references, by reference name (transitively), in a snapshot.
    static func references(of subject: SubjectConfig, in snapshot: SchemaSnapshot) -> [String: SourceFile] {
        var found: [String: SourceFile] = [:]
        var queue = [subject]
        var seen: Set<String> = [subject.subject]
        while let next = queue.popLast() {
            for reference in next.references {
                guard let target = snapshot.config.subject(named: reference.subject) else { continue }
                let path = normalizePath(target.schema)
                if let bytes = snapshot.files[path], found[reference.name] == nil { found[reference.name] = SourceFile(path: path, bytes: bytes) }
                if seen.insert(target.subject).inserted { queue.append(target) }
            }
        }
        return found
    }

    /// Every Avro file of a snapshot validated together (references resolve among them).
    private func analyze(_ snapshot: SchemaSnapshot) -> [String: SchemaAnalysis] {
        var config = snapshot.config
        for i in config.subjects.indices { config.subjects[i].schema = normalizePath(config.subjects[i].schema) }
        let files = snapshot.files.filter { !$0.key.hasSuffix(".json") }.map { SourceFile(path: $0.key, identity: normalizePath($0.key), bytes: $0.value) }
        let analyses = SchemaValidator(specVersion: specVersion, config: config).analyze(files)
        return Dictionary(uniqueKeysWithValues: zip(files.map(\.identity), analyses))
    }
}

/// The line and column in the new file of a finding's pointer: directly when it points into the
/// new schema (BACKWARD), through the matching place when it points into the baseline's (FORWARD).
private struct FindingLocator {
    let newDocument: JSONDocument?
    let oldDocument: JSONDocument?

    init(new: [UInt8]?, old: [UInt8]?) {
        newDocument = new.flatMap { try? JSONDocument(parsing: $0, recoveringComments: true) }
        oldDocument = old.flatMap { try? JSONDocument(parsing: $0, recoveringComments: true) }
    }

    func callAsFunction(_ pointer: String, inNewSchema: Bool) -> JSONPosition {
        guard let newDocument, let parsed = JSONPointer(parsing: pointer) else { return JSONPosition(line: 1, column: 1) }
        if inNewSchema { return newDocument.position(of: parsed) }
        guard let oldDocument else { return JSONPosition(line: 1, column: 1) }
        return newDocument.position(of: correspondingPointer(parsed, from: oldDocument.root, to: newDocument.root))
    }
}
