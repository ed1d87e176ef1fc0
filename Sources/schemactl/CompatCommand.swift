import ArgumentParser
import AvroSchema
import Compatibility
import Diagnostics
import JSONDocument
import SchemaConfig
import Validation

extension CompatibilityLevel: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

struct CompatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compat",
        abstract: "Check a new schema against previous versions at a Confluent compatibility level.",
        discussion: """
        PREVIOUS versions are given oldest first; the last one is the latest. BACKWARD: the new schema
        can read data written with the latest; FORWARD: the latest can read the new schema's data; FULL:
        both. The *_TRANSITIVE levels check every previous version, newest first, and stop at the first
        incompatible one, as Confluent Schema Registry does. NONE always passes.

        Avro follows Apache Avro's reader/writer rules (Java 1.12): findings are typed
        (READER_FIELD_MISSING_DEFAULT_VALUE, TYPE_MISMATCH, ...) and located by a JSON pointer into the
        reading schema, with its line and column.

        JSON Schema follows Confluent's differ: BACKWARD asks whether the new schema accepts every
        document the previous one accepts. Findings are Confluent's difference types
        (OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, TYPE_CHANGED, ...) located in the updated
        schema (the new one for BACKWARD, the previous version for FORWARD). --policy lenient also
        accepts the content-model changes that assume producers send no undeclared properties.
        A schema without $schema is draft-07, as in Confluent; $refs resolve within the schema and
        to the schemas its subject references in schemactl.yaml (by reference name).

        Exit codes: 0 compatible, 1 incompatible, 2 usage, I/O or schema error.
        """
    )

    enum SchemaType: String, ExpressibleByArgument { case avro, json }
    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    @Option(help: "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.")
    var level: CompatibilityLevel

    @Option(help: "Schema type; by default from the extension (.avsc Avro, .json JSON Schema).")
    var type: SchemaType?

    @Option(help: "JSON Schema policy: strict (Confluent's default) or lenient.")
    var policy: PolicyOption = .strict

    enum PolicyOption: String, ExpressibleByArgument { case strict, lenient }

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var schemaOptions: SchemaOptions

    @Argument(help: ArgumentHelp("The new schema.", valueName: "new"))
    var new: String

    @Argument(help: ArgumentHelp("Previous versions, oldest first.", valueName: "previous"))
    var previous: [String]

    func validate() throws {
        if previous.isEmpty { throw ValidationError("give at least one previous version after the new schema") }
    }

    func run() throws {
        let files = [new] + previous
        let kinds = Set(files.map { type ?? ($0.hasSuffix(".json") ? .json : .avro) })
        guard kinds.count == 1, let kind = kinds.first else {
            throw Terminal.fail("cannot compare an Avro schema with a JSON Schema: give files of one type (or --type)")
        }
        let workspace = try Workspace.load(configOption: schemaOptions.config)
        if kind == .json { return try runJSONSchema(files, workspace: workspace) }
        var schemas: [AvroSchema] = []
        var documents: [JSONDocument] = []
        for path in files {
            let file = try Workspace.read(path)
            let context = try workspace.referencedFiles(of: [file])
            let analysis = SchemaValidator(specVersion: schemaOptions.avroSpec, config: workspace.config).analyze([file], context: context)[0]
            guard analysis.report.isValid, let schema = analysis.schema, let document = try? JSONDocument(parsing: file.bytes) else {
                Terminal.err(ReportFormat.text.render([FileReport(path: path, diagnostics: analysis.report.diagnostics.filter { $0.severity == .error })]))
                throw Terminal.fail("\(path) is not a valid Avro schema; no compatibility verdict")
            }
            schemas.append(schema)
            documents.append(document)
        }
        let result = AvroLevelChecker.check(schemas[0], against: Array(schemas.dropFirst()), level: level)
        Terminal.out(render(result.findings.map { finding in
            let what = finding.direction == .backward ? "the new schema cannot read version \(finding.version)" : "version \(finding.version) cannot read the new schema"
            return Finding(rule: finding.incompatibility.type.rawValue, message: finding.incompatibility.message, explanation: what,
                           pointer: finding.incompatibility.location, version: finding.version, direction: finding.direction)
        }, documents: documents, heading: "at \(level.rawValue)"))
        if !result.isCompatible { throw ExitCode(1) }
    }

    private func runJSONSchema(_ files: [String], workspace: Workspace) throws {
        var schemas: [JSONSchemaGraph] = []
        var documents: [JSONDocument] = []
        for path in files {
            let file = try Workspace.read(path)
            do {
                schemas.append(try JSONSchemaFileLoader.load(file, references: try workspace.referencesByName(of: file)))
            } catch let invalid as JSONSchemaFileLoader.Invalid {
                Terminal.err(ReportFormat.text.render([invalid.report]))
                throw Terminal.fail("\(path) is not a valid JSON Schema; no compatibility verdict")
            }
            documents.append(try JSONDocument(parsing: file.bytes, recoveringComments: true))
        }
        let policy: CompatibilityPolicy = policy == .lenient ? .lenient : .strict
        let result = JSONSchemaLevelChecker.check(schemas[0], against: Array(schemas.dropFirst()), level: level, policy: policy)
        Terminal.out(render(result.findings.map { finding in
            let what = finding.direction == .backward ? "the new schema rejects data of version \(finding.version)" : "version \(finding.version) rejects data of the new schema"
            return Finding(rule: finding.type.rawValue, message: finding.message, explanation: what,
                           pointer: finding.pointer, version: finding.version, direction: finding.direction)
        }, documents: documents, heading: "at \(level.rawValue) (\(policy.rawValue))"))
        if !result.isCompatible { throw ExitCode(1) }
    }

    /// A finding of either format, located by a pointer into the schema it is about: the new one
    /// for BACKWARD, the previous version for FORWARD.
    private struct Finding {
        var rule: String
        var message: String
        var explanation: String
        var pointer: String
        var version: Int
        var direction: CompatibilityDirection
    }

    private func render(_ findings: [Finding], documents: [JSONDocument], heading: String) -> String {
        let located = findings.map { finding -> (path: String, position: JSONPosition) in
            let index = finding.direction == .backward ? 0 : finding.version
            let pointer = JSONPointer(parsing: finding.pointer == "/" ? "" : finding.pointer) ?? .root
            return (index == 0 ? new : previous[index - 1], documents[index].position(of: pointer))
        }
        switch format {
        case .json:
            let items = zip(findings, located).map { finding, place in
                "{\"type\":\(jsonQuoted(finding.rule)),\"message\":\(jsonQuoted(finding.message)),\"pointer\":\(jsonQuoted(finding.pointer)),\"version\":\(finding.version),\"direction\":\"\(finding.direction.rawValue)\",\"path\":\(jsonQuoted(place.path)),\"line\":\(place.position.line),\"column\":\(place.position.column)}"
            }
            return "{\"compatible\":\(findings.isEmpty),\"level\":\"\(level.rawValue)\",\"findings\":[\(items.joined(separator: ","))]}\n"
        case .text:
            var out = ""
            for (finding, place) in zip(findings, located) {
                out += "\(place.path):\(place.position.line):\(place.position.column): error[\(finding.rule)]: \(finding.explanation): \(finding.message) (at \(finding.pointer.isEmpty ? "/" : finding.pointer))\n"
            }
            out += findings.isEmpty ? "compatible \(heading)\n" : "incompatible \(heading): \(findings.count) finding\(findings.count == 1 ? "" : "s")\n"
            return out
        }
    }
}
