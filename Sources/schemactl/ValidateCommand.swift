import ArgumentParser
import AvroSchema
import Diagnostics
import JSONSchema
import Validation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Avro schemas strictly against the specification, with file:line:col diagnostics.",
        discussion: """
        PATH is a schema file or a folder, searched recursively for Avro schemas (*.avsc) and JSON
        Schemas (*.json that declare "$schema" or that schemactl.yaml maps to a subject; other
        JSON files in folders, such as examples, are skipped). Files are validated together: an Avro
        named type defined in one file resolves in the others (as Avro's multi-file parsing does;
        using it without a schema reference declared in schemactl.yaml is a warning), and a JSON
        Schema's $ref resolves against the $id or location of the other files.

        JSON Schemas are checked against their draft's meta-schema, compiled (every $ref must
        resolve, every pattern must be ECMA-262), and linted: unknown keywords (typos such as
        "requried"), required properties a closed object never defines, keywords draft-07 ignores
        beside $ref.

        Errors make a schema invalid. Warnings are valid Avro that rarely does what was meant (a
        logicalType on the field, a nullable field without default, ...); --strict fails on them too.
        `schemactl rules` lists every rule id.

        Exit codes: 0 no errors (warnings allowed unless --strict), 1 errors, 2 usage or I/O error.
        """
    )

    @Option(help: "Output format: text, json, github (Actions annotations), junit or sarif.")
    var format: ReportFormat = .text

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @OptionGroup var schemaOptions: SchemaOptions

    @Option(help: ArgumentHelp("Draft of JSON Schemas without \"$schema\": 7, 2019-09 or 2020-12.", valueName: "draft"))
    var draft: Dialect = .draft2020_12

    @Argument(help: ArgumentHelp("Schema files or folders.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one schema file or folder, e.g. `schemactl validate schemas/`") }
    }

    func run() throws {
        let workspace = try Workspace.load(configOption: schemaOptions.config)
        let files = try Workspace.schemaFiles(in: paths, extensions: ["avsc", "json"]).compactMap { path -> SourceFile? in
            let file = try Workspace.read(path)
            return Workspace.isSchema(file, namedExplicitly: paths.contains(path), config: workspace.config) ? file : nil
        }
        let context = try workspace.referencedFiles(of: files)
        let validator = SchemaValidator(specVersion: schemaOptions.avroSpec, jsonSchemaDialect: draft, config: workspace.config)
        let reports = validator.validate(files, context: context)
        Terminal.out(format.render(reports, rules: allRuleDescriptions))
        if reports.errorCount > 0 || (strict && reports.warningCount > 0) { throw ExitCode(1) }
    }
}
