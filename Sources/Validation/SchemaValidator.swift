import AvroSchema
import Diagnostics
import JSONDocument
import JSONSchema
import SchemaConfig

/// A file's bytes, with the path to show and an identity (a normalised absolute path) to match
/// it against schemactl.yaml.
public struct SourceFile: Sendable {
    public var path: String
    public var identity: String
    public var bytes: [UInt8]

    public init(path: String, identity: String? = nil, bytes: [UInt8]) {
        self.path = path
        self.identity = identity ?? normalizePath(path)
        self.bytes = bytes
    }

    /// `.json` files are JSON Schemas; everything else is read as Avro.
    public var isJSONSchema: Bool { path.hasSuffix(".json") }
}

/// Validates schema files together. Avro files as Avro's multi-file parsing does: a named type
/// defined in one file resolves in the others, and the config says which of those uses are
/// declared schema references. JSON Schema files against their meta-schema, with their `$ref`s
/// resolved among the files given. Values in, reports out; no file access.
public struct SchemaValidator: Sendable {
    public var specVersion: AvroSpecVersion
    /// The draft of JSON Schemas that do not say (`$schema`).
    public var jsonSchemaDialect: Dialect
    /// The project config, with every subject's `schema` already resolved to a file identity.
    public var config: ProjectConfig?

    public init(specVersion: AvroSpecVersion = .v1_12, jsonSchemaDialect: Dialect = .draft2020_12, config: ProjectConfig? = nil) {
        self.specVersion = specVersion
        self.jsonSchemaDialect = jsonSchemaDialect
        self.config = config
    }

    /// Reports for `files`; `context` files only lend their type definitions (referenced schemas
    /// that were not asked for).
    public func validate(_ files: [SourceFile], context: [SourceFile] = []) -> [FileReport] {
        analyze(files, context: context).map(\.report)
    }

    /// Like `validate`, and also returns each file's schema (with other files' types it uses).
    public func analyze(_ files: [SourceFile], context: [SourceFile] = []) -> [SchemaAnalysis] {
        let all = (files + context).map { ParsedFile(file: $0) }
        let jsonReports = JSONSchemaFileValidator(defaultDialect: jsonSchemaDialect).reports(for: all.filter(\.file.isJSONSchema))
        let avro = analyzeAvro(all.filter { !$0.file.isJSONSchema })
        return files.map { file in
            if let report = jsonReports[file.identity] { return SchemaAnalysis(report: report, schema: nil) }
            return avro[file.identity] ?? SchemaAnalysis(report: FileReport(path: file.path, diagnostics: []), schema: nil)
        }
    }

    private func analyzeAvro(_ parsed: [ParsedFile]) -> [String: SchemaAnalysis] {
        let parser = AvroParser(specVersion: specVersion)
        var units = parsed

        // Pass 1: every file alone.
        for index in units.indices {
            guard let document = units[index].document else { continue }
            units[index].result = parser.parse(document.root)
        }
        // Pass 2: files that use names they don't define, with every other file's definitions.
        let needsOthers = units.indices.filter { !(units[$0].result?.unresolvedNames.isEmpty ?? true) }
        let table = needsOthers.isEmpty ? [:] : externalTable(units)
        for index in needsOthers {
            guard let document = units[index].document else { continue }
            let own = Set(units[index].result?.definedNames ?? [])
            units[index].result = parser.parse(document.root, external: table.filter { !own.contains($0.key) })
        }
        var analyses: [String: SchemaAnalysis] = [:]
        for unit in units { analyses[unit.file.identity] = SchemaAnalysis(report: report(for: unit), schema: unit.result?.schema) }
        return analyses
    }

    private func report(for unit: ParsedFile) -> FileReport {
        var diagnostics = unit.jsonDiagnostics
        if let document = unit.document, let result = unit.result {
            diagnostics += result.issues.map { $0.diagnostic(in: document) }
            diagnostics += undeclaredReferences(result.externalUses, in: unit, document: document)
        }
        return FileReport(path: unit.file.path, diagnostics: diagnostics)
    }

    /// fullname → its definition, when exactly one distinct definition exists among the files.
    private func externalTable(_ units: [ParsedFile]) -> [String: ExternalDefinition] {
        var found: [String: [(path: String, type: AvroType, canonical: String)]] = [:]
        for unit in units {
            guard let schema = unit.result?.schema else { continue }
            for name in unit.result?.definedNames ?? [] {
                guard let definition = schema.definitions[name] else { continue }
                let canonical = AvroSchema(root: definition, definitions: schema.definitions).canonicalForm
                found[name, default: []].append((unit.file.path, definition, canonical))
            }
        }
        return found.mapValues { definitions in
            let distinct = Set(definitions.map(\.canonical))
            if distinct.count == 1, let first = definitions.first { return .defined(first.type, source: first.path) }
            return .ambiguous(sources: definitions.map(\.path))
        }
    }

    /// A registry resolves another file's type only through a declared schema reference.
    private func undeclaredReferences(_ uses: [ExternalUse], in unit: ParsedFile, document: JSONDocument) -> [Diagnostic] {
        let subjects = config?.subjects(forSchemaPath: unit.file.identity) ?? []
        var reported: Set<String> = []
        var diagnostics: [Diagnostic] = []
        for use in uses where !subjects.contains(where: { $0.references.contains { $0.name == use.name } }) {
            guard reported.insert(use.name).inserted else { continue }
            let definingSubject = config?.subjects.first { normalizePath($0.schema).hasSuffix(normalizePath(use.source)) }?.subject
            let destination = subjects.first.map { "to subject \($0.subject) in schemactl.yaml" } ?? "to this file's subject in schemactl.yaml"
            let reference = "{name: \(use.name), subject: \(definingSubject ?? "<subject of \(use.source)>"), version: 1}"
            let position = document.position(of: use.pointer)
            diagnostics.append(Diagnostic(
                severity: AvroRule.undeclaredReference.severity, rule: AvroRule.undeclaredReference.rawValue,
                message: "\(use.name) is defined in \(use.source), not in this file; a registry or another reader can resolve it only through a schema reference: add references: [\(reference)] \(destination)",
                pointer: use.pointer.description, line: position.line, column: position.column))
        }
        return diagnostics
    }
}

/// A validated file: its findings and, when it could be built, its schema.
public struct SchemaAnalysis: Sendable {
    public var report: FileReport
    public var schema: AvroSchema?
}

/// One file on its way through validation.
struct ParsedFile {
    let file: SourceFile
    let document: JSONDocument?
    let jsonDiagnostics: [Diagnostic]
    var result: AvroParseResult?

    init(file: SourceFile) {
        self.file = file
        do {
            let document = try JSONDocument(parsing: file.bytes, recoveringComments: true)
            self.document = document
            self.jsonDiagnostics = document.comments.map(\.diagnostic)
        } catch {
            self.document = nil
            self.jsonDiagnostics = [error.diagnostic]
        }
    }
}

/// Every rule schemactl validate can report, for `schemactl rules` and SARIF.
public let allRuleDescriptions: [RuleDescription] = jsonRuleDescriptions + AvroRule.allCases.map(\.description) + jsonSchemaRuleDescriptions + ConfigParser.rules
