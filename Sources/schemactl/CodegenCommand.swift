import ArgumentParser
import AvroSchema
import Codegen
import Diagnostics
import Foundation
import JSONDocument
import Validation

extension AccessLevel: ExpressibleByArgument {}
extension CodegenOptions.TypeNaming: ExpressibleByArgument {}

struct CodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codegen",
        abstract: "Generate Swift types from Avro schemas (with Avro binary encoding) and JSON Schemas (Codable).",
        discussion: """
        PATH is an Avro schema file or a folder searched recursively for *.avsc. The files are read
        together, as `schemactl validate` reads them: a named type defined in one file resolves in the
        others (and schemactl.yaml's references pull in files not named). Each schema file gives one
        Swift file in DIR, named after it; a named type is declared once. Generated code imports only
        the AvroRuntime library (and Foundation for Date and UUID).

        JSON Schema files (*.json declaring "$schema", or named on the command line) give Codable
        structs and enums; their definitions become nested types of the root type.

        Files are written only when their contents change. Invalid schemas are reported as by
        `schemactl validate` and nothing is written (exit 1).

        Exit codes: 0 generated, 1 invalid schemas, 2 usage or I/O error.
        """
    )

    @Option(help: ArgumentHelp("Folder for the Swift files (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "Access level of the generated declarations: public or internal.")
    var access: AccessLevel = .public

    @Option(name: .customLong("type-names"), help: "Avro namespaces in Swift names: short (prefix namespace parts only on collisions) or qualified.")
    var typeNames: CodegenOptions.TypeNaming = .short

    @OptionGroup var schemaOptions: SchemaOptions

    @Argument(help: ArgumentHelp("Avro schema files or folders.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one Avro schema file or folder, e.g. `schemactl codegen --out Sources/Messages schemas/`") }
    }

    func run() throws {
        let workspace = try Workspace.load(configOption: schemaOptions.config)
        let found = try Workspace.schemaFiles(in: paths, extensions: ["avsc", "json"])
        let files = try found.filter { $0.hasSuffix(".avsc") }.map(Workspace.read)
        let jsonSchemas = try jsonSchemaInputs(found.filter { $0.hasSuffix(".json") })
        let context = try workspace.referencedFiles(of: files)
        let analyses = SchemaValidator(specVersion: schemaOptions.avroSpec, config: workspace.config).analyze(files, context: context)
        let failed = analyses.filter { [$0.report].errorCount > 0 || $0.schema == nil }
        if !failed.isEmpty {
            Terminal.err(ReportFormat.text.render(failed.map(\.report)))
            Terminal.err("schemactl: \(failed.count) schema\(failed.count == 1 ? " is" : "s are") invalid; nothing generated")
            throw ExitCode(1)
        }
        var inputs: [CodegenInput] = []
        for (file, analysis) in zip(files, analyses) {
            guard let schema = analysis.schema else { continue }
            let document: JSONDocument
            do { document = try JSONDocument(parsing: file.bytes, recoveringComments: true) } catch {
                throw Terminal.fail("\(file.path): \(error.message)")
            }
            inputs.append(CodegenInput(fileName: file.path, schema: schema, schemaJSON: document.root.compactText))
        }
        let options = CodegenOptions(access: access, typeNaming: typeNames)
        let generated = AvroCodeGenerator(options: options).generate(inputs) + JSONSchemaCodeGenerator(options: options).generate(jsonSchemas)
        let names = Dictionary(grouping: generated, by: \.name).filter { $0.value.count > 1 }.keys.sorted()
        if !names.isEmpty { throw Terminal.fail("two schema files would both generate \(names.joined(separator: ", ")); run codegen on them separately") }
        try Workspace.writeIfChanged(generated.map { (out + "/" + $0.name, $0.contents) }, creating: out)
        Terminal.err("generated \(generated.count) file\(generated.count == 1 ? "" : "s") in \(out)")
    }

    /// JSON files that declare "$schema" (example documents beside the schemas are left alone),
    /// or any JSON file named on the command line.
    func jsonSchemaInputs(_ paths: [String]) throws -> [JSONSchemaCodegenInput] {
        var inputs: [JSONSchemaCodegenInput] = []
        for path in paths {
            let file = try Workspace.read(path)
            let document: JSONDocument
            do { document = try JSONDocument(parsing: file.bytes) } catch { throw Terminal.fail("\(path):\(error.position): \(error.message)") }
            guard case .object(let object) = document.root, object["$schema"] != nil || self.paths.contains(path) else { continue }
            inputs.append(JSONSchemaCodegenInput(fileName: path, root: document.root))
        }
        return inputs
    }
}
