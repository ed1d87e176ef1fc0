import ArgumentParser
import AvroSchema
import Diagnostics
import Validation

struct CanonicalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canonical",
        abstract: "Print an Avro schema's Parsing Canonical Form.",
        discussion: """
        The form fingerprints are computed from: fullnames, no doc/aliases/defaults/logical types, no
        whitespace. Types the schema takes from other files through schemactl.yaml references are
        written in full where first used. An invalid schema prints its errors and exits 1.
        """
    )

    @OptionGroup var schemaOptions: SchemaOptions

    @Argument(help: ArgumentHelp("The schema file.", valueName: "file"))
    var file: String

    func run() throws {
        let schema = try loadValidSchema(file, options: schemaOptions)
        Terminal.out(schema.canonicalForm + "\n")
    }
}

/// Reads and validates one schema file (with the files its references need); prints the errors
/// and exits 1 when it is invalid.
func loadValidSchema(_ path: String, options: SchemaOptions) throws -> AvroSchema {
    let workspace = try Workspace.load(configOption: options.config)
    let file = try Workspace.read(path)
    let context = try workspace.referencedFiles(of: [file])
    let validator = SchemaValidator(specVersion: options.avroSpec, config: workspace.config)
    guard let analysis = validator.analyze([file], context: context).first else { throw ExitCode(2) }
    guard analysis.report.isValid, let schema = analysis.schema else {
        let errors = FileReport(path: analysis.report.path, diagnostics: analysis.report.diagnostics.filter { $0.severity == .error })
        Terminal.err(ReportFormat.text.render([errors]))
        throw ExitCode(1)
    }
    return schema
}
