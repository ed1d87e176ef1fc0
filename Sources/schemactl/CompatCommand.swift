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
        reading schema, with its line and column. JSON Schema compatibility is not available yet.

        Exit codes: 0 compatible, 1 incompatible, 2 usage, I/O or schema error.
        """
    )

    enum SchemaType: String, ExpressibleByArgument { case avro, json }
    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    @Option(help: "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.")
    var level: CompatibilityLevel

    @Option(help: "Schema type; by default from the extension (.avsc Avro, .json JSON Schema).")
    var type: SchemaType?

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
        guard kind == .avro else {
            throw Terminal.fail("JSON Schema compatibility is not implemented yet; only Avro schemas can be compared for now")
        }
        let workspace = try Workspace.load(configOption: schemaOptions.config)
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
        Terminal.out(render(result, documents: documents))
        if !result.isCompatible { throw ExitCode(1) }
    }

    /// Findings are located in the reading schema: the new one for BACKWARD, the previous for FORWARD.
    private func render(_ result: CompatibilityResult, documents: [JSONDocument]) -> String {
        let located = result.findings.map { finding -> (path: String, position: JSONPosition) in
            let index = finding.direction == .backward ? 0 : finding.version
            let pointer = JSONPointer(parsing: finding.incompatibility.location == "/" ? "" : finding.incompatibility.location) ?? .root
            return (index == 0 ? new : previous[index - 1], documents[index].position(of: pointer))
        }
        switch format {
        case .json:
            let findings = zip(result.findings, located).map { finding, place in
                "{\"type\":\(jsonQuoted(finding.incompatibility.type.rawValue)),\"message\":\(jsonQuoted(finding.incompatibility.message)),\"pointer\":\(jsonQuoted(finding.incompatibility.location)),\"version\":\(finding.version),\"direction\":\"\(finding.direction.rawValue)\",\"path\":\(jsonQuoted(place.path)),\"line\":\(place.position.line),\"column\":\(place.position.column)}"
            }
            return "{\"compatible\":\(result.isCompatible),\"level\":\"\(result.level.rawValue)\",\"findings\":[\(findings.joined(separator: ","))]}\n"
        case .text:
            var out = ""
            for (finding, place) in zip(result.findings, located) {
                let what = finding.direction == .backward ? "the new schema cannot read version \(finding.version)" : "version \(finding.version) cannot read the new schema"
                out += "\(place.path):\(place.position.line):\(place.position.column): error[\(finding.incompatibility.type.rawValue)]: \(what): \(finding.incompatibility.message) (at \(finding.incompatibility.location))\n"
            }
            out += result.isCompatible ? "compatible at \(result.level.rawValue)\n" : "incompatible at \(result.level.rawValue): \(result.findings.count) finding\(result.findings.count == 1 ? "" : "s")\n"
            return out
        }
    }
}
