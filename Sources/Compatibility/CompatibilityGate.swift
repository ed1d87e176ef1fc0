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
    } + [
        RuleDescription(id: "SUBJECT_REMOVED", severity: .error, summary: "A subject of the baseline is gone from schemactl.yaml."),
        RuleDescription(id: "SCHEMA_INVALID", severity: .error, summary: "A schema of either side is invalid, so no verdict is possible."),
        RuleDescription(id: "COMPAT_NOT_CHECKED", severity: .note, summary: "A JSON Schema subject: its compatibility check is not available yet."),
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
                diagnostics.append(Diagnostic(severity: .note, rule: "COMPAT_NOT_CHECKED",
                                              message: "subject \(subject.subject) is a JSON Schema; its compatibility check is not available yet"))
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
            let document = try? JSONDocument(parsing: current.files[normalizePath(subject.schema)] ?? [])
            for finding in result.findings {
                let pointer = finding.incompatibility.location == "/" ? "" : finding.incompatibility.location
                // Backward findings point into the new schema; forward ones into the baseline's, so
                // they are reported at the top of the new file.
                let position = finding.direction == .backward
                    ? document?.position(of: JSONPointer(parsing: pointer) ?? .root) ?? JSONPosition(line: 1, column: 1)
                    : JSONPosition(line: 1, column: 1)
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

    /// Every Avro file of a snapshot validated together (references resolve among them).
    private func analyze(_ snapshot: SchemaSnapshot) -> [String: SchemaAnalysis] {
        var config = snapshot.config
        for i in config.subjects.indices { config.subjects[i].schema = normalizePath(config.subjects[i].schema) }
        let files = snapshot.files.filter { !$0.key.hasSuffix(".json") }.map { SourceFile(path: $0.key, identity: normalizePath($0.key), bytes: $0.value) }
        let analyses = SchemaValidator(specVersion: specVersion, config: config).analyze(files)
        return Dictionary(uniqueKeysWithValues: zip(files.map(\.identity), analyses))
    }
}
